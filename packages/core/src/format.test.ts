import { describe, expect, it } from "vitest";
import { formatDuration, formatUtcTime } from "./format.ts";

describe("formatDuration", () => {
  it.each([
    [0, "0ms"],
    [250, "250ms"],
    [999, "999ms"],
    [1000, "1s"],
    [4000, "4s"],
    [59_400, "59s"],
    [59_600, "1m"],
    [90_000, "1m 30s"],
    [3_600_000, "1h"],
    [7_500_000, "2h 5m"],
    [86_400_000, "1d"],
    [97_200_000, "1d 3h"],
    [-5, "0ms"],
    [Number.POSITIVE_INFINITY, "forever"],
  ])("%d ms is %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe("formatUtcTime", () => {
  it("writes UTC to the second", () => {
    expect(formatUtcTime(Date.UTC(2026, 10, 23, 12, 0, 5, 678))).toBe("2026-11-23T12:00:05Z");
    expect(formatUtcTime(Number.NaN)).toBe("never");
  });
});
