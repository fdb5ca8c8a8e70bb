import type { Queryable } from "../client.ts";

/**
 * Counts one hit in the fixed window containing now and returns the count and when the window
 * ends. One upsert, so every replica sees the same count.
 */
export async function hitRateCounter(
  sql: Queryable,
  params: { key: string; windowMs: number },
): Promise<{ count: number; windowEndsAt: Date }> {
  const [row] = await sql<{ count: number; windowEndsAt: Date }[]>`
    WITH w AS (
      SELECT to_timestamp(floor(extract(epoch FROM clock_timestamp()) * 1000 / ${params.windowMs}) * ${params.windowMs} / 1000.0) AS start
    )
    INSERT INTO rate_counters (key, window_start, count)
    SELECT ${params.key}, w.start, 1 FROM w
    ON CONFLICT (key, window_start) DO UPDATE SET count = rate_counters.count + 1
    RETURNING count, window_start + ${params.windowMs} * interval '1 millisecond' AS window_ends_at`;
  return row ?? { count: 1, windowEndsAt: new Date(Date.now() + params.windowMs) };
}

export async function pruneRateCounters(sql: Queryable, params: { olderThanMs: number }): Promise<void> {
  await sql`DELETE FROM rate_counters WHERE window_start < clock_timestamp() - ${params.olderThanMs} * interval '1 millisecond'`;
}

/** Takes back one hit of the current window (an attempt that turned out legitimate). */
export async function releaseRateCounter(sql: Queryable, params: { key: string }): Promise<void> {
  await sql`UPDATE rate_counters SET count = count - 1
            WHERE key = ${params.key} AND count > 0
              AND window_start = (SELECT max(window_start) FROM rate_counters WHERE key = ${params.key})`;
}

/** Forgets every window of a key (a successful password reset clears the account's lockout). */
export async function clearRateCounter(sql: Queryable, params: { key: string }): Promise<void> {
  await sql`DELETE FROM rate_counters WHERE key = ${params.key}`;
}

/** The count of the fixed window containing now, without counting a hit. */
export async function readRateCounter(
  sql: Queryable,
  params: { key: string; windowMs: number },
): Promise<number> {
  const [row] = await sql<{ count: number }[]>`
    SELECT count FROM rate_counters
    WHERE key = ${params.key}
      AND window_start = to_timestamp(floor(extract(epoch FROM clock_timestamp()) * 1000 / ${params.windowMs}) * ${params.windowMs} / 1000.0)`;
  return row?.count ?? 0;
}
