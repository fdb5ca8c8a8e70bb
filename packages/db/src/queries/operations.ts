// Fleet-wide numbers for operators (Prometheus gauges): read at scrape time, never per tenant.
import type { Queryable } from "../client.ts";

/** Channels paused by a Teams 429 right now, and channels whose webhooks were disabled for Teams' answers. */
export async function channelHealthCounts(sql: Queryable): Promise<{ paused: number; disabled: number }> {
  const [row] = await sql<{ paused: number; disabled: number }[]>`
    SELECT
      (SELECT count(*)::int FROM channels WHERE paused_until > clock_timestamp()) AS paused,
      (SELECT count(DISTINCT channel_id)::int FROM webhooks
         WHERE NOT active AND disabled_reason IS NOT NULL AND deleted_at IS NULL) AS disabled`;
  return row ?? { paused: 0, disabled: 0 };
}
