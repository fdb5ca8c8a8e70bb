import { hitRateCounter, readRateCounter, releaseRateCounter } from "@herald/db";
import type { AppContext } from "../context.ts";
import { DomainError } from "../errors.ts";

export interface Throttle {
  /** Counter key prefix; the key is prefix + ":" + the subject (address, account, binding key). */
  name: string;
  windowMs: number;
  limit: number;
  /** What is being throttled, for the 429's sentence: "sign-in to this account". */
  what: string;
}

/** Throws rate_limited with Retry-After when `key` has used its `limit` in the current window. */
export async function enforce(ctx: AppContext, key: string, windowMs: number, limit: number, what: string) {
  const now = ctx.clock.now();
  const { count, windowEndsAt } = await hitRateCounter(ctx.sql, { key, windowMs, at: now });
  if (count > limit) {
    const retryAfter = Math.max(1, Math.ceil((windowEndsAt.getTime() - now.getTime()) / 1000));
    throw new DomainError(
      "rate_limited",
      `Too many requests for ${what}; retry in ${retryAfter} s.`,
      undefined,
      retryAfter,
    );
  }
}

/** Counts one attempt of `subject` against the throttle (see enforce). */
export function hit(ctx: AppContext, throttle: Throttle, subject: string): Promise<void> {
  return enforce(ctx, `${throttle.name}:${subject}`, throttle.windowMs, throttle.limit, throttle.what);
}

/** Takes an attempt back: it turned out to be the rightful owner's, which should not use up the budget. */
export function release(ctx: AppContext, throttle: Throttle, subject: string): Promise<void> {
  return releaseRateCounter(ctx.sql, { key: `${throttle.name}:${subject}` });
}

/** Refuses at once when `subject` has already used the throttle's budget, without counting a hit. */
export async function refuseIfSpent(ctx: AppContext, throttle: Throttle, subject: string): Promise<void> {
  const count = await readRateCounter(ctx.sql, {
    key: `${throttle.name}:${subject}`,
    windowMs: throttle.windowMs,
    at: ctx.clock.now(),
  });
  if (count >= throttle.limit) {
    const retryAfter = Math.max(1, Math.ceil(throttle.windowMs / 1000));
    throw new DomainError(
      "rate_limited",
      `Too many requests for ${throttle.what}; retry in at most ${retryAfter} s.`,
      undefined,
      retryAfter,
    );
  }
}
