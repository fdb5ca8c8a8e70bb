import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LEGACY_CONNECTOR_POLICY } from "./rate.ts";
import { formatRatePolicy, parseRatePolicy } from "./rate-text.ts";

describe("parseRatePolicy", () => {
  it("reads count/period windows in every unit", () => {
    expect(parseRatePolicy("4/1s,60/30s,100/1h")).toEqual({
      ok: true,
      policy: [
        { limit: 4, periodMs: 1000 },
        { limit: 60, periodMs: 30_000 },
        { limit: 100, periodMs: 3_600_000 },
      ],
    });
    expect(parseRatePolicy("1/250ms, 2/2m ,3/1d")).toEqual({
      ok: true,
      policy: [
        { limit: 1, periodMs: 250 },
        { limit: 2, periodMs: 120_000 },
        { limit: 3, periodMs: 86_400_000 },
      ],
    });
  });

  it("accepts spaces around the slash, upper-case units and fractional periods", () => {
    expect(parseRatePolicy(" 4 / 1.5S ")).toEqual({ ok: true, policy: [{ limit: 4, periodMs: 1500 }] });
  });

  it('reads "none" and "unlimited" as no limit', () => {
    expect(parseRatePolicy("none")).toEqual({ ok: true, policy: [] });
    expect(parseRatePolicy(" Unlimited ")).toEqual({ ok: true, policy: [] });
  });

  it.each([
    ["", "empty"],
    ["   ", "empty"],
    ["4/1", "not understood"],
    ["4 per second", "not understood"],
    ["4/1s,", "not understood"],
    ["-4/1s", "not understood"],
    ["4/1w", "not understood"],
    ["0/1s", "at least 1"],
    ["4/0s", "at least 1ms"],
    ["4/0.5ms", "whole number of milliseconds"],
    ["99999999999999999999/1s", "too large"],
  ])("refuses %j with a reason", (text, fragment) => {
    const result = parseRatePolicy(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(fragment);
  });
});

describe("formatRatePolicy", () => {
  it("writes each period in its largest whole unit", () => {
    expect(formatRatePolicy(LEGACY_CONNECTOR_POLICY)).toBe("4/1s,60/30s,100/1h,150/2h,1800/1d");
    expect(formatRatePolicy([{ limit: 1, periodMs: 1500 }])).toBe("1/1500ms");
    expect(formatRatePolicy([{ limit: 1, periodMs: 90_000 }])).toBe("1/90s");
    expect(formatRatePolicy([])).toBe("none");
  });

  it("round-trips through parseRatePolicy", () => {
    const policy = fc.array(
      fc.record({
        limit: fc.integer({ min: 1, max: 10_000 }),
        periodMs: fc.integer({ min: 1, max: 10 ** 10 }),
      }),
      { maxLength: 6 },
    );
    fc.assert(
      fc.property(policy, (p) => {
        expect(parseRatePolicy(formatRatePolicy(p))).toEqual({ ok: true, policy: p });
      }),
    );
  });
});
