import { describe, expect, it } from "vitest";
import { safeNext } from "./form.ts";

describe("safeNext", () => {
  it("returns only to console pages", () => {
    expect(safeNext("/console/usage")).toBe("/console/usage");
    expect(safeNext("/console")).toBe("/console");
    for (const bad of [
      "https://evil.example/console",
      "//evil.example",
      "/console//evil",
      "/consolex",
      "/v1/usage",
      "/console/\\evil",
    ]) {
      expect(safeNext(bad)).toBeUndefined();
    }
    expect(safeNext(undefined)).toBeUndefined();
  });
});
