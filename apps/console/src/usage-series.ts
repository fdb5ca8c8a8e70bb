import type { Usage } from "@herald/sdk";
import type { DailyPoint } from "./views/usage.tsx";

/** The api lists only days with traffic; a chart wants every day of the window, oldest first. */
export function fillDays(series: NonNullable<Usage["series"]>, now: Date, days = 30): DailyPoint[] {
  const byDay = new Map(series.map((s) => [s.day.slice(0, 10), s]));
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const points: DailyPoint[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const day = new Date(today - i * 86_400_000).toISOString().slice(0, 10);
    const s = byDay.get(day);
    points.push({
      day,
      sent: s?.messagesSent ?? 0,
      failed: s?.messagesFailed ?? 0,
      throttled: s?.messagesThrottled ?? 0,
    });
  }
  return points;
}

export interface QuotaBurn {
  used: number;
  limit: number | null;
  /** Messages by the end of the month at the pace so far. */
  projected: number;
  /** When the limit is reached at this pace, if it is reached before the month ends. */
  runsOutAt: Date | null;
  monthEnd: Date;
}

/**
 * The month's quota burn: the pace so far (messages per elapsed day, counting at least one day so a
 * busy first hour does not project a flood) carried to the end of the UTC month.
 */
export function quotaBurn(used: number, limit: number | null, now: Date): QuotaBurn {
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  const elapsedDays = Math.max(1, (now.getTime() - start) / 86_400_000);
  const perDay = used / elapsedDays;
  const monthDays = (end - start) / 86_400_000;
  const projected = Math.round(perDay * monthDays);
  let runsOutAt: Date | null = null;
  if (limit !== null && perDay > 0 && projected > limit) {
    const at = used >= limit ? now.getTime() : start + (limit / perDay) * 86_400_000;
    runsOutAt = new Date(Math.max(now.getTime(), at));
  }
  return { used, limit, projected: Math.max(projected, used), runsOutAt, monthEnd: new Date(end - 1) };
}

/**
 * Rows as CSV (RFC 4180). A cell that a spreadsheet would run as a formula (=, +, -, @ first) is
 * prefixed with an apostrophe: channel names are the tenant's own text.
 */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const cell = (value: string | number) => {
    if (typeof value === "number") return String(value);
    const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return `${rows.map((row) => row.map(cell).join(",")).join("\r\n")}\r\n`;
}
