// Property-based fuzzing of every JSON route: whatever the body, the answer is a 4xx with the error
// body (or a success), never a 5xx.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness, type TestTenant } from "../support/harness.ts";

let h: Harness;
let t: TestTenant;
let webhookId: string;
const results = { tried: 0, fiveHundreds: 0 };

beforeAll(async () => {
  h = await startHarness({ worker: false });
  t = await h.tenant({ plan: "unlimited" });
  webhookId = await t.addWebhook(h.sim.legacyUrl());
});
afterAll(async () => {
  console.log(`hostile input: ${results.tried} requests, ${results.fiveHundreds} answered 5xx`);
  await h.close();
});

const HOSTILE_STRINGS = [
  "'; DROP TABLE messages; --",
  '" OR 1=1 --',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4shell probe, meant literally
  "${jndi:ldap://x}",
  "<script>alert(1)</script>",
  "\u0000\u0001\u0002",
  "\ud800",
  "🦜".repeat(5000),
  "a".repeat(300_000),
  "../../../../etc/passwd",
  "%00%0d%0a",
  "\u202e\u202d",
  "NaN",
  "__proto__",
];

const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.constantFrom(...HOSTILE_STRINGS),
);
const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(hostileString, fc.constantFrom("__proto__", "constructor", "webhookId", "card")),
      tie("value"),
      { maxKeys: 5 },
    ),
  ),
})).value;

/** Bodies shaped like each route's schema, with each field replaced by something hostile. */
function shaped(fields: string[]) {
  return fc.record(Object.fromEntries(fields.map((f) => [f, hostileValue])), { requiredKeys: [] });
}

function routesUnderTest() {
  return [
    {
      method: "POST",
      path: "/v1/messages",
      auth: "license",
      body: shaped(["webhookId", "textMessage", "card", "idempotencyKey", "source"]),
    },
    {
      method: "POST",
      path: "/v1/licenses/validate",
      auth: "none",
      body: shaped(["licenseKey", "licenseSecret"]),
    },
    {
      method: "POST",
      path: "/v1/auth/signup",
      auth: "none",
      body: shaped(["email", "password", "organization"]),
    },
    { method: "POST", path: "/v1/auth/login", auth: "none", body: shaped(["email", "password"]) },
    { method: "POST", path: "/v1/instances", auth: "session", body: shaped(["name"]) },
    {
      method: "POST",
      path: `/v1/instances/${t.instanceId}/binding-keys`,
      auth: "session",
      body: shaped(["name"]),
    },
    {
      method: "POST",
      path: `/v1/instances/${t.instanceId}/webhooks`,
      auth: "session",
      body: shaped(["name", "url", "description"]),
    },
    {
      method: "PATCH",
      path: `/v1/webhooks/${webhookId}`,
      auth: "session",
      body: shaped(["name", "url", "description", "active"]),
    },
    { method: "GET", path: "/v1/usage?instanceId=", auth: "session", body: fc.constant(undefined) },
  ] as const;
}

async function send(
  method: string,
  path: string,
  auth: string,
  body: string | undefined,
  extra: Record<string, string> = {},
) {
  const headers: Record<string, string> = { "content-type": "application/json", ...extra };
  if (auth === "license")
    Object.assign(headers, { "x-license-key": t.licenseKey, "x-license-secret": t.licenseSecret });
  if (auth === "session") headers.authorization = `Bearer ${t.console.sessionToken}`;
  const res = await h.runtime.app.fetch(new Request(`http://herald.test${path}`, { method, headers, body }));
  results.tried++;
  if (res.status >= 500) results.fiveHundreds++;
  return res;
}

describe("hostile input", () => {
  it("never answers 5xx to schema-shaped hostile bodies on any JSON route", async () => {
    for (const route of routesUnderTest()) {
      await fc.assert(
        fc.asyncProperty(route.body, async (body) => {
          const res = await send(
            route.method,
            route.path,
            route.auth,
            body === undefined ? undefined : JSON.stringify(body),
          );
          expect(res.status, `${route.method} ${route.path}`).toBeLessThan(500);
          if (res.status >= 400) {
            const json = (await res.json()) as { error?: { code?: string; message?: string } };
            expect(typeof json.error?.code).toBe("string");
            expect(json.error?.message?.length).toBeGreaterThan(0);
          }
        }),
        { numRuns: 60 },
      );
    }
  });

  it("never answers 5xx to arbitrary bytes, wrong content types, deep nesting or 2 MB bodies", async () => {
    const raw = [
      "{not json",
      "",
      "null",
      "[]",
      '"string"',
      "1e309",
      "[".repeat(100_000) + "]".repeat(100_000),
      `{"a":${"[".repeat(5000)}${"]".repeat(5000)}}`,
      JSON.stringify({ webhookId, textMessage: "x".repeat(2 * 1024 * 1024) }),
      Buffer.from([0xff, 0xfe, 0x00, 0x7b]).toString("latin1"),
    ];
    for (const route of routesUnderTest()) {
      if (route.method === "GET") continue;
      for (const body of raw) {
        const res = await send(route.method, route.path, route.auth, body);
        expect(res.status, `${route.path} <- ${body.slice(0, 20)}`).toBeLessThan(500);
        expect(res.status).toBeGreaterThanOrEqual(400);
      }
      const text = await send(route.method, route.path, route.auth, "hello", {
        "content-type": "text/plain",
      });
      expect(text.status).toBeLessThan(500);
    }
    const huge = await send(
      "POST",
      "/v1/messages",
      "license",
      JSON.stringify({ webhookId, textMessage: "x".repeat(2 * 1024 * 1024) }),
    );
    expect(huge.status).toBe(413);
  });
});

describe("group commit", () => {
  it("one request with NUL in its source does not fail the others batched with it", async () => {
    // Its own webhook: the fuzzer above may have inactivated the shared one.
    const batchWebhookId = await t.addWebhook(h.sim.legacyUrl());
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.activity.sendMessage(batchWebhookId, `batch ${i}`, {
          wait: 0,
          source: i === 7 ? "bad\u0000source" : "flow",
        }),
      ),
    );
    expect(answers.filter((a) => a.status === "queued")).toHaveLength(19);
    expect(answers[7]).toMatchObject({ httpStatus: 400, error: { code: "invalid_request" } });
  });
});
