import { describe, expect, it } from "vitest";
import { CONNECTION_TEST_SOURCE, isReservedSource } from "./sources.ts";

describe("isReservedSource", () => {
  it.each([CONNECTION_TEST_SOURCE, "herald:", "herald:anything", "Herald:connection-test", " herald:x"])(
    "reserves %j",
    (source) => {
      expect(isReservedSource(source)).toBe(true);
    },
  );

  it.each(["", "Order microflow", "herald", "my herald:flow", "heraldic:x"])(
    "leaves %j to callers",
    (source) => {
      expect(isReservedSource(source)).toBe(false);
    },
  );
});
