// The database never holds a license secret or a webhook URL in clear text, and /openapi.json
// documents every route the app serves.
import { describe, expect, it } from "vitest";
import { useHarnessOnly } from "../support/harness.ts";

const { h } = useHarnessOnly();

describe("secrets at rest", () => {
  it("a dump of every table contains neither the license secret nor any part of the webhook URL's secret path", async () => {
    const t = await h.tenant({ plan: "unlimited" });
    const url = h.sim.legacyUrl();
    const webhookId = await t.addWebhook(url);
    expect((await t.activity.sendMessage(webhookId, "secret check")).status).toBe("delivered");
    const tables = await h.sql<
      { tablename: string }[]
    >`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`;
    let dump = "";
    for (const { tablename } of tables) {
      const rows = await h.sql.unsafe(`SELECT * FROM "${tablename}"`);
      dump += JSON.stringify(rows, (_k, v: unknown) =>
        v instanceof Uint8Array ? Buffer.from(v).toString("latin1") : typeof v === "bigint" ? String(v) : v,
      );
    }
    expect(dump.length).toBeGreaterThan(1000);
    expect(dump).toContain(t.licenseKey); // the public half is stored, so the dump is real
    expect(dump).not.toContain(t.licenseSecret);
    // The path segments after /webhookb2/ are the credentials (GUIDs and a hex token).
    const secretPath = new URL(url).pathname.split("/").filter((s) => s.length >= 16);
    expect(secretPath.length).toBeGreaterThanOrEqual(2);
    for (const part of secretPath) expect(dump).not.toContain(part);
    expect(dump).not.toContain(url);
  });

  it("never answers with a full webhook URL", async () => {
    const t = await h.tenant({ plan: "unlimited" });
    const url = h.sim.legacyUrl();
    const webhookId = await t.addWebhook(url);
    const listed = JSON.stringify(await t.console.listWebhooks(t.instanceId));
    const single = JSON.stringify(await t.console.getWebhook(webhookId));
    for (const body of [listed, single]) {
      expect(body).toContain(webhookId);
      expect(body).not.toContain(url);
      expect(body).not.toContain(new URL(url).pathname.split("/")[4] ?? "never");
    }
  });
});

describe("OpenAPI", () => {
  it("is an OpenAPI 3.1 document covering every route", async () => {
    const res = await h.runtime.app.fetch(new Request("http://herald.test/openapi.json"));
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe("3.1.0");
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
      ),
    );
    const served = h.runtime.app.routes
      .filter((r) => r.method !== "ALL" && (r.path.startsWith("/v1/") || r.path.startsWith("/admin/")))
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`);
    expect(served.length).toBeGreaterThan(15);
    for (const route of served) expect(documented, route).toContain(route);
  });
});
