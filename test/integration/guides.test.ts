// docs/guides/send.sh runs as the guide says, against a listening Herald: exact text delivered,
// rejections reported with exit status 1, and a 503 retried with the same Idempotency-Key.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, runProcess } from "../support/cli.ts";
import { type Harness, startHarness, type TestTenant } from "../support/harness.ts";

let h: Harness;
let t: TestTenant;
let herald: ReturnType<typeof serve>;
let base: string;
beforeAll(async () => {
  h = await startHarness();
  t = await h.tenant({ plan: "unlimited" });
  herald = serve({ fetch: h.runtime.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((r) => herald.once("listening", r));
  base = `http://127.0.0.1:${(herald.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => herald.close(r));
  await h.close();
});

function sendSh(args: string[], env: Record<string, string>) {
  return runProcess("bash", [join(ROOT, "docs/guides/send.sh"), ...args], {
    env: { HERALD_LICENSE_KEY: t.licenseKey, HERALD_LICENSE_SECRET: t.licenseSecret, ...env },
  });
}

describe("docs/guides/send.sh", () => {
  it("delivers the exact text, quotes, backslashes, newlines and all", async () => {
    const url = h.sim.legacyUrl();
    const webhookId = await t.addWebhook(url);
    const text = 'Backup of "db-01" finished\nPath: C:\\backups\\nightly\tsize 4 GB — ✓';
    const result = await sendSh([webhookId, text], { HERALD_URL: base });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ SentMessage: true, status: "delivered" });
    expect(h.sim.requests(url).map((r) => r.text)).toEqual([text]);
    const [row] = await h.sql<
      { source: string }[]
    >`SELECT source FROM messages WHERE webhook_id = ${webhookId}`;
    expect(row?.source).toBe("send.sh");
  });

  it("exits 1 with Herald's explanation when the message is rejected", async () => {
    const result = await sendSh(["wh_doesnotexist", "hello"], { HERALD_URL: base });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      SentMessage: false,
      status: "rejected",
      error: { code: "webhook_not_found" },
    });
  });

  it("retries a 503 with the same Idempotency-Key", async () => {
    const url = h.sim.legacyUrl();
    const webhookId = await t.addWebhook(url);
    // A load balancer that answers 503 once, then passes requests on to Herald.
    const keys: string[] = [];
    const proxy: Server = createServer(async (req, res) => {
      keys.push(String(req.headers["idempotency-key"]));
      if (keys.length === 1) {
        res.writeHead(503, { "content-type": "text/plain" }).end("upstream unavailable");
        return;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const answer = await fetch(`${base}${req.url}`, {
        method: req.method,
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
        body: Buffer.concat(chunks),
      });
      res.writeHead(answer.status, { "content-type": "application/json" }).end(await answer.text());
    });
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
    try {
      const port = (proxy.address() as AddressInfo).port;
      const result = await sendSh([webhookId, "through a flaky balancer"], {
        HERALD_URL: `http://127.0.0.1:${port}`,
      });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain("retry 1 of 3");
      expect(keys).toHaveLength(2);
      expect(keys[0]).toMatch(/^send-sh-/);
      expect(keys[1]).toBe(keys[0]);
      expect(h.sim.requests(url)).toHaveLength(1);
    } finally {
      await new Promise((r) => proxy.close(r));
    }
  });

  it("explains its usage", async () => {
    const result = await sendSh([], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^usage: /);
  });
});
