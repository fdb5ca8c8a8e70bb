// Two tenants registering one Teams URL (issue #15, finding 14): they share its rate windows (Teams'
// limit is per URL), but one tenant's disabling answer or re-activation acts on its own webhooks
// only, and nothing of it shows in the other's error log.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../support/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe("a URL shared by two tenants", () => {
  it("a 410 to one tenant's message disables that tenant's webhook only, and logs nothing for the other", async () => {
    const a = await h.tenant({ plan: "unlimited" });
    const b = await h.tenant({ plan: "unlimited" });
    const url = h.sim.legacyUrl();
    const aHook = await a.addWebhook(url);
    const bHook = await b.addWebhook(url);
    h.sim.setBehavior(url, "gone", { times: 1 });
    const answer = await b.activity.sendMessage(bHook, "from b");
    expect(answer.status).toBe("failed");
    expect((await b.console.getWebhook(bHook)).state).toBe("disabled");
    expect((await a.console.getWebhook(aHook)).active).toBe(true);
    const aLog = await a.console.json<{ items: unknown[] }>("GET", `/v1/webhooks/${aHook}/errors`);
    expect(aLog.items).toEqual([]);
    expect((await a.activity.sendMessage(aHook, "from a")).status).toBe("delivered");
  });

  it("re-activating one tenant's webhook does not lift a pause the URL is under", async () => {
    const a = await h.tenant({ plan: "unlimited" });
    const b = await h.tenant({ plan: "unlimited" });
    const url = h.sim.legacyUrl();
    const aHook = await a.addWebhook(url);
    const bHook = await b.addWebhook(url);
    const [row] = await h.sql<{ channelId: string }[]>`SELECT channel_id FROM webhooks WHERE id = ${aHook}`;
    await h.sql`UPDATE channels SET paused_until = now() + interval '10 minutes' WHERE id = ${row?.channelId ?? ""}`;
    await b.console.raw("PATCH", `/v1/webhooks/${bHook}`, { active: false });
    await b.console.raw("PATCH", `/v1/webhooks/${bHook}`, { active: true });
    const [after] = await h.sql<{ pausedUntil: Date | null }[]>`
      SELECT paused_until FROM channels WHERE id = ${row?.channelId ?? ""}`;
    expect(after?.pausedUntil?.getTime() ?? 0).toBeGreaterThan(Date.now());
    // Alone on its URL, a tenant's re-activation does lift it.
    const solo = await h.tenant({ plan: "unlimited" });
    const soloHook = await solo.addWebhook(h.sim.legacyUrl());
    const [soloRow] = await h.sql<
      { channelId: string }[]
    >`SELECT channel_id FROM webhooks WHERE id = ${soloHook}`;
    await h.sql`UPDATE channels SET paused_until = now() + interval '10 minutes' WHERE id = ${soloRow?.channelId ?? ""}`;
    await solo.console.raw("PATCH", `/v1/webhooks/${soloHook}`, { active: false });
    await solo.console.raw("PATCH", `/v1/webhooks/${soloHook}`, { active: true });
    const [soloAfter] = await h.sql<{ pausedUntil: Date | null }[]>`
      SELECT paused_until FROM channels WHERE id = ${soloRow?.channelId ?? ""}`;
    expect(soloAfter?.pausedUntil).toBeNull();
  });
});
