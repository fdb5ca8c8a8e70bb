// A worker whose every slot is taken does not idle a slot on a rate window: the channel that must
// wait is handed back (ready again when its window allows) and the slot serves another channel.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness, type TestTenant } from "../support/harness.ts";
import { eventually } from "../support/wait.ts";

let h: Harness;
let t: TestTenant;
beforeAll(async () => {
  h = await startHarness({ env: { HERALD_WORKER_CONCURRENCY: "1" } });
  t = await h.tenant({ plan: "unlimited" });
});
afterAll(() => h.close());

describe("a worker with every slot taken", () => {
  it("serves another channel while one waits for its rate window, and still keeps each channel's order", async () => {
    const busyUrl = h.sim.legacyUrl("busy");
    const otherUrl = h.sim.legacyUrl("other");
    const busy = await t.addWebhook(busyUrl, "busy");
    const other = await t.addWebhook(otherUrl, "other");
    // Five to one legacy connector: the fifth waits about a second for the 4-per-second window.
    for (let i = 0; i < 5; i++) await t.activity.sendMessage(busy, `busy ${i}`, { wait: 0 });
    await eventually(() => (h.sim.requests(busyUrl).length >= 4 ? true : undefined), 10_000, "4 sends");
    await t.activity.sendMessage(other, "other 0", { wait: 0 });
    await eventually(
      () => (h.sim.requests(busyUrl).length === 5 ? true : undefined),
      10_000,
      "the fifth send",
    );
    // The other channel did not wait for the busy one's window.
    const [other0] = h.sim.requests(otherUrl);
    expect(other0?.text).toBe("other 0");
    expect(other0?.at ?? Number.POSITIVE_INFINITY).toBeLessThan(h.sim.requests(busyUrl)[4]?.at ?? 0);
    expect(h.sim.requests(busyUrl).map((r) => r.text)).toEqual([0, 1, 2, 3, 4].map((i) => `busy ${i}`));
    expect(h.sim.violations()).toEqual([]);
  });
});
