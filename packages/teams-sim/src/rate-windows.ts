// Rate windows of one webhook, judged by arrival time. Written independently of packages/core on
// purpose: the emulator is the oracle Herald's limiter is tested against.
//
// The rule: a request at time t violates iff, for some window w, the number of EARLIER judged
// requests s (violating or not: Teams counts requests, not deliveries) with t - s < w.periodMs is
// >= w.limit. Because arrival times never decrease, the earlier requests inside a window are always
// the most recent ones, so "at least L of them within the window" is the same as "the L-th most
// recent one is within the window". Keeping the last max(limit) arrival times is therefore enough:
// O(max limit) memory and O(number of windows) work per request.

import type { RateWindow } from "./types.ts";

export const TEAMS_LEGACY_WINDOWS: readonly RateWindow[] = [
  { limit: 4, periodMs: 1_000 },
  { limit: 60, periodMs: 30_000 },
  { limit: 100, periodMs: 3_600_000 },
  { limit: 150, periodMs: 7_200_000 },
  { limit: 1800, periodMs: 86_400_000 },
];

/** Power Automate throttles more than 4 requests per second to one Workflows webhook. */
export const POWER_AUTOMATE_WINDOWS: readonly RateWindow[] = [{ limit: 4, periodMs: 1_000 }];

export interface Breach {
  window: RateWindow;
  /** How long until this window would admit a request again. */
  retryAfterMs: number;
}

export class WindowLog {
  readonly #windows: readonly RateWindow[];
  readonly #capacity: number;
  /** Arrival times, a ring once it holds #capacity entries; grows lazily so idle webhooks stay small. */
  readonly #times: number[] = [];
  /** Where the next time is written once the ring is full. */
  #head = 0;
  #last = Number.NEGATIVE_INFINITY;

  constructor(windows: readonly RateWindow[]) {
    this.#windows = windows;
    this.#capacity = Math.max(0, ...windows.map((w) => w.limit));
  }

  /**
   * Judges a request arriving at `t` and counts it. Returns the first window it breaks, or null.
   * A time earlier than the previous one (a clock step back) is treated as equal to it.
   */
  judge(t: number): Breach | null {
    const at = Math.max(t, this.#last);
    this.#last = at;
    const breach = this.#firstBreach(at);
    this.#push(at);
    return breach;
  }

  #firstBreach(at: number): Breach | null {
    for (const window of this.#windows) {
      if (window.limit <= 0) return { window, retryAfterMs: window.periodMs };
      const s = this.#nthMostRecent(window.limit);
      if (s !== undefined && at - s < window.periodMs) {
        return { window, retryAfterMs: s + window.periodMs - at };
      }
    }
    return null;
  }

  /** 1 = the most recent; undefined when fewer than n were judged. */
  #nthMostRecent(n: number): number | undefined {
    const size = this.#times.length;
    if (n > size) return undefined;
    if (size < this.#capacity) return this.#times[size - n];
    return this.#times[(this.#head - n + size) % size];
  }

  #push(t: number): void {
    if (this.#capacity === 0) return;
    if (this.#times.length < this.#capacity) {
      this.#times.push(t);
      return;
    }
    this.#times[this.#head] = t;
    this.#head = (this.#head + 1) % this.#capacity;
  }
}

/** The log kept for `key` in `logs`, made on first use; null when no windows apply. */
export function windowLogOf(
  logs: Map<string, WindowLog>,
  key: string,
  windows: readonly RateWindow[],
): WindowLog | null {
  if (windows.length === 0) return null;
  let log = logs.get(key);
  if (log === undefined) {
    log = new WindowLog(windows);
    logs.set(key, log);
  }
  return log;
}
