// Password hashing (scrypt) runs on libuv's thread pool, which Herald shares with DNS lookups and
// file I/O. A few hashes at a time keep the pool free for the rest; a bounded queue holds a burst,
// and beyond it a sign-in is told to come back (503 with Retry-After) instead of waiting unbounded.
import { availableParallelism } from "node:os";
import { hashPassword, verifyPassword } from "../../crypto.ts";
import { DomainError } from "../../errors.ts";

export interface HashingQueueOptions {
  /** Hashes computed at once. */
  concurrency: number;
  /** Hashes waiting for a turn; one more is refused. */
  maxWaiting: number;
}

export class HashingQueue {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly options: HashingQueueOptions) {}

  get depth(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.waiting.length };
  }

  /**
   * Throws the 503 now if a hash could not even queue: checked before a sign-in does any other
   * work (throttle counters, the user lookup), so a flood beyond the queue costs next to nothing.
   */
  assertRoom(): void {
    if (this.active >= this.options.concurrency && this.waiting.length >= this.options.maxWaiting) {
      throw new DomainError(
        "service_unavailable",
        "Herald is checking too many passwords at once; retry in a second.",
        undefined,
        1,
      );
    }
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.options.concurrency) {
      this.assertRoom();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active++;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next in line; otherwise it is given back.
      if (next) next();
      else this.active--;
    }
  }
}

/** One per process: the thread pool it protects is per process. Leaves at least one core for requests. */
export const passwordHashing = new HashingQueue({
  concurrency: Math.max(1, Math.min(2, availableParallelism() - 1)),
  maxWaiting: 16,
});

export function hashPasswordQueued(password: string): Promise<string> {
  return passwordHashing.run(() => hashPassword(password));
}

export function verifyPasswordQueued(password: string, stored: string): Promise<boolean> {
  return passwordHashing.run(() => verifyPassword(password, stored));
}
