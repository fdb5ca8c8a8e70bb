import type { Queryable } from "../client.ts";

/**
 * The fixed window of `windowMs` containing `at`. Windows are aligned to the epoch, so every
 * replica (their clocks agree far more closely than the shortest window) counts into the same row.
 */
function windowStart(at: Date, windowMs: number): Date {
  return new Date(Math.floor(at.getTime() / windowMs) * windowMs);
}

/**
 * Counts one hit in the fixed window containing `at` (the caller's clock, so a test's clock decides
 * the window) and returns the count and when the window ends. One upsert, so every replica sees
 * the same count.
 */
export async function hitRateCounter(
  sql: Queryable,
  params: { key: string; windowMs: number; at: Date },
): Promise<{ count: number; windowEndsAt: Date }> {
  const start = windowStart(params.at, params.windowMs);
  const [row] = await sql<{ count: number }[]>`
    INSERT INTO rate_counters (key, window_start, count) VALUES (${params.key}, ${start}, 1)
    ON CONFLICT (key, window_start) DO UPDATE SET count = rate_counters.count + 1
    RETURNING count`;
  return { count: row?.count ?? 1, windowEndsAt: new Date(start.getTime() + params.windowMs) };
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

/** The count of the fixed window containing `at`, without counting a hit. */
export async function readRateCounter(
  sql: Queryable,
  params: { key: string; windowMs: number; at: Date },
): Promise<number> {
  const [row] = await sql<{ count: number }[]>`
    SELECT count FROM rate_counters
    WHERE key = ${params.key} AND window_start = ${windowStart(params.at, params.windowMs)}`;
  return row?.count ?? 0;
}
