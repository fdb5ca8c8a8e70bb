import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TEAMS_LEGACY_WINDOWS, WindowLog } from "./rate-windows.ts";
import type { RateWindow } from "./types.ts";

/** The rule exactly as written, over the full history: the oracle for the O(limit) implementation. */
function naiveViolation(windows: readonly RateWindow[], earlier: number[], t: number): RateWindow | null {
  for (const w of windows) {
    if (earlier.filter((s) => t - s < w.periodMs).length >= w.limit) return w;
  }
  return null;
}

describe("WindowLog", () => {
  it("lets four requests through in a second and refuses the fifth (Teams' 4 per 1 s)", () => {
    const log = new WindowLog(TEAMS_LEGACY_WINDOWS);
    expect([0, 100, 200, 300].map((t) => log.judge(t))).toEqual([null, null, null, null]);
    expect(log.judge(999)?.window).toEqual({ limit: 4, periodMs: 1000 });
  });

  it("admits again once the oldest request is a full period old (t - s < period is the test)", () => {
    const log = new WindowLog([{ limit: 4, periodMs: 1000 }]);
    for (const t of [0, 1, 2, 3]) log.judge(t);
    expect(log.judge(999)?.retryAfterMs).toBe(1);
    // At 1000, t = 0 is a full period old, but 1, 2, 3 and the (throttled) 999 still make four.
    expect(log.judge(1000)).not.toBeNull();
    // At 1003 only 999 and 1000 are less than a second old.
    expect(log.judge(1003)).toBeNull();
  });

  it("counts throttled requests too: hammering keeps a webhook throttled", () => {
    const log = new WindowLog([{ limit: 2, periodMs: 100 }]);
    log.judge(0);
    log.judge(10);
    for (let t = 20; t < 1000; t += 20) expect(log.judge(t)).not.toBeNull();
  });

  it("reports the first window broken in configuration order and how long until it frees up", () => {
    const log = new WindowLog([
      { limit: 4, periodMs: 1000 },
      { limit: 6, periodMs: 30_000 },
    ]);
    for (const t of [0, 1000, 2000, 3000, 4000, 5000]) expect(log.judge(t)).toBeNull();
    expect(log.judge(6000)).toEqual({ window: { limit: 6, periodMs: 30_000 }, retryAfterMs: 24_000 });
  });

  it("treats a limit of 0 as never admitting and a clock step back as no time passing", () => {
    expect(new WindowLog([{ limit: 0, periodMs: 1000 }]).judge(0)).not.toBeNull();
    const log = new WindowLog([{ limit: 1, periodMs: 1000 }]);
    log.judge(5000);
    expect(log.judge(4000)).not.toBeNull();
  });

  it("keeps no more arrival times than the largest limit", () => {
    const log = new WindowLog([{ limit: 3, periodMs: 10 }]);
    for (let t = 0; t < 10_000; t += 1) log.judge(t);
    // Private state is not reachable; behaviour after a long run still matches the rule.
    expect(log.judge(10_005)).not.toBeNull();
    expect(log.judge(10_020)).toBeNull();
  });

  it("agrees with the rule over the full history for any arrival times and windows", () => {
    const windowArb = fc.record({
      limit: fc.integer({ min: 0, max: 8 }),
      periodMs: fc.integer({ min: 1, max: 500 }),
    });
    fc.assert(
      fc.property(
        fc.array(windowArb, { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 200 }),
        (windows, gaps) => {
          const log = new WindowLog(windows);
          const earlier: number[] = [];
          let t = 0;
          for (const gap of gaps) {
            t += gap;
            expect(log.judge(t)?.window ?? null).toEqual(naiveViolation(windows, earlier, t));
            earlier.push(t);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
