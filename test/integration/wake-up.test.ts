// Synchronous sends never wait on the worker's poll: a new message wakes the worker in the same
// process at once, even when the wake arrives while the worker is busy claiming or working out how
// long to sleep. The poll is set far longer than each send may wait, so a wake-up that is lost
// leaves its message queued and the send answers "queued" instead of "delivered". The first test
// makes that race happen every time (the loop is held between its claim and its sleep while the
// message is enqueued); the others are what a caller does.
import { describe, expect, it } from "vitest";
import { useHarness } from "../support/harness.ts";

const POLL_MS = 120_000;
const WAIT_SECONDS = 5;

/** Holds the worker's loop between its claim and its sleep, the moment a wake-up used to be lost. */
class LoopHold {
  #armed = false;
  #held: (() => void) | undefined;
  #release: (() => void) | undefined;

  readonly beforeSleep = (): Promise<void> => {
    if (!this.#armed) return Promise.resolve();
    this.#armed = false;
    this.#held?.();
    return new Promise((resolve) => {
      this.#release = resolve;
    });
  };

  /** Resolves once the loop is held. */
  arm(): Promise<void> {
    this.#armed = true;
    return new Promise((resolve) => {
      this.#held = resolve;
    });
  }

  release(): void {
    this.#release?.();
    this.#release = undefined;
  }
}

const hold = new LoopHold();
const { h, t } = useHarness({
  pollMs: POLL_MS,
  env: { HERALD_WORKFLOWS_RATE: "none" },
  beforeSleep: hold.beforeSleep,
});

describe("waking the in-process worker", () => {
  it("keeps a wake-up that arrives while the loop is between its claim and its sleep", async () => {
    const worker = h.runtime.worker;
    if (worker === undefined) throw new Error("the harness runs no worker");
    const webhookId = await t.addWebhook(h.sim.workflowsUrl(), "held");
    // Registered after the worker's own listener: the loop is let go only once the wake has rung.
    const letGo = () => hold.release();
    h.runtime.ctx.signals.on("work", letGo);
    try {
      for (let i = 0; i < 20; i++) {
        const held = hold.arm();
        worker.wake();
        await held;
        const answer = await t.activity.sendMessage(webhookId, `held ${i}`, { wait: WAIT_SECONDS });
        expect(answer.status, `send ${i}: ${answer.Message}`).toBe("delivered");
      }
    } finally {
      h.runtime.ctx.signals.off("work", letGo);
      hold.release();
    }
  });

  it("delivers 100 sequential synchronous sends over 20 Workflows channels, none waiting on the poll", async () => {
    const webhooks: string[] = [];
    for (let i = 0; i < 20; i++) webhooks.push(await t.addWebhook(h.sim.workflowsUrl(), `ch${i}`));
    const took: number[] = [];
    for (let i = 0; i < 100; i++) {
      const started = performance.now();
      const answer = await t.activity.sendMessage(webhooks[i % 20] ?? "", `message ${i}`, {
        wait: WAIT_SECONDS,
      });
      took.push(performance.now() - started);
      expect(answer.status, `send ${i}: ${answer.Message}`).toBe("delivered");
    }
    const slowest = took.indexOf(Math.max(...took));
    took.sort((a, b) => a - b);
    console.log(
      `${h.engine}: 100 sequential synchronous sends, p50 ${took[49]?.toFixed(1)} ms, max ${took[99]?.toFixed(1)} ms (send ${slowest}), p95 ${took[94]?.toFixed(1)} ms`,
    );
  });

  it("delivers 50 concurrent synchronous sends to one channel", async () => {
    const url = h.sim.workflowsUrl();
    const webhookId = await t.addWebhook(url, "busy");
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t.activity.sendMessage(webhookId, `burst ${i}`, { wait: WAIT_SECONDS }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => "delivered"));
    expect(h.sim.requests(url)).toHaveLength(50);
  });
});
