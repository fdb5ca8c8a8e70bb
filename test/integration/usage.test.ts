// Usage statistics from counters kept on write: this month, last month and total, per tenant and
// per instance, a daily series, across a month boundary (injected clock) and after a retention purge.
import { purgeMessageBodies } from "@herald/db";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../support/clock.ts";
import { type TestTenant, useHarness } from "../support/harness.ts";

const clock = new ManualClock("2026-10-20T12:00:00Z");
const { h, t } = useHarness({ clock });

async function sendAll(client: TestTenant["activity"], webhookId: string, texts: string[]) {
  for (const text of texts) {
    const r = await client.sendMessage(webhookId, text);
    expect(r, JSON.stringify(r)).toMatchObject({ status: "delivered" });
  }
}

describe("GET /v1/usage", () => {
  it("moves October's figures to lastMonth in November, keeps totals, narrows by instance and survives a purge", async () => {
    const second = await t.console.createInstance("Production");
    const key = await t.console.createBindingKey(second.id, "prod app");
    const production = h.client({ licenseKey: key.licenseKey, licenseSecret: key.licenseSecret });

    const alerts = await t.addWebhook(h.sim.legacyUrl(), "Alerts");
    const doomedUrl = h.sim.legacyUrl();
    const doomed = await t.addWebhook(doomedUrl, "Doomed");
    const prodHook = (await t.console.createWebhook(second.id, { name: "Prod", url: h.sim.workflowsUrl() }))
      .webhookId;

    // October: 3 delivered + 1 failed in the developer instance, 1 delivered in production.
    await sendAll(t.activity, alerts, ["oct 1", "oct 2", "oct 3"]);
    h.sim.setBehavior(doomedUrl, "gone");
    expect(await t.activity.sendMessage(doomed, "to a removed connector")).toMatchObject({
      status: "failed",
    });
    await sendAll(production, prodHook, ["oct prod"]);

    const october = await t.console.usage();
    expect(october.thisMonth).toMatchObject({
      from: "2026-10-01",
      to: "2026-11-01",
      messagesAccepted: 5,
      messagesSent: 4,
      messagesFailed: 1,
      webhooks: 3,
      webhooksActive: 2,
      webhooksAdded: 3,
    });
    expect(october.lastMonth).toMatchObject({ messagesSent: 0, messagesFailed: 0 });

    // November: the month boundary passes; 2 more delivered in the developer instance.
    clock.set("2026-11-03T09:00:00Z");
    await sendAll(t.activity, alerts, ["nov 1", "nov 2"]);
    // Two weeks on, the seven-day session of October has expired: sign in again.
    await t.console.login({ email: t.email, password: t.password });

    const all = await t.console.usage({ series: "daily" });
    expect(all.thisMonth).toMatchObject({ from: "2026-11-01", messagesSent: 2, messagesFailed: 0 });
    expect(all.lastMonth).toMatchObject({
      from: "2026-10-01",
      to: "2026-11-01",
      messagesSent: 4,
      messagesFailed: 1,
    });
    expect(all.total).toMatchObject({ messagesAccepted: 7, messagesSent: 6, messagesFailed: 1, webhooks: 3 });
    expect(all.total.messagesSent).toBe(all.thisMonth.messagesSent + all.lastMonth.messagesSent);
    expect(all.quota.messagesThisMonth.used).toBe(2);
    expect(all.series).toEqual([
      expect.objectContaining({ day: "2026-10-20", messagesSent: 4, messagesFailed: 1, webhooksAdded: 3 }),
      expect.objectContaining({ day: "2026-11-03", messagesSent: 2, messagesFailed: 0 }),
    ]);

    const developer = await t.console.usage({ instanceId: t.instanceId });
    expect(developer.thisMonth.messagesSent).toBe(2);
    expect(developer.lastMonth.messagesSent).toBe(3);
    expect(developer.total).toMatchObject({
      messagesSent: 5,
      messagesFailed: 1,
      webhooks: 2,
      webhooksActive: 1,
    });
    const prod = await t.console.usage({ instanceId: second.id });
    expect(prod.total).toMatchObject({ messagesSent: 1, webhooks: 1, webhooksActive: 1 });
    // Narrowed figures, but the quota is the account's: all 3 webhooks count against the limit.
    expect(prod.quota.webhooks.used).toBe(3);
    expect(developer.quota.webhooks.used).toBe(3);

    // Retention drops the bodies of finished messages; the statistics live in counters.
    await purgeMessageBodies(h.sql, { olderThan: new Date(Date.now() + 1000) });
    const [left] = await h.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM messages WHERE tenant_id = ${t.tenantId} AND payload IS NOT NULL`;
    expect(left?.n).toBe(0);
    expect(await t.console.usage({ series: "daily" })).toEqual(all);

    // The console counts its 30 days back from the runtime's clock, not the machine's.
    const { token } = await h.client().json<{ token: string }>("POST", "/v1/auth/login", {
      email: t.email,
      password: t.password,
    });
    const res = await h.runtime.app.fetch(
      new Request("http://herald.test/console/usage/daily.csv", {
        headers: { cookie: `herald_session=${token}` },
      }),
    );
    expect(res.headers.get("content-disposition")).toContain("herald-usage-daily-2026-11-03.csv");
    const days = (await res.text()).trim().split(/\r?\n/).slice(1);
    expect(days).toHaveLength(30);
    expect(days.at(-1)).toBe("2026-11-03,2,0,0");
    expect(days).toContain("2026-10-20,4,1,0");
  });

  it("answers 404 for another tenant's instance", async () => {
    const other = await h.tenant({ plan: "unlimited" });
    await expect(other.console.usage({ instanceId: t.instanceId })).rejects.toMatchObject({
      status: 404,
    });
  });
});
