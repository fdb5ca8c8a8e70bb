import { describe, expect, it } from "vitest";
import { parseRetryAfter } from "./retry-after.ts";

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);

describe("parseRetryAfter", () => {
  it("reads delay-seconds", () => {
    expect(parseRetryAfter("0", NOW)).toBe(0);
    expect(parseRetryAfter("5", NOW)).toBe(5000);
    expect(parseRetryAfter(" 120 ", NOW)).toBe(120_000);
    expect(parseRetryAfter("1.5", NOW)).toBe(1500);
  });

  it("reads an HTTP-date relative to now", () => {
    expect(parseRetryAfter("Mon, 23 Nov 2026 12:00:05 GMT", NOW)).toBe(5000);
    expect(parseRetryAfter("Mon, 23 Nov 2026 13:00:00 GMT", NOW)).toBe(3_600_000);
    expect(parseRetryAfter("2026-11-23T12:00:30Z", NOW)).toBe(30_000);
    expect(parseRetryAfter("2026-11-23T13:00:30+01:00", NOW)).toBe(30_000);
  });

  it("reads a date in the past as now", () => {
    expect(parseRetryAfter("Mon, 23 Nov 2026 11:00:00 GMT", NOW)).toBe(0);
  });

  it("is null when absent or unreadable", () => {
    for (const value of [
      undefined,
      null,
      "",
      "  ",
      "soon",
      "-5",
      "5s",
      "Mon, 23 Nov 2026 12:00:05",
      "Mon, 99 Foo",
    ]) {
      expect(parseRetryAfter(value, NOW)).toBeNull();
    }
  });
});
