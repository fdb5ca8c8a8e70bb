import { describe, expect, it } from "vitest";
import { passwordProblem } from "./passwords.ts";

describe("passwordProblem", () => {
  it("counts length after trimming", () => {
    expect(passwordProblem(" ".repeat(10))).toMatch(/at least 10/);
    expect(passwordProblem("  short1  ")).toMatch(/at least 10/);
    expect(passwordProblem("correct horse battery")).toBeUndefined();
  });

  it("refuses the most common passwords whatever their case, and one repeated character", () => {
    expect(passwordProblem("Password123")).toMatch(/common/);
    expect(passwordProblem("1234567890")).toMatch(/common/);
    expect(passwordProblem("zzzzzzzzzzzz")).toMatch(/common/);
  });
});
