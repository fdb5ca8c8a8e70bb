// Recently read values, kept per runtime (AppContext): tests start several runtimes in one
// process, and each must see only its own. An entry is fresh for ttlMs; a full cache starts over.
import type { AppContext } from "../context.ts";

interface Entry<T> {
  value: T;
  at: number;
}

export class RuntimeCache<T> {
  private readonly byRuntime = new WeakMap<AppContext, Map<string, Entry<T>>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  /** The entry if it is fresh; wrapped, so that a cached `undefined` ("not found") is not a miss. */
  fresh(ctx: AppContext, key: string): { value: T } | undefined {
    const hit = this.entries(ctx).get(key);
    return hit && Date.now() - hit.at < this.ttlMs ? hit : undefined;
  }

  set(ctx: AppContext, key: string, value: T): void {
    const entries = this.entries(ctx);
    if (entries.size >= this.maxEntries) entries.clear();
    entries.set(key, { value, at: Date.now() });
  }

  delete(ctx: AppContext, key: string): void {
    this.byRuntime.get(ctx)?.delete(key);
  }

  private entries(ctx: AppContext): Map<string, Entry<T>> {
    let entries = this.byRuntime.get(ctx);
    if (!entries) {
      entries = new Map();
      this.byRuntime.set(ctx, entries);
    }
    return entries;
  }
}
