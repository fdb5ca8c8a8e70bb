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
