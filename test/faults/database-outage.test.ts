// PostgreSQL goes away under load and comes back: the api answers 503 with Retry-After while it is
// down, never acknowledges a message it did not store, and recovers without a restart.
import { describe, expect, inject, it } from "vitest";
import { startHarness } from "../support/harness.ts";
import { startTcpProxy } from "../support/tcp-proxy.ts";
import { eventually } from "../support/wait.ts";

describe.skipIf(inject("engine") !== "postgres")("database outage", () => {
  it("503 while PostgreSQL is unreachable; every acknowledged message is delivered once it is back", async () => {
    const real = new URL(inject("databaseUrl"));
    const proxy = await startTcpProxy({ host: real.hostname, port: Number(real.port || 5432) });
    const proxied = new URL(real.href);
    proxied.port = String(proxy.port);
    // Power Automate's 4/1 s default would make the backlog a rate-limit test; this one is about the outage.
    const h = await startHarness({
      databaseUrl: proxied.href,
      env: { HERALD_WORKER_LEASE_MS: "3000", HERALD_WORKFLOWS_RATE: "none" },
    });
    try {
      const t = await h.tenant({ plan: "unlimited" });
      const url = h.sim.workflowsUrl();
      const webhookId = await t.addWebhook(url);
      const acknowledged = new Set<string>();
      const statuses = new Map<number, number>();
      let retryAfterSeen = false;
      let n = 0;
      const send = async () => {
        const res = await t.activity.raw(
          "POST",
          "/v1/messages?wait=0",
          { webhookId, textMessage: `load ${n++}`, idempotencyKey: `k-${n}` },
          { "x-license-key": t.licenseKey, "x-license-secret": t.licenseSecret },
        );
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 503 && res.headers.get("retry-after")) retryAfterSeen = true;
        const body = (await res.json()) as { messageId?: string | null; status?: string };
        if ((res.status === 202 || res.status === 200) && body.messageId) acknowledged.add(body.messageId);
        return res.status;
      };
      const load = async (ms: number) => {
        const end = Date.now() + ms;
        while (Date.now() < end) await Promise.all([send(), send(), send()]);
      };

      await load(1000);
      proxy.down();
      await load(2000);
      proxy.up();
      await eventually(
        async () => ((await send()) === 202 ? true : undefined),
        20_000,
        "recovery without restart",
      );
      await load(1000);

      expect(statuses.get(503) ?? 0).toBeGreaterThan(0);
      expect(retryAfterSeen).toBe(true);
      expect(statuses.get(500) ?? 0).toBe(0);
      await eventually(
        async () => {
          const rows = await h.sql<{ id: string; status: string }[]>`
          SELECT id, status FROM messages WHERE tenant_id = ${t.tenantId}`;
          const delivered = rows.filter((r) => r.status === "delivered").map((r) => r.id);
          return [...acknowledged].every((id) => delivered.includes(id)) ? true : undefined;
        },
        60_000,
        "every acknowledged message delivered",
      );
      const texts = h.sim.requests(url).map((r) => r.text);
      const duplicates = texts.length - new Set(texts).size;
      console.log(
        `outage: statuses ${JSON.stringify(Object.fromEntries(statuses))}; acknowledged ${acknowledged.size}, delivered ${new Set(texts).size}, duplicates ${duplicates}`,
      );
    } finally {
      await h.close().catch(() => undefined);
      await proxy.close();
    }
  });
});
