// One channel whose Teams endpoint is slow to answer does not hold up the others: the worker
// serves channels concurrently. Shown by events, not elapsed time: the healthy channel's message
// is delivered while the slow channel's post is still waiting for its answer.
import { describe, expect, it } from "vitest";
import { useHarnessOnly } from "../support/harness.ts";
import { eventually } from "../support/wait.ts";

// A send timeout longer than the slow answer: the slow post stays in flight (not timed out and
// retried) for as long as it takes to answer.
const { h } = useHarnessOnly({ env: { HERALD_SEND_TIMEOUT_MS: "20000" } });

describe("a slow channel", () => {
  it("does not hold up another channel's delivery", async () => {
    const t = await h.tenant({ plan: "unlimited" });
    const slow = h.sim.legacyUrl();
    const healthy = h.sim.legacyUrl();
    const slowId = await t.addWebhook(slow);
    const healthyId = await t.addWebhook(healthy);
    h.sim.setBehavior(slow, { status: 200, body: "1", delayMs: 4000 });
    const held = await t.activity.sendMessage(slowId, "slow", { wait: 0 });
    await h.sim.waitForRequests(1, { urlOrPath: slow });

    const ok = await t.activity.sendMessage(healthyId, "not blocked");
    expect(ok.status).toBe("delivered");
    expect((await t.activity.getMessage(held.messageId ?? "")).status).toBe("queued");

    const done = await eventually(async () => {
      const status = await t.activity.getMessage(held.messageId ?? "");
      return status.status === "queued" ? undefined : status;
    });
    expect(done.status).toBe("delivered");
    expect(h.sim.requests(slow)).toHaveLength(1);
  });
});
