// Two tenants registering one Teams URL (issue #15, finding 14): they share its rate windows (Teams'
// limit is per URL), but one tenant's disabling answer or re-activation acts on its own webhooks
// only, and nothing of it shows in the other's error log.
import { describe, expect, it } from "vitest";
import { useHarnessOnly } from "../support/harness.ts";

const { h } = useHarnessOnly();

/** Tenants a and b, each with a webhook on one legacy connector URL. */
async function twoTenantsOnOneUrl() {
  const a = await h.tenant({ plan: "unlimited" });
  const b = await h.tenant({ plan: "unlimited" });
  const url = h.sim.legacyUrl();
  return { a, b, url, aHook: await a.addWebhook(url), bHook: await b.addWebhook(url) };
}

describe("a URL shared by two tenants", () => {
  it("a 410 to one tenant's message disables that tenant's webhook only, and logs nothing for the other", async () => {
    const { a, b, url, aHook, bHook } = await twoTenantsOnOneUrl();
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
    const { b, aHook, bHook } = await twoTenantsOnOneUrl();
    const [row] = await h.sql<{ channelId: string }[]>`SELECT channel_id FROM webhooks WHERE id = ${aHook}`;
    await h.sql`UPDATE channels SET paused_until = now() + interval '10 minutes' WHERE id = ${row?.channelId ?? ""}`;
    await b.console.raw("PATCH", `/v1/webhooks/${bHook}`, { active: false });
    await b.console.raw("PATCH", `/v1/webhooks/${bHook}`, { active: true });
    const [after] = await h.sql<{ pausedUntil: Date | null }[]>`
      SELECT paused_until FROM channels WHERE id = ${row?.channelId ?? ""}`;
    expect(after?.pausedUntil?.getTime() ?? 0).toBeGreaterThan(Date.now());
    // Its error log says the pause stays, without saying whose sends it came from.
    const bLog = await b.console.json<{ items: { kind: string; action: string }[] }>(
      "GET",
      `/v1/webhooks/${bHook}/errors`,
    );
    const reactivated = bLog.items.find((e) => e.kind === "Channel reactivated");
    expect(reactivated?.action).toBe("Channel activated; a pause Teams put on this URL stays until it ends");
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
    const soloLog = await solo.console.json<{ items: { kind: string; action: string }[] }>(
      "GET",
      `/v1/webhooks/${soloHook}/errors`,
    );
    expect(soloLog.items.find((e) => e.kind === "Channel reactivated")?.action).toBe(
      "Channel activated; pause and error counters cleared",
    );
  });
});
