// Hostile input that used to cost the process dearly or answer 500 (issue #15, findings 1, 3, 11):
// nested JSON, oversized bodies and license keys, out-of-range cursors and prototype-key lookups.
import { licenseCacheBytes } from "@herald/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness, type TestTenant } from "../support/harness.ts";

let h: Harness;
let t: TestTenant;
let webhookId: string;

beforeAll(async () => {
  h = await startHarness({ worker: false });
  t = await h.tenant({ plan: "unlimited" });
  webhookId = await t.addWebhook(h.sim.legacyUrl());
});
afterAll(() => h.close());

const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

async function post(path: string, body: string, headers: Record<string, string> = {}) {
  return h.runtime.app.fetch(
    new Request(`http://herald.test${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    }),
  );
}

describe("nested and oversized bodies (finding 1)", () => {
  it("a deeply nested card on sendMessage is a 400 invalid_request, not a 500", async () => {
    const body = `{"webhookId":"${webhookId}","card":{"type":"AdaptiveCard","body":${nested(20_000)}}}`;
    const res = await post("/v1/messages?wait=0", body, {
      "x-license-key": t.licenseKey,
      "x-license-secret": t.licenseSecret,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: "invalid_request" }, status: "rejected" });
  });

  it("sign-in refuses nesting before parsing it, and bodies over a few KB", async () => {
    const deep = await post("/v1/auth/login", `{"email":"x@y.z","password":"p","junk":${nested(500)}}`);
    expect(deep.status).toBe(400);
    expect(((await deep.json()) as { error: { message: string } }).error.message).toMatch(/nests/);
    const big = await post(
      "/v1/auth/login",
      JSON.stringify({ email: "x@y.z", password: "p", junk: "x".repeat(100_000) }),
    );
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: { code: "payload_too_large" } });
  });

  it("configuration routes take KB, sendMessage still takes a large card", async () => {
    const config = await t.console.raw("POST", "/v1/instances", { name: "x".repeat(200_000) });
    expect(config.status).toBe(413);
    const card = {
      "@type": "MessageCard",
      summary: "big",
      sections: [{ text: "y".repeat(20_000) }],
      text: "big card",
    };
    const send = await t.activity.sendMessage(webhookId, undefined, { card, wait: 0 });
    expect(send.httpStatus, JSON.stringify(send)).toBe(202);
  });

  it("the operator API has a body limit too", async () => {
    const res = await h.admin("PUT", "/admin/v1/plans/huge", { displayName: "x".repeat(200_000) });
    expect(res.status).toBe(413);
  });
});

describe("license keys (finding 3)", () => {
  it("refuses malformed and oversized keys without caching them", async () => {
    const before = licenseCacheBytes(h.runtime.ctx);
    for (let i = 0; i < 200; i++) {
      const res = await h.runtime.app.fetch(
        new Request("http://herald.test/v1/messages", {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-license-key": `hk_${i}${"k".repeat(15_000)}`,
            "x-license-secret": "hs_x",
          },
          body: JSON.stringify({ webhookId, textMessage: "x" }),
        }),
      );
      expect(res.status).toBe(401);
    }
    expect(licenseCacheBytes(h.runtime.ctx)).toEqual(before);
  });

  it("remembers unknown well-formed keys by a short hash within a byte bound, and real keys keep working", async () => {
    const before = licenseCacheBytes(h.runtime.ctx).misses;
    for (let i = 0; i < 300; i++) {
      // The longest well-formed key: remembered by itself, each would cost 134 bytes of key alone.
      const licenseKey = `hk_${"u".repeat(56)}${String(i).padStart(8, "0")}`;
      const res = await h.client({ licenseKey, licenseSecret: "hs_x" }).validateLicense();
      expect(res.valid).toBe(false);
    }
    const misses = licenseCacheBytes(h.runtime.ctx).misses - before;
    expect(misses).toBeGreaterThan(0);
    expect(misses).toBeLessThan(300 * 100);
    expect((await t.activity.validateLicense()).valid).toBe(true);
  });
});

describe("unhandled 500s (finding 11)", () => {
  it("an out-of-range error-log cursor is a 400", async () => {
    for (const path of [
      `/v1/instances/${t.instanceId}/errors?before=99999999999999999999999999`,
      `/v1/webhooks/${webhookId}/errors?before=-1`,
    ]) {
      const res = await t.console.raw("GET", path);
      expect(res.status, path).toBe(400);
    }
  });

  it("error-log ids are opaque per-entry ids, and paging by them works", async () => {
    await h.sql`INSERT INTO error_log (tenant_id, instance_id, webhook_id, kind, classification, action)
      SELECT ${t.tenantId}, ${t.instanceId}, ${webhookId}, 'test', 'state', 'none' FROM generate_series(1, 3)`;
    const first = await t.console.json<{ items: { id: string }[]; nextCursor: string | null }>(
      "GET",
      `/v1/webhooks/${webhookId}/errors?limit=2`,
    );
    expect(first.items).toHaveLength(2);
    for (const item of first.items) expect(item.id).toMatch(/^el_[0-9a-f]{32}$/);
    expect(first.nextCursor).toBe(first.items[1]?.id);
    const second = await t.console.json<{ items: { id: string }[] }>(
      "GET",
      `/v1/webhooks/${webhookId}/errors?limit=2&before=${first.nextCursor}`,
    );
    expect(second.items.length).toBeGreaterThanOrEqual(1);
    expect(second.items.map((i) => i.id)).not.toContain(first.items[0]?.id);
  });

  it("console asset names that are Object.prototype keys are 404s", async () => {
    for (const name of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
      const res = await h.runtime.app.fetch(new Request(`http://herald.test/console/assets/${name}`));
      expect(res.status, name).toBe(404);
    }
  });
});
