// HERALD_WEBHOOK_HOSTS names hosts and ports (issue #15, finding 12): a listed host is open on its
// scheme's port only unless a pattern names another, and a failed connection leaves a generic line
// in the error log (not the address and port it tried, which made the log a port scanner).
import { createServer } from "node:net";
import { createApp } from "@herald/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../support/harness.ts";

let wide: Harness;

beforeAll(async () => {
  wide = await startHarness();
});
afterAll(() => wide.close());

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const address = server.address();
  await new Promise((r) => server.close(r));
  return typeof address === "object" && address ? address.port : 1;
}

describe("host:port patterns", () => {
  it("admits the listed port and refuses the host's other ports", async () => {
    const t = await wide.tenant();
    const simUrl = wide.sim.legacyUrl();
    const { ctx } = wide.runtime;
    const { app } = createApp({
      ...ctx,
      config: { ...ctx.config, webhookHosts: [`127.0.0.1:${new URL(simUrl).port}`] },
    });
    const register = (url: string) =>
      app.fetch(
        new Request(`http://herald.test/v1/instances/${t.instanceId}/webhooks`, {
          method: "POST",
          headers: { authorization: `Bearer ${t.console.sessionToken}`, "content-type": "application/json" },
          body: JSON.stringify({ name: "scan", url }),
        }),
      );
    expect((await register(simUrl)).status).toBe(201);
    for (const url of ["http://127.0.0.1:5432/webhook/x", "http://127.0.0.1:3100/admin/v1/webhook/"]) {
      const res = await register(url);
      expect(res.status, url).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: "webhook_url_not_allowed" } });
    }
  });

  it("logs a refused connection generically, without the address or port tried", async () => {
    const t = await wide.tenant({ plan: "unlimited" });
    const port = await closedPort();
    const webhookId = await t.addWebhook(`http://127.0.0.1:${port}/webhookb2/abc/IncomingWebhook/x/y`);
    await t.activity.sendMessage(webhookId, "to nowhere", { wait: 3 });
    let items: { teamsText: string | null }[] = [];
    for (let i = 0; i < 50 && items.length === 0; i++) {
      items = (
        await t.console.json<{ items: { teamsText: string | null }[] }>(
          "GET",
          `/v1/webhooks/${webhookId}/errors`,
        )
      ).items;
      if (items.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(item.teamsText ?? "").not.toContain(String(port));
      expect(item.teamsText ?? "").not.toContain("ECONNREFUSED");
    }
    expect(items[0]?.teamsText).toMatch(/refused the connection|Could not reach/);
  });
});
