// Calendar arithmetic for usage and quotas. Months and days are UTC, so every replica agrees.

export function utcMonthStart(nowMs: number): number {
  const d = new Date(nowMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** The start of the month n months after the month containing monthStartMs (n may be negative). */
export function addUtcMonths(monthStartMs: number, n: number): number {
  const d = new Date(monthStartMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1);
}

export function utcDayStart(nowMs: number): number {
  const d = new Date(nowMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

/** "2026-11" */
export function monthKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

/** "2026-11-23" */
export function dayKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export interface QuotaCheck {
  allowed: boolean;
  used: number;
  limit: number | null;
  /** What is left before this request; null when unlimited. */
  remaining: number | null;
  message: string;
}

/**
 * Whether `requested` more webhooks or messages fit in the plan. `used` excludes the request.
 * resetAtMs, for messages, is when the monthly count starts again (usually addUtcMonths(month, 1)).
 */
export function checkQuota(
  what: "webhooks" | "messages",
  used: number,
  limit: number | null,
  requested: number,
  planName: string,
  resetAtMs?: number,
): QuotaCheck {
  const noun = what === "webhooks" ? "webhooks" : "messages this month";
  if (limit === null) {
    return { allowed: true, used, limit, remaining: null, message: `Unlimited ${noun} on plan ${planName}.` };
  }
  const remaining = Math.max(0, limit - used);
  if (used + requested <= limit) {
    return {
      allowed: true,
      used,
      limit,
      remaining,
      message: `${used} of ${limit} ${noun} used on plan ${planName}.`,
    };
  }
  const quota = what === "webhooks" ? "Webhook quota" : "Monthly message quota";
  const state =
    used >= limit
      ? `${quota} reached: ${used} of ${limit} on plan ${planName}`
      : `${quota} would be exceeded: ${used} of ${limit} used and ${requested} more requested on plan ${planName}`;
  const reset = what === "messages" && resetAtMs !== undefined ? `; it resets on ${dayKey(resetAtMs)}` : "";
  return { allowed: false, used, limit, remaining, message: `${state}${reset}.` };
}
