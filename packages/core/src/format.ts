// Times and durations as people read them in the error log.

/** "250ms", "4s", "1m 30s", "2h 5m", "1d 3h": two units at most, precise enough for a log line. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return "forever";
  const whole = Math.max(0, Math.round(ms));
  if (whole < 1000) return `${whole}ms`;
  const seconds = Math.round(whole / 1000);
  if (seconds < 60) return `${seconds}s`;
  const pair = (big: number, bigUnit: string, small: number, smallUnit: string) =>
    small === 0 ? `${big}${bigUnit}` : `${big}${bigUnit} ${small}${smallUnit}`;
  if (seconds < 3600) return pair(Math.floor(seconds / 60), "m", seconds % 60, "s");
  const minutes = Math.round(seconds / 60);
  if (minutes < 1440) return pair(Math.floor(minutes / 60), "h", minutes % 60, "m");
  const hours = Math.round(minutes / 60);
  return pair(Math.floor(hours / 24), "d", hours % 24, "h");
}

/** "2026-11-23T12:00:05Z": UTC to the second, so log readers in any zone agree. */
export function formatUtcTime(ms: number): string {
  if (!Number.isFinite(ms)) return "never";
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}
