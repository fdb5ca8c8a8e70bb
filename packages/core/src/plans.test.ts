import { describe, expect, it } from "vitest";
import { isPlanName } from "./plans.ts";

describe("isPlanName", () => {
  it.each(["trial", "unlimited", "pro-2026", "team_25", "9", "a".repeat(63)])("accepts %j", (name) => {
    expect(isPlanName(name)).toBe(true);
  });

  it.each(["", "Pro", "-pro", "_pro", "pro plan", "pro/x", "..", "a".repeat(64), "pro\n"])(
    "refuses %j",
    (name) => {
      expect(isPlanName(name)).toBe(false);
    },
  );
});
