// A worker whose every slot is taken does not idle a slot on a rate window: the channel that must
// wait is handed back (ready again when its window allows) and the slot serves another channel.
// One slot, one send per 3 s per URL, and a task that would otherwise sleep up to 10 s in its slot.
import { describe, expect, it } from "vitest";
import { useHarness } from "../support/harness.ts";
import { eventually } from "../support/wait.ts";

const { h, t } = useHarness({
  env: { HERALD_WORKER_CONCURRENCY: "1", HERALD_WORKFLOWS_RATE: "1/3s" },
  maxHoldMs: 10_000,
});

describe("a worker with every slot taken", () => {
  it("serves another channel while one waits for its rate window, and keeps the waiting one's order", async () => {
    const busyUrl = h.sim.workflowsUrl("busy");
    const otherUrl = h.sim.workflowsUrl("other");
    const busy = await t.addWebhook(busyUrl, "busy");
    const other = await t.addWebhook(otherUrl, "other");
    for (const text of ["busy 0", "busy 1"]) await t.activity.sendMessage(busy, text, { wait: 0 });
    await eventually(
      () => (h.sim.requests(busyUrl).length > 0 ? true : undefined),
      10_000,
      "busy's first send",
    );
    await t.activity.sendMessage(other, "other 0", { wait: 0 });
    await eventually(() => (h.sim.requests(otherUrl).length > 0 ? true : undefined), 10_000, "other's send");
    // The busy channel's second message is still waiting for its window.
    expect(h.sim.requests(busyUrl)).toHaveLength(1);
    await eventually(
      () => (h.sim.requests(busyUrl).length === 2 ? true : undefined),
      10_000,
      "busy's second",
    );
    expect(h.sim.requests(busyUrl).map((r) => r.text)).toEqual(["busy 0", "busy 1"]);
  });
});
