import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JsonDepthScanner, jsonNestingDepth } from "./json.ts";

function depthOf(value: unknown): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depthOf));
  if (typeof value === "object" && value !== null)
    return 1 + Math.max(0, ...Object.values(value).map(depthOf));
  return 0;
}

describe("jsonNestingDepth", () => {
  it("counts brackets outside strings only, escapes included", () => {
    expect(jsonNestingDepth('{"a":"[[[{{{\\"[[["}', 10)).toBe(1);
    expect(jsonNestingDepth('{"a":[[{"b":[]}]]}', 10)).toBe(5);
    expect(jsonNestingDepth("42", 10)).toBe(0);
  });

  it("stops just past the limit, whatever the length", () => {
    expect(jsonNestingDepth("[".repeat(500_000), 64)).toBe(65);
  });

  it("agrees with the parsed document's depth", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(jsonNestingDepth(JSON.stringify(value), 1000)).toBe(depthOf(value));
      }),
    );
  });
});

describe("JsonDepthScanner", () => {
  it("agrees with jsonNestingDepth however the bytes are split", () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 0, max: 12 }),
        (value, size, limit) => {
          const bytes = new TextEncoder().encode(JSON.stringify(value));
          const scanner = new JsonDepthScanner(limit);
          let ok = true;
          for (let i = 0; i < bytes.length && ok; i += size) ok = scanner.feed(bytes.subarray(i, i + size));
          expect(ok).toBe(jsonNestingDepth(JSON.stringify(value), limit) <= limit);
        },
      ),
    );
  });
});
