// Entra apps: added, listed without secrets, attached to webhooks, refused removal while used,
// invisible to other tenants, and their secret encrypted at rest.
import { loadConfig } from "@herald/api";
import { HeraldError } from "@herald/sdk";
import { describe, expect, it } from "vitest";
import { type TestTenant, useHarnessOnly } from "../support/harness.ts";

const { h } = useHarnessOnly({ worker: false });

const ENTRA_TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const CLIENT_ID = "0b5f6a39-3c52-4a6e-9d1f-5c2f1a7e8b90";

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HeraldError) return `${error.status} ${error.code}`;
    throw error;
  }
  return "resolved";
}

/** An Entra app for the test's Entra tenant and client in `tenant`'s instance. */
function addEntraApp(tenant: TestTenant, name: string) {
  return tenant.console.createEntraApp(tenant.instanceId, {
    name,
    tenantId: ENTRA_TENANT,
    clientId: CLIENT_ID,
    clientSecret: "s",
  });
}

describe("Entra apps", () => {
  it("adds, lists and removes an app; the secret is never answered and is encrypted at rest", async () => {
    const t = await h.tenant({ plan: "unlimited" });
    const secret = `entra-secret-${Math.random().toString(36).slice(2)}-value`;
    const app = await t.console.createEntraApp(t.instanceId, {
      name: "Herald sender",
      tenantId: ENTRA_TENANT,
      clientId: CLIENT_ID,
      clientSecret: secret,
    });
    expect(app).toMatchObject({
      name: "Herald sender",
      tenantId: ENTRA_TENANT,
      clientId: CLIENT_ID,
      audience: "https://service.flow.microsoft.com/",
    });
    expect(app.id).toMatch(/^ea_/);
    expect(JSON.stringify(app)).not.toContain(secret);
    const listed = await t.console.listEntraApps(t.instanceId);
    expect(listed.map((a) => a.id)).toEqual([app.id]);
    expect(JSON.stringify(listed)).not.toContain(secret);

    const rows = await h.sql<
      { dump: string }[]
    >`SELECT row_to_json(e)::text AS dump FROM entra_apps e WHERE id = ${app.id}`;
    expect(rows[0]?.dump).toBeDefined();
    expect(rows[0]?.dump).not.toContain(secret);

    await t.console.deleteEntraApp(app.id);
    expect(await t.console.listEntraApps(t.instanceId)).toEqual([]);
  });

  it("attaches to webhooks on create and PATCH, refuses removal while used (409), and frees it on detach", async () => {
    const t = await h.tenant({ plan: "unlimited" });
    const app = await addEntraApp(t, "Sender");
    const url = h.sim.workflowsUrl(undefined, { oauth: { tenantId: ENTRA_TENANT } });
    const webhook = await t.console.createWebhook(t.instanceId, { name: "Secure", url, entraAppId: app.id });
    expect(webhook.entraAppId).toBe(app.id);
    expect(await code(t.console.deleteEntraApp(app.id))).toBe("409 entra_app_in_use");
    const detached = await t.console.updateWebhook(webhook.webhookId, { entraAppId: null });
    expect(detached.entraAppId).toBeNull();
    const again = await t.console.updateWebhook(webhook.webhookId, { entraAppId: app.id });
    expect(again.entraAppId).toBe(app.id);
    await t.console.deleteWebhook(webhook.webhookId);
    await t.console.deleteEntraApp(app.id);
  });

  it("answers 404 for another tenant's app and refuses to attach it", async () => {
    const owner = await h.tenant({ plan: "unlimited" });
    const other = await h.tenant({ plan: "unlimited" });
    const app = await addEntraApp(owner, "Mine");
    expect(await code(other.console.deleteEntraApp(app.id))).toBe("404 not_found");
    expect(await code(other.console.listEntraApps(owner.instanceId))).toBe("404 not_found");
    expect(
      await code(
        other.console.createWebhook(other.instanceId, {
          name: "x",
          url: h.sim.workflowsUrl(),
          entraAppId: app.id,
        }),
      ),
    ).toBe("400 invalid_request");
  });

  it("validates its fields with the one error model", async () => {
    const t = await h.tenant({ plan: "unlimited" });
    const res = await t.console.raw("POST", `/v1/instances/${t.instanceId}/entra-apps`, {
      name: "x",
      tenantId: ENTRA_TENANT,
      clientId: "not-a-guid",
      clientSecret: "s",
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.message).toContain("clientId");
  });
});

describe("webhook warnings and health", () => {
  it("marks a legacy connector as retired and shows health on every webhook", async () => {
    const t = await h.tenant({ plan: "unlimited" });
    const legacy = await t.console.createWebhook(t.instanceId, { name: "Old", url: h.sim.legacyUrl() });
    expect(legacy.warnings.map((w) => w.code)).toEqual(["connector_retired"]);
    expect(legacy.warnings[0]?.message).toMatch(/retired Office 365 connectors in 2026/);
    expect(legacy.health).toEqual({ lastSuccessAt: null, consecutiveFailures: 0 });
    const flow = await t.console.createWebhook(t.instanceId, {
      name: "New",
      url: h.sim.workflowsUrl(undefined, { cu: 16 }),
    });
    expect(flow).toMatchObject({ kind: "workflows", warnings: [], pausedReason: null, ratePolicy: null });
  });

  it("takes a per-webhook rate policy and refuses one it cannot read", async () => {
    const t = await h.tenant({ plan: "unlimited" });
    const w = await t.console.createWebhook(t.instanceId, {
      name: "Slow",
      url: h.sim.workflowsUrl(),
      ratePolicy: "2/1s",
    });
    expect(w.ratePolicy).toBe("2/1s");
    expect(await code(t.console.updateWebhook(w.webhookId, { ratePolicy: "fast" }))).toBe(
      "400 invalid_request",
    );
  });
});

describe("HERALD_ENTRA_AUTHORITY", () => {
  const base = { HERALD_SECRET: "s".repeat(40), DATABASE_URL: "postgres://x@127.0.0.1/x" };

  it("defaults to Microsoft's public cloud and takes https or a loopback http authority", () => {
    expect(loadConfig(base).entraAuthority).toBe("https://login.microsoftonline.com");
    expect(
      loadConfig({ ...base, HERALD_ENTRA_AUTHORITY: "https://login.microsoftonline.us/" }).entraAuthority,
    ).toBe("https://login.microsoftonline.us");
    expect(loadConfig({ ...base, HERALD_ENTRA_AUTHORITY: "http://127.0.0.1:4010" }).entraAuthority).toBe(
      "http://127.0.0.1:4010",
    );
  });

  it("refuses plain http to a host that is not loopback, naming the variable", () => {
    expect(() => loadConfig({ ...base, HERALD_ENTRA_AUTHORITY: "http://login.example.com" })).toThrow(
      /HERALD_ENTRA_AUTHORITY: must be an https:\/\/ URL/,
    );
  });
});
