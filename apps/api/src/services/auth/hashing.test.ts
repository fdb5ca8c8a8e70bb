import { describe, expect, it } from "vitest";
import { DomainError } from "../../errors.ts";
import { HashingQueue } from "./hashing.ts";

describe("HashingQueue", () => {
  it("runs at most `concurrency` at once, queues up to maxWaiting, refuses the rest with Retry-After", async () => {
    const queue = new HashingQueue({ concurrency: 2, maxWaiting: 3 });
    let running = 0;
    let peak = 0;
    const releases: (() => void)[] = [];
    const job = () =>
      queue.run(async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running--;
      });
    const accepted = Array.from({ length: 5 }, job);
    const refused = await job().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ code: "service_unavailable", retryAfterSeconds: 1 });
    for (let done = 0; done < 5; ) {
      await new Promise((r) => setTimeout(r, 1));
      const release = releases.shift();
      if (release) {
        release();
        done++;
      }
    }
    await Promise.all(accepted);
    expect(peak).toBe(2);
    expect(queue.depth).toEqual({ active: 0, waiting: 0 });
  });
});
