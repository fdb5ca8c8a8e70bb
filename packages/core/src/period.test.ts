import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addUtcMonths, checkQuota, dayKey, monthKey, utcDayStart, utcMonthStart } from "./period.ts";

const at = (iso: string) => Date.parse(iso);

describe("UTC periods", () => {
  it("finds the start of the month and day in UTC", () => {
    expect(utcMonthStart(at("2026-11-23T12:34:56.789Z"))).toBe(at("2026-11-01T00:00:00Z"));
    expect(utcMonthStart(at("2026-11-01T00:00:00Z"))).toBe(at("2026-11-01T00:00:00Z"));
    expect(utcMonthStart(at("2026-11-30T23:59:59.999Z"))).toBe(at("2026-11-01T00:00:00Z"));
    expect(utcDayStart(at("2026-11-23T23:59:59.999Z"))).toBe(at("2026-11-23T00:00:00Z"));
    // 23:30 on the 30th in New York is already December in UTC.
    expect(utcMonthStart(at("2026-11-30T23:30:00-05:00"))).toBe(at("2026-12-01T00:00:00Z"));
  });

  it("adds months across years, both ways", () => {
    const nov = at("2026-11-01T00:00:00Z");
    expect(addUtcMonths(nov, 1)).toBe(at("2026-12-01T00:00:00Z"));
    expect(addUtcMonths(nov, 2)).toBe(at("2027-01-01T00:00:00Z"));
    expect(addUtcMonths(nov, -11)).toBe(at("2025-12-01T00:00:00Z"));
    expect(addUtcMonths(nov, 0)).toBe(nov);
    expect(addUtcMonths(at("2026-01-31T10:00:00Z"), 1)).toBe(at("2026-02-01T00:00:00Z"));
  });

  it("names months and days", () => {
    expect(monthKey(at("2026-11-23T12:00:00Z"))).toBe("2026-11");
    expect(monthKey(at("2027-01-01T00:00:00Z"))).toBe("2027-01");
    expect(dayKey(at("2026-02-28T23:59:59Z"))).toBe("2026-02-28");
  });

  it("keeps every instant inside its month", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_102_444_800_000 }),
        fc.integer({ min: -24, max: 24 }),
        (ms, n) => {
          const start = utcMonthStart(ms);
          expect(start).toBeLessThanOrEqual(ms);
          expect(addUtcMonths(start, 1)).toBeGreaterThan(ms);
          expect(monthKey(start)).toBe(monthKey(ms));
          expect(addUtcMonths(addUtcMonths(start, n), -n)).toBe(start);
          expect(utcDayStart(ms)).toBeLessThanOrEqual(ms);
          expect(ms - utcDayStart(ms)).toBeLessThan(86_400_000);
        },
      ),
    );
  });
});

describe("checkQuota", () => {
  const reset = at("2026-12-01T00:00:00Z");

  it("allows what fits", () => {
    expect(checkQuota("webhooks", 1, 2, 1, "trial")).toEqual({
      allowed: true,
      used: 1,
      limit: 2,
      remaining: 1,
      message: "1 of 2 webhooks used on plan trial.",
    });
    expect(checkQuota("messages", 499, 500, 1, "trial", reset).allowed).toBe(true);
  });

  it("refuses at the limit, naming the plan", () => {
    expect(checkQuota("webhooks", 2, 2, 1, "trial")).toEqual({
      allowed: false,
      used: 2,
      limit: 2,
      remaining: 0,
      message: "Webhook quota reached: 2 of 2 on plan trial.",
    });
    expect(checkQuota("messages", 500, 500, 1, "trial", reset).message).toBe(
      "Monthly message quota reached: 500 of 500 on plan trial; it resets on 2026-12-01.",
    );
    expect(checkQuota("messages", 500, 500, 1, "trial").message).toBe(
      "Monthly message quota reached: 500 of 500 on plan trial.",
    );
  });

  it("refuses a batch that would cross the limit", () => {
    const check = checkQuota("messages", 499, 500, 2, "trial", reset);
    expect(check.allowed).toBe(false);
    expect(check.remaining).toBe(1);
    expect(check.message).toBe(
      "Monthly message quota would be exceeded: 499 of 500 used and 2 more requested on plan trial; it resets on 2026-12-01.",
    );
  });

  it("refuses when a downgrade left usage above the limit", () => {
    expect(checkQuota("webhooks", 5, 2, 1, "trial")).toMatchObject({ allowed: false, remaining: 0 });
  });

  it("allows anything on an unlimited plan", () => {
    expect(checkQuota("messages", 10 ** 9, null, 1000, "unlimited")).toEqual({
      allowed: true,
      used: 10 ** 9,
      limit: null,
      remaining: null,
      message: "Unlimited messages this month on plan unlimited.",
    });
  });

  it("a zero limit allows nothing", () => {
    expect(checkQuota("webhooks", 0, 0, 1, "frozen").allowed).toBe(false);
  });
});
