import { hitRateCounter } from "@herald/db";
import type { AppContext } from "../context.ts";
import { DomainError } from "../errors.ts";

/** Throws rate_limited with Retry-After when `key` has used its `limit` in the current window. */
export async function enforce(ctx: AppContext, key: string, windowMs: number, limit: number, what: string) {
  const { count, windowEndsAt } = await hitRateCounter(ctx.sql, { key, windowMs });
  if (count > limit) {
    const retryAfter = Math.max(1, Math.ceil((windowEndsAt.getTime() - Date.now()) / 1000));
    throw new DomainError(
      "rate_limited",
      `Too many requests for ${what}; retry in ${retryAfter} s.`,
      undefined,
      retryAfter,
    );
  }
}
