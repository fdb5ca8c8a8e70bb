import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  admits,
  countAtOrBefore,
  findViolations,
  LEGACY_CONNECTOR_POLICY,
  longestPeriodMs,
  nextSendAt,
  type RatePolicy,
  UNLIMITED_POLICY,
  withGuard,
} from "./rate.ts";

const HOUR = 3_600_000;

/** The admission rule read literally, in O(n): the reference the fast version is checked against. */
function naiveAdmits(policy: RatePolicy, sends: readonly number[], t: number): boolean {
  if (sends.some((s) => s > t)) return false;
  return policy.every((w) => sends.filter((s) => s <= t && t - s < w.periodMs).length < w.limit);
}

/** Sends as they happen when every message goes out at the first moment the policy allows. */
function greedy(policy: RatePolicy, count: number, startMs = 0): number[] {
  const sends: number[] = [];
  let now = startMs;
  for (let i = 0; i < count; i++) {
    now = nextSendAt(policy, sends, now);
    sends.push(now);
  }
  return sends;
}

const windowArb = fc.record({
  limit: fc.integer({ min: 1, max: 8 }),
  periodMs: fc.integer({ min: 1, max: 5_000 }),
});
const policyArb = fc.array(windowArb, { maxLength: 4 });
const sendsArb = fc
  .array(fc.integer({ min: 0, max: 20_000 }), { maxLength: 60 })
  .map((xs) => xs.sort((a, b) => a - b));

describe("legacy connector policy", () => {
  it("is Microsoft's published table", () => {
    expect(LEGACY_CONNECTOR_POLICY.map((w) => [w.limit, w.periodMs / 1000])).toEqual([
      [4, 1],
      [60, 30],
      [100, 3600],
      [150, 7200],
      [1800, 86400],
    ]);
    expect(longestPeriodMs(LEGACY_CONNECTOR_POLICY)).toBe(86_400_000);
    expect(longestPeriodMs(UNLIMITED_POLICY)).toBe(0);
  });

  it("sends 4 in the first second, 60 in the first 15 s, then waits for the 30 s window", () => {
    const sends = greedy(LEGACY_CONNECTOR_POLICY, 61);
    expect(sends.slice(0, 5)).toEqual([0, 0, 0, 0, 1000]);
    expect(sends.filter((s) => s < 1000)).toHaveLength(4);
    expect(sends.filter((s) => s < 15_000)).toHaveLength(60);
    expect(sends[59]).toBe(14_000);
    expect(sends[60]).toBe(30_000);
  });

  it("sends 100 in the first hour, then nothing until the first send is an hour old", () => {
    const sends = greedy(LEGACY_CONNECTOR_POLICY, 100);
    expect(sends[99]).toBe(39_000);
    const next = nextSendAt(LEGACY_CONNECTOR_POLICY, sends, sends[99] ?? 0);
    expect(next).toBe(HOUR);
    expect(next).toBeGreaterThanOrEqual((sends[0] ?? 0) + HOUR);
    expect(admits(LEGACY_CONNECTOR_POLICY, sends, HOUR - 1)).toBe(false);
    expect(admits(LEGACY_CONNECTOR_POLICY, sends, HOUR)).toBe(true);
  });

  it("holds 150 per two hours and 1800 per day over a full day of greedy sending", () => {
    const sends = greedy(LEGACY_CONNECTOR_POLICY, 1801);
    expect(findViolations(LEGACY_CONNECTOR_POLICY, sends)).toEqual([]);
    expect(sends.filter((s) => s < 2 * HOUR)).toHaveLength(150);
    expect(sends.filter((s) => s < 24 * HOUR)).toHaveLength(1800);
    expect(sends[1800]).toBeGreaterThanOrEqual(24 * HOUR);
  });

  it("answers quickly for a day of 1800 timestamps", () => {
    const sends = greedy(LEGACY_CONNECTOR_POLICY, 1800);
    const started = performance.now();
    for (let i = 0; i < 10_000; i++) {
      nextSendAt(LEGACY_CONNECTOR_POLICY, sends, i);
      admits(LEGACY_CONNECTOR_POLICY, sends, 30 * HOUR + i);
    }
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe("admits", () => {
  const perSecond: RatePolicy = [{ limit: 4, periodMs: 1000 }];

  it("counts a send exactly periodMs old as gone", () => {
    expect(admits(perSecond, [0, 0, 0, 0], 999)).toBe(false);
    expect(admits(perSecond, [0, 0, 0, 0], 1000)).toBe(true);
    expect(admits(perSecond, [0, 0, 0], 0)).toBe(true);
  });

  it("counts sends at the same instant as earlier sends", () => {
    expect(admits([{ limit: 1, periodMs: 10 }], [5], 5)).toBe(false);
    expect(admits([{ limit: 1, periodMs: 10 }], [5], 14)).toBe(false);
    expect(admits([{ limit: 1, periodMs: 10 }], [5], 15)).toBe(true);
  });

  it("requires every window to have room", () => {
    const policy: RatePolicy = [
      { limit: 2, periodMs: 100 },
      { limit: 3, periodMs: 1000 },
    ];
    expect(admits(policy, [0, 200], 300)).toBe(true);
    expect(admits(policy, [0, 200, 300], 500)).toBe(false);
    expect(admits(policy, [0, 200, 300], 1000)).toBe(true);
  });

  it("admits anything in order under the unlimited policy", () => {
    expect(admits(UNLIMITED_POLICY, [0, 0, 0, 0, 0, 0], 0)).toBe(true);
    expect(nextSendAt(UNLIMITED_POLICY, [0, 0, 0], 5)).toBe(5);
    expect(nextSendAt(UNLIMITED_POLICY, [], 5)).toBe(5);
  });

  it("refuses a time before a reserved send, which would overtake it", () => {
    expect(admits(UNLIMITED_POLICY, [1000], 500)).toBe(false);
    expect(nextSendAt(LEGACY_CONNECTOR_POLICY, [1000], 0)).toBe(1000);
  });

  it("treats a fractional limit as the next whole number of sends", () => {
    const policy: RatePolicy = [{ limit: 2.5, periodMs: 1000 }];
    expect(admits(policy, [0, 0], 0)).toBe(true);
    expect(admits(policy, [0, 0, 0], 0)).toBe(false);
    expect(nextSendAt(policy, [0, 0, 0], 0)).toBe(1000);
  });

  it("never admits under a window whose limit is below 1", () => {
    const closed: RatePolicy = [{ limit: 0, periodMs: 1000 }];
    expect(admits(closed, [], 0)).toBe(false);
    expect(nextSendAt(closed, [], 0)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("nextSendAt", () => {
  it("is now when the windows have room", () => {
    expect(nextSendAt(LEGACY_CONNECTOR_POLICY, [], 123)).toBe(123);
    expect(nextSendAt(LEGACY_CONNECTOR_POLICY, [0, 500], 800)).toBe(800);
  });

  it("waits for the oldest send that keeps a window full to leave it", () => {
    expect(nextSendAt(LEGACY_CONNECTOR_POLICY, [100, 200, 300, 400], 450)).toBe(1100);
  });

  it("takes the latest of several windows' bounds", () => {
    const policy: RatePolicy = [
      { limit: 1, periodMs: 100 },
      { limit: 2, periodMs: 1000 },
    ];
    expect(nextSendAt(policy, [0, 150], 160)).toBe(1000);
  });

  it("is consistent with a later now", () => {
    expect(nextSendAt(LEGACY_CONNECTOR_POLICY, [0, 0, 0, 0], 5000)).toBe(5000);
  });
});

describe("findViolations", () => {
  it("reports each send that had no room, with the first window it broke", () => {
    // The refused sends still count against later ones: they did reach Teams.
    const sends = [0, 0, 0, 0, 0, 500, 999, 1000];
    expect(findViolations(LEGACY_CONNECTOR_POLICY, sends)).toEqual([
      { index: 4, at: 0, window: { limit: 4, periodMs: 1000 } },
      { index: 5, at: 500, window: { limit: 4, periodMs: 1000 } },
      { index: 6, at: 999, window: { limit: 4, periodMs: 1000 } },
    ]);
  });

  it("reports nothing for an empty or unlimited sequence", () => {
    expect(findViolations(LEGACY_CONNECTOR_POLICY, [])).toEqual([]);
    expect(findViolations(UNLIMITED_POLICY, [0, 0, 0, 0, 0, 0, 0])).toEqual([]);
  });

  it("names the longer window when only it is full", () => {
    const sends = [...greedy(LEGACY_CONNECTOR_POLICY, 60), 15_000];
    expect(findViolations(LEGACY_CONNECTOR_POLICY, sends)).toEqual([
      { index: 60, at: 15_000, window: { limit: 60, periodMs: 30_000 } },
    ]);
  });
});

describe("withGuard", () => {
  it("pads every period and leaves the original alone", () => {
    const guarded = withGuard(LEGACY_CONNECTOR_POLICY, 250);
    expect(guarded.map((w) => w.periodMs)).toEqual([1250, 30_250, 3_600_250, 7_200_250, 86_400_250]);
    expect(guarded.map((w) => w.limit)).toEqual(LEGACY_CONNECTOR_POLICY.map((w) => w.limit));
    expect(LEGACY_CONNECTOR_POLICY[0]?.periodMs).toBe(1000);
    expect(withGuard(UNLIMITED_POLICY, 250)).toEqual([]);
  });

  it("refuses a negative or non-finite guard", () => {
    expect(() => withGuard(LEGACY_CONNECTOR_POLICY, -1)).toThrow(RangeError);
    expect(() => withGuard(LEGACY_CONNECTOR_POLICY, Number.NaN)).toThrow(RangeError);
  });
});

describe("countAtOrBefore", () => {
  it("finds the first element past x", () => {
    const xs = [1, 2, 2, 2, 5];
    expect([0, 1, 2, 3, 5, 9].map((x) => countAtOrBefore(xs, x))).toEqual([0, 1, 4, 4, 5, 5]);
    expect(countAtOrBefore(xs, 9, 3)).toBe(3);
    expect(countAtOrBefore([], 9)).toBe(0);
  });
});

describe("properties", () => {
  it("admits agrees with the rule read literally", () => {
    fc.assert(
      fc.property(policyArb, sendsArb, fc.integer({ min: 0, max: 30_000 }), (policy, sends, t) => {
        expect(admits(policy, sends, t)).toBe(naiveAdmits(policy, sends, t));
      }),
    );
  });

  it("nextSendAt never returns a time that admits refuses", () => {
    fc.assert(
      fc.property(policyArb, sendsArb, fc.integer({ min: 0, max: 30_000 }), (policy, sends, now) => {
        const at = nextSendAt(policy, sends, now);
        expect(at).toBeGreaterThanOrEqual(now);
        expect(admits(policy, sends, at)).toBe(true);
      }),
    );
  });

  it("nextSendAt never makes a send wait when it fits", () => {
    fc.assert(
      fc.property(
        policyArb,
        sendsArb,
        fc.integer({ min: 0, max: 30_000 }),
        fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { maxLength: 8 }),
        (policy, sends, now, fractions) => {
          const at = nextSendAt(policy, sends, now);
          const earlier = [at - 1, now, ...fractions.map((f) => now + Math.floor(f * (at - now)))];
          for (const t of earlier.filter((x) => x >= now && x < at)) {
            expect(naiveAdmits(policy, sends, t)).toBe(false);
          }
        },
      ),
    );
  });

  it("greedy sending with nextSendAt never breaks a window", () => {
    fc.assert(
      fc.property(
        policyArb,
        fc.array(fc.integer({ min: 0, max: 3_000 }), { maxLength: 80 }),
        (policy, gaps) => {
          const sends: number[] = [];
          let now = 0;
          for (const gap of gaps) {
            now = nextSendAt(policy, sends, now + gap);
            sends.push(now);
          }
          expect(findViolations(policy, sends)).toEqual([]);
        },
      ),
    );
  });

  it("findViolations flags exactly the sends the literal rule refuses", () => {
    fc.assert(
      fc.property(policyArb, sendsArb, (policy, sends) => {
        const expected = sends.flatMap((at, index) =>
          naiveAdmits(policy, sends.slice(0, index), at) ? [] : [index],
        );
        expect(findViolations(policy, sends).map((v) => v.index)).toEqual(expected);
      }),
    );
  });

  it("a guarded schedule stays within the real windows when each send arrives up to guardMs late", () => {
    fc.assert(
      fc.property(
        policyArb,
        fc.integer({ min: 0, max: 500 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2_000 }), fc.double({ min: 0, max: 1, noNaN: true })), {
          maxLength: 60,
        }),
        (policy, guardMs, steps) => {
          const guarded = withGuard(policy, guardMs);
          const reserved: number[] = [];
          const arrived: number[] = [];
          let now = 0;
          for (const [gap, jitter] of steps) {
            now = nextSendAt(guarded, reserved, now + gap);
            reserved.push(now);
            arrived.push(now + Math.floor(jitter * guardMs));
          }
          arrived.sort((a, b) => a - b);
          expect(findViolations(policy, arrived)).toEqual([]);
        },
      ),
    );
  });
});
