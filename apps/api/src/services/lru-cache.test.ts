import { describe, expect, it } from "vitest";
import { LruCache } from "./lru-cache.ts";

describe("LruCache", () => {
  it("stays within its bytes, evicting the least recently used first", () => {
    const cache = new LruCache<string>(100, (v) => v.length * 2);
    cache.set("a", "x".repeat(10)); // 22 bytes
    cache.set("b", "x".repeat(10));
    cache.set("c", "x".repeat(10));
    cache.get("a");
    cache.set("d", "x".repeat(20)); // 42: b (least recent) and c must go
    expect(cache.bytes).toBeLessThanOrEqual(100);
    expect(cache.get("a")).toBeDefined();
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("d")).toBeDefined();
  });

  it("does not keep an entry larger than the whole cache", () => {
    const cache = new LruCache<string>(10, (v) => v.length);
    cache.set("k", "x".repeat(100));
    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
  });
});
