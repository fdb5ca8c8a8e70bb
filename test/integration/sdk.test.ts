// The SDK against the real app: a lost answer or a 503 is retried with the SDK's own idempotency
// key, so the caller gets one answer and Teams gets one message.
import { Herald } from "@herald/sdk";
import { describe, expect, it } from "vitest";
import { ADMIN_TOKEN, useHarness } from "../support/harness.ts";

const { h, t } = useHarness();

/** The app's in-process fetch behind a flaky network: `fault` decides what happens to each attempt. */
function flaky(fault: (attempt: number) => "lose-answer" | "unavailable" | "pass") {
  let attempts = 0;
  const fetch = async (request: Request): Promise<Response> => {
    const what = fault(attempts++);
    if (what === "unavailable") {
      return new Response(JSON.stringify({ error: { code: "service_unavailable" } }), { status: 503 });
    }
    const response = await h.runtime.app.fetch(request);
    if (what === "lose-answer") throw new TypeError("fetch failed: socket hang up");
    return response;
  };
  const client = new Herald({
    baseUrl: "http://herald.test",
    licenseKey: t.licenseKey,
    licenseSecret: t.licenseSecret,
    fetch,
  });
  return { client, attempts: () => attempts };
}

describe("SDK retries against the app", () => {
  it("a lost answer is retried with the same key: one message in Teams, the first message's id", async () => {
    const url = h.sim.legacyUrl();
    const webhookId = await t.addWebhook(url);
    const { client, attempts } = flaky((n) => (n === 0 ? "lose-answer" : "pass"));
    const answer = await client.sendMessage(webhookId, "sent once, answered twice");
    expect(attempts()).toBe(2);
    expect(answer).toMatchObject({ httpStatus: 200, SentMessage: true, status: "delivered" });
    expect(h.sim.requests(url)).toHaveLength(1);
    const rows = await h.sql<{ id: string }[]>`SELECT id FROM messages WHERE webhook_id = ${webhookId}`;
    expect(rows.map((r) => r.id)).toEqual([answer.messageId]);
  });

  it("a 503 in front of the app is retried until Herald answers", async () => {
    const url = h.sim.legacyUrl();
    const webhookId = await t.addWebhook(url);
    const { client, attempts } = flaky((n) => (n < 2 ? "unavailable" : "pass"));
    const answer = await client.sendMessage(webhookId, "after two 503s");
    expect(attempts()).toBe(3);
    expect(answer.status).toBe("delivered");
    expect(h.sim.requests(url)).toHaveLength(1);
  });
});

describe("SDK coverage of the public API", () => {
  it("runs the console flow a tenant follows, then the activity calls", async () => {
    const owner = h.client();
    const { instanceId } = await owner.signup({
      email: `sdk-${Date.now()}@example.com`,
      password: "correct horse battery",
      organization: "SDK Org",
    });
    const renamed = await owner.renameInstance(instanceId, "Production");
    expect(renamed.name).toBe("Production");
    const key = await owner.createBindingKey(instanceId, "Support portal app");
    expect((await owner.listBindingKeys(instanceId)).items.map((k) => k.licenseKey)).toContain(
      key.licenseKey,
    );
    const webhook = await owner.createWebhook(instanceId, { name: "Support", url: h.sim.legacyUrl() });
    expect((await owner.testWebhook(webhook.webhookId)).status).toBe("delivered");

    const activity = h.client({ licenseKey: key.licenseKey, licenseSecret: key.licenseSecret });
    expect(await activity.validateLicense()).toMatchObject({ httpStatus: 200, valid: true });
    const sent = await activity.sendMessage(webhook.webhookId, "hello from the SDK", { wait: 0 });
    expect(sent).toMatchObject({ httpStatus: 202, status: "queued" });
    expect((await activity.getMessage(sent.messageId ?? "")).messageId).toBe(sent.messageId);
    const usage = await owner.usage({ series: "daily" });
    expect(usage.thisMonth.messagesAccepted).toBeGreaterThanOrEqual(1);
    expect((await owner.instanceErrors(instanceId)).items).toEqual([]);
  });

  it("runs the operator calls with the admin token", async () => {
    const admin = h.client({ token: ADMIN_TOKEN });
    const plan = await admin.putPlan("sdk-team", {
      displayName: "SDK Team",
      webhookLimit: 5,
      monthlyMessageLimit: 100,
    });
    expect(plan).toMatchObject({ name: "sdk-team", webhookLimit: 5, billOverage: false, trialDays: null });
    expect((await admin.listPlans()).items.map((p) => p.name)).toContain("sdk-team");
    const other = await h.tenant();
    await admin.setTenantPlan(other.tenantId, "sdk-team");
    const tenants = await admin.listTenants({ limit: 500 });
    expect(tenants.items.find((x) => x.id === other.tenantId)?.plan).toBe("sdk-team");
    expect(await admin.ready()).toMatchObject({ ready: true, status: "ready" });
  });
});
