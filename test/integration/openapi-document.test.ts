// /openapi.json as generators and linters read it: every operation named and described, tags,
// servers, licence and contact; and the answers the document promises for a wrong Content-Type
// (415 with the error body) and for missing license headers (reason missing_credentials).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness, type TestTenant } from "../support/harness.ts";

let h: Harness;
let t: TestTenant;
let doc: Record<string, unknown>;
beforeAll(async () => {
  h = await startHarness();
  t = await h.tenant({ plan: "unlimited" });
  doc = (await (await h.runtime.app.fetch(new Request("http://herald.test/openapi.json"))).json()) as Record<
    string,
    unknown
  >;
});
afterAll(() => h.close());

interface Operation {
  operationId?: string;
  description?: string;
  summary?: string;
  tags?: string[];
  responses: Record<string, unknown>;
  requestBody?: unknown;
}

const operations = () =>
  Object.entries(doc.paths as Record<string, Record<string, Operation>>).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ at: `${method.toUpperCase()} ${path}`, op })),
  );

const post = (path: string, body: string, headers: Record<string, string>) =>
  h.runtime.app.fetch(new Request(`http://herald.test${path}`, { method: "POST", body, headers }));

describe("/openapi.json", () => {
  it("names and describes every operation, once each, under a declared tag", () => {
    const all = operations();
    expect(all.length).toBeGreaterThan(30);
    const tags = (doc.tags as Array<{ name: string; description: string }>).map((tag) => tag.name);
    for (const { at, op } of all) {
      expect(op.operationId, at).toMatch(/^[a-z][A-Za-z]+$/);
      expect(op.description?.length ?? 0, at).toBeGreaterThan(20);
      expect(op.tags?.length, at).toBe(1);
      expect(tags, at).toContain(op.tags?.[0]);
    }
    // Distinct operationIds are the method names a generated client (openapi-typescript, ...) gets.
    const ids = all.map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining(["sendMessage", "getMessage", "validateLicense", "createWebhook"]),
    );
  });

  it("says where it is served, under what licence, and whom to ask", () => {
    expect(doc.servers).toEqual([{ url: "/", description: "This Herald" }]);
    expect(doc.info).toMatchObject({
      license: { name: expect.any(String) },
      contact: { name: expect.any(String) },
    });
  });

  it("declares 415 on every operation that takes a JSON body", () => {
    for (const { at, op } of operations())
      if (op.requestBody) expect(Object.keys(op.responses), at).toContain("415");
  });
});

describe("a body that is not JSON", () => {
  it("is refused with 415 and the error body, on the activity and the console API", async () => {
    const send = await post("/v1/messages", "webhookId=wh_x&textMessage=hi", {
      "content-type": "application/x-www-form-urlencoded",
      "x-license-key": t.licenseKey,
      "x-license-secret": t.licenseSecret,
    });
    expect(send.status).toBe(415);
    expect(await send.json()).toMatchObject({
      error: { code: "unsupported_media_type", message: expect.stringContaining("application/json") },
      SentMessage: false,
      status: "rejected",
      messageId: null,
    });

    const token = (await t.console.login({ email: t.email, password: t.password })).token;
    const instance = await post("/v1/instances", "name=Production", {
      "content-type": "text/plain",
      authorization: `Bearer ${token}`,
    });
    expect(instance.status).toBe(415);
    expect(await instance.json()).toMatchObject({
      error: { code: "unsupported_media_type", requestId: expect.any(String) },
    });
  });
});

describe("license validation without credentials", () => {
  it("answers reason missing_credentials, not unknown_key", async () => {
    const res = await post("/v1/licenses/validate", "", {});
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ valid: false, reason: "missing_credentials" });
    const wrong = await post("/v1/licenses/validate", "{}", {
      "content-type": "application/json",
      "x-license-key": "hk_nobody",
      "x-license-secret": "hs_nothing",
    });
    expect(await wrong.json()).toMatchObject({ valid: false, reason: "unknown_key" });
    const send = await post("/v1/messages", JSON.stringify({ webhookId: "wh_x", textMessage: "hi" }), {
      "content-type": "application/json",
    });
    expect(send.status).toBe(401);
    expect(await send.json()).toMatchObject({
      error: { code: "license_invalid", details: { reason: "missing_credentials" } },
      status: "rejected",
    });
  });
});
