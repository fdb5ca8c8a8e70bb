import { describe, expect, it } from "vitest";
import { collapseText, MAX_TEAMS_TEXT } from "./text.ts";

describe("collapseText", () => {
  it("collapses whitespace and trims", () => {
    expect(collapseText("  Bad payload\n\treceived   by generic incoming webhook.  ")).toBe(
      "Bad payload received by generic incoming webhook.",
    );
    expect(collapseText("")).toBe("");
  });

  it("cuts to 500 characters", () => {
    expect(collapseText("x".repeat(600))).toHaveLength(MAX_TEAMS_TEXT);
    expect(collapseText("x".repeat(500))).toHaveLength(500);
  });

  it("never leaves half a surrogate pair", () => {
    const text = `${"x".repeat(499)}😀tail`;
    const cut = collapseText(text);
    expect(cut).toBe("x".repeat(499));
    expect(collapseText(`${"x".repeat(498)}😀tail`)).toBe(`${"x".repeat(498)}😀`);
  });
});
