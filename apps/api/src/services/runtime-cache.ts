// Recently read values of one runtime. An entry is fresh for ttlMs by the runtime's clock; a full
// cache starts over. Each runtime builds its own (RuntimeCaches), so tests that start several
// runtimes in one process never see each other's entries.
import type { Clock } from "@herald/delivery";

interface Entry<T> {
  value: T;
  at: number;
}

export class RuntimeCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  /** The entry if it is fresh; wrapped, so that a cached `undefined` ("not found") is not a miss. */
  fresh(key: string): { value: T } | undefined {
    const hit = this.entries.get(key);
    return hit && this.clock.now().getTime() - hit.at < this.ttlMs ? hit : undefined;
  }

  set(key: string, value: T): void {
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { value, at: this.clock.now().getTime() });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
