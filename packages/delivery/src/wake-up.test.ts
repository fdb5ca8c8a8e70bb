import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { WakeUp } from "./wake-up.ts";

// Fake timers: a wait that is not woken never resolves here, so "resolved" means "woken".
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const settled = async (p: Promise<void>) => {
  let done = false;
  void p.then(() => {
    done = true;
  });
  await Promise.resolve();
  await Promise.resolve();
  return done;
};

describe("WakeUp", () => {
  it("a ring wakes the wait in progress", async () => {
    const wake = new WakeUp();
    const waiting = wake.wait(60_000);
    expect(await settled(waiting)).toBe(false);
    wake.ring();
    expect(await settled(waiting)).toBe(true);
  });

  it("keeps a ring that arrives while nobody waits: the next wait returns at once", async () => {
    const wake = new WakeUp();
    wake.ring();
    expect(await settled(wake.wait(60_000))).toBe(true);
    // Consumed: the wait after it sleeps again.
    expect(await settled(wake.wait(60_000))).toBe(false);
  });

  it("forgets rings before a clear, keeps those after it", async () => {
    const wake = new WakeUp();
    wake.ring();
    wake.clear();
    expect(await settled(wake.wait(60_000))).toBe(false);
    const next = new WakeUp();
    next.clear();
    next.ring();
    expect(await settled(next.wait(60_000))).toBe(true);
  });

  it("still returns when the time is up without a ring", async () => {
    const wake = new WakeUp();
    const waiting = wake.wait(1_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await settled(waiting)).toBe(true);
  });
});
