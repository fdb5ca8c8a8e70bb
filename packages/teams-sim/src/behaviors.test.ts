import { describe, expect, it } from "vitest";
import { BehaviorTable } from "./behaviors.ts";

describe("BehaviorTable", () => {
  it("answers the default for unknown webhooks and a webhook's own behavior otherwise", () => {
    const table = new BehaviorTable();
    expect(table.take("/a")).toBe("ok");
    table.setDefault("server_error");
    table.set("/b", "gone");
    expect([table.take("/a"), table.take("/b")]).toEqual(["server_error", "gone"]);
  });

  it("applies a limited behavior to the next n requests, then the previous one again", () => {
    const table = new BehaviorTable();
    table.set("/a", "gone");
    table.set("/a", "server_error", 2);
    expect([table.take("/a"), table.take("/a"), table.take("/a")]).toEqual([
      "server_error",
      "server_error",
      "gone",
    ]);
  });

  it("stacks limited behaviors, latest first, and a plain set replaces them all", () => {
    const table = new BehaviorTable();
    table.set("/a", "server_error", 2);
    table.set("/a", "reset", 1);
    expect([1, 2, 3, 4].map(() => table.take("/a"))).toEqual(["reset", "server_error", "server_error", "ok"]);
    table.set("/a", "hang", 5);
    table.set("/a", "garbage");
    expect(table.take("/a")).toBe("garbage");
  });

  it("refuses nonsense", () => {
    const table = new BehaviorTable();
    expect(() => table.set("/a", "ok", 0)).toThrow(RangeError);
    expect(() => table.set("/a", "ok", 1.5)).toThrow(RangeError);
    expect(() => table.set("/a", { status: 99 })).toThrow(TypeError);
    expect(() => table.setDefault("nope" as "ok")).toThrow(TypeError);
  });
});
