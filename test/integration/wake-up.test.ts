// Synchronous sends never wait on the worker's poll: a new message wakes the worker in the same
// process at once, even when the wake arrives while the worker is busy claiming or working out how
// long to sleep. The poll is set far longer than each send may wait, so a wake-up that is lost
// leaves its message queued and the send answers "queued" instead of "delivered".
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness, type TestTenant } from "../support/harness.ts";

const POLL_MS = 120_000;
const WAIT_SECONDS = 5;

let h: Harness;
let t: TestTenant;
beforeAll(async () => {
  h = await startHarness({ pollMs: POLL_MS, env: { HERALD_WORKFLOWS_RATE: "none" } });
  t = await h.tenant({ plan: "unlimited" });
});
afterAll(() => h.close());

describe("waking the in-process worker", () => {
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
