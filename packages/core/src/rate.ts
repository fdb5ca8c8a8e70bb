// Sliding-window rate limits: the admission rule, the earliest admissible time, and policy parsing.

export interface RateWindow {
  readonly limit: number;
  readonly periodMs: number;
}
export type RatePolicy = readonly RateWindow[];

/** Microsoft's published limits for a legacy connector / incoming webhook, per webhook URL. */
export const LEGACY_CONNECTOR_POLICY: RatePolicy = Object.freeze([
  { limit: 4, periodMs: 1_000 },
  { limit: 60, periodMs: 30_000 },
  { limit: 100, periodMs: 3_600_000 },
  { limit: 150, periodMs: 7_200_000 },
  { limit: 1800, periodMs: 86_400_000 },
]);

export const UNLIMITED_POLICY: RatePolicy = Object.freeze([]);

/** How far back a caller must keep send timestamps for the policy to be judged correctly. */
export function longestPeriodMs(policy: RatePolicy): number {
  let longest = 0;
  for (const w of policy) longest = Math.max(longest, w.periodMs);
  return longest;
}

/** Number of elements of the ascending array `xs` that are <= x, i.e. the index of the first element > x. */
export function countAtOrBefore(xs: readonly number[], x: number, end: number = xs.length): number {
  let lo = 0;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((xs[mid] ?? Number.POSITIVE_INFINITY) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// A fractional limit L admits a send while the count is below L, which is the same as below ceil(L).
function effectiveLimit(w: RateWindow): number {
  return Math.ceil(w.limit);
}

/** The first window of `policy` that a send at `atMs` would break, given the sends in `sends[0..end)`. */
function brokenWindow(policy: RatePolicy, sends: readonly number[], atMs: number, end: number) {
  const upTo = countAtOrBefore(sends, atMs, end);
  for (const w of policy) {
    const inWindow = upTo - countAtOrBefore(sends, atMs - w.periodMs, upTo);
    if (inWindow >= effectiveLimit(w)) return w;
  }
  return undefined;
}

/**
 * Admission rule: a send at time t is admitted iff for EVERY window w, the number of earlier sends s
 * (s <= t) with t - s < w.periodMs is strictly below w.limit. `sends` are ascending ms timestamps.
 *
 * `sends` may hold reservations (slots already promised to queued messages). A time before the latest
 * of them is refused: it would overtake a message already queued on the channel, and could push that
 * reserved send over a window the rule above never looks at. With every send at or before t (the
 * normal case) the rule applies exactly as stated.
 */
export function admits(policy: RatePolicy, sends: readonly number[], atMs: number): boolean {
  const last = sends[sends.length - 1];
  if (last !== undefined && last > atMs) return false;
  return brokenWindow(policy, sends, atMs, sends.length) === undefined;
}

/**
 * Earliest t >= nowMs (and not before the latest send, see `admits`) at which `admits` holds.
 * With every send at or before t, a window of limit L admits t exactly when the L-th most recent send
 * has left it, i.e. t >= sends[n - L] + periodMs; so the answer is the largest of those bounds.
 * Returns +Infinity for a window with a limit below 1, which never admits anything.
 */
export function nextSendAt(policy: RatePolicy, sends: readonly number[], nowMs: number): number {
  const n = sends.length;
  let at = Math.max(nowMs, sends[n - 1] ?? nowMs);
  for (const w of policy) {
    const limit = effectiveLimit(w);
    if (limit < 1) return Number.POSITIVE_INFINITY;
    const oldestThatBlocks = sends[n - limit];
    if (oldestThatBlocks !== undefined) at = Math.max(at, oldestThatBlocks + w.periodMs);
  }
  return at;
}

export interface RateViolation {
  index: number;
  at: number;
  window: RateWindow;
}

/**
 * Sends that broke a window, judged by the same rule as `admits`: each index i whose admission given
 * sends[0..i-1] was false, with the first window (in policy order) it broke. For tests and emulators.
 */
export function findViolations(policy: RatePolicy, sends: readonly number[]): RateViolation[] {
  const violations: RateViolation[] = [];
  sends.forEach((at, index) => {
    const window = brokenWindow(policy, sends, at, index);
    if (window !== undefined) violations.push({ index, at, window });
  });
  return violations;
}

/**
 * Pads every window's period by guardMs. A slot is reserved on our clock but counted on Microsoft's
 * at arrival; network jitter can bring two sends closer together than they were reserved.
 */
export function withGuard(policy: RatePolicy, guardMs: number): RatePolicy {
  if (!Number.isFinite(guardMs) || guardMs < 0) {
    throw new RangeError(`withGuard: guardMs must be a finite number >= 0, got ${guardMs}`);
  }
  return Object.freeze(policy.map((w) => ({ limit: w.limit, periodMs: w.periodMs + guardMs })));
}

export { formatRatePolicy, parseRatePolicy, type RatePolicyParse } from "./rate-text.ts";
