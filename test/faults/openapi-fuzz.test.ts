// Hostile values for every path parameter, query parameter and JSON body of every route that
// /openapi.json describes (issue #15, finding 11), sent with the credentials the route declares:
// whatever arrives, the answer is a success or a 4xx with the error body, never a 5xx.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, type Harness, startHarness, type TestTenant } from "../support/harness.ts";

interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  schema?: JsonSchema;
}
interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
  $ref?: string;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  security?: Record<string, string[]>[];
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

let h: Harness;
let t: TestTenant;
let webhookId: string;
let doc: OpenApi;
const tally = { requests: 0, fiveHundreds: [] as string[], routes: 0, parameters: 0 };

beforeAll(async () => {
  // With the worker, sendMessage and the connection test get Teams' (the emulator's) answer at once.
  h = await startHarness();
  t = await h.tenant({ plan: "unlimited" });
  webhookId = await t.addWebhook(h.sim.legacyUrl());
  doc = (await (await h.runtime.app.fetch(new Request("http://herald.test/openapi.json"))).json()) as OpenApi;
});
afterAll(async () => {
  console.log(
    `openapi fuzz: ${tally.routes} operations, ${tally.parameters} parameters, ${tally.requests} requests, ${tally.fiveHundreds.length} answered 5xx`,
  );
  await h.close();
});

/** Values that broke, or could break, a parser, a cast, a lookup or a query. */
const HOSTILE = [
  "",
  " ",
  "0",
  "-1",
  "1.5",
  "NaN",
  "Infinity",
  "1e309",
  "99999999999999999999999999",
  "-99999999999999999999999999",
  "9223372036854775808",
  "true",
  "null",
  "undefined",
  "[]",
  "{}",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "'; DROP TABLE messages; --",
  "%00",
  "\u0000",
  "\ud800",
  "../../etc/passwd",
  "<script>x</script>",
  "a".repeat(5000),
  "🦜".repeat(300),
  "el_00000000000000000000000000000000",
  "wh_",
  "ses_x",
];

/** The id of this tenant's own resource for a path parameter, so that a handler goes past "not found". */
function ownId(name: string): string | undefined {
  if (name === "instanceId") return t.instanceId;
  if (name === "webhookId") return webhookId;
  if (name === "bindingKeyId") return t.bindingKeyId;
  if (name === "tenantId") return t.tenantId;
  if (name === "name") return "trial";
  return undefined;
}

function resolve(schema: JsonSchema | undefined): JsonSchema | undefined {
  if (!schema?.$ref) return schema;
  return doc.components?.schemas?.[schema.$ref.replace("#/components/schemas/", "")];
}

const hostileJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constantFrom(...HOSTILE),
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(Number.MAX_SAFE_INTEGER * 1000),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom("__proto__", "constructor", "a", "type", "body"), tie("value"), {
      maxKeys: 3,
    }),
  ),
})).value;

/** A body shaped like the schema (its property names), every value hostile. */
function hostileBody(schema: JsonSchema | undefined): fc.Arbitrary<unknown> {
  const resolved = resolve(schema);
  const names = Object.keys(resolved?.properties ?? {});
  if (names.length === 0) return hostileJson;
  return fc.record(Object.fromEntries(names.map((n) => [n, hostileJson])), { requiredKeys: [] });
}

function credentials(operation: Operation): Record<string, string> {
  const scheme = Object.keys(operation.security?.[0] ?? {})[0];
  if (scheme === "Session") return { authorization: `Bearer ${t.console.sessionToken}` };
  if (scheme === "LicenseHeaders" || scheme === "LicenseBasic")
    return { "x-license-key": t.licenseKey, "x-license-secret": t.licenseSecret };
  if (scheme === "Admin") return { authorization: `Bearer ${ADMIN_TOKEN}` };
  return {};
}

async function call(method: string, path: string, headers: Record<string, string>, body?: string) {
  const res = await h.runtime.app.fetch(
    new Request(`http://herald.test${path}`, {
      method: method.toUpperCase(),
      headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      body,
    }),
  );
  tally.requests++;
  if (res.status >= 500) tally.fiveHundreds.push(`${method.toUpperCase()} ${path} -> ${res.status}`);
  if (res.status >= 400 && res.headers.get("content-type")?.includes("json")) {
    const json = (await res.json()) as { error?: { code?: unknown } };
    expect(typeof json.error?.code, `${method} ${path}`).toBe("string");
  } else {
    await res.arrayBuffer();
  }
  return res.status;
}

/** Percent-encoded; a lone surrogate (not encodable) goes as the invalid UTF-8 bytes it would be. */
function encode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return "%ED%A0%80";
  }
}

function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => encode(values[name] ?? "x"));
}

describe("every route in /openapi.json", () => {
  it("answers hostile path parameters, query parameters and bodies without a 5xx", async () => {
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
    );
    expect(operations.length).toBeGreaterThan(25);
    for (const { path, method, operation } of operations) {
      tally.routes++;
      const auth = credentials(operation);
      const params = operation.parameters ?? [];
      const pathParams = params.filter((p) => p.in === "path");
      const queryParams = params.filter((p) => p.in === "query");
      tally.parameters += pathParams.length + queryParams.length;
      const own = Object.fromEntries(pathParams.map((p) => [p.name, ownId(p.name) ?? "x"]));
      const schema = operation.requestBody?.content?.["application/json"]?.schema;
      const validBody = schema ? "{}" : undefined;

      // Each path parameter hostile, the others this tenant's own.
      for (const param of pathParams) {
        for (const value of HOSTILE) {
          await call(method, fillPath(path, { ...own, [param.name]: value }), auth, validBody);
        }
      }
      // Each query parameter hostile (alone, repeated, and with the others hostile too), on own ids.
      const base = fillPath(path, own);
      // sendMessage waits for Teams by default; the fuzzer does not (but for `wait` itself).
      const quiet = queryParams.some((p) => p.name === "wait") ? "wait=0" : "";
      const at = (query: string) => `${base}?${[quiet, query].filter(Boolean).join("&")}`;
      for (const param of queryParams) {
        for (const value of HOSTILE) {
          const q = new URLSearchParams([[param.name, value]]);
          await call(method, param.name === "wait" ? `${base}?${q}` : at(q.toString()), auth, validBody);
        }
        await call(method, at(`${param.name}=1&${param.name}=2`), auth, validBody);
      }
      if (queryParams.length > 1) {
        const all = new URLSearchParams(queryParams.map((p) => [p.name, "99999999999999999999999999"]));
        await call(method, `${base}?${all}`, auth, validBody);
      }
      // Bodies shaped like the schema with hostile values, and raw garbage.
      if (schema) {
        await fc.assert(
          fc.asyncProperty(hostileBody(schema), async (body) => {
            await call(method, at(""), auth, JSON.stringify(body));
          }),
          { numRuns: 20, seed: 15 },
        );
        for (const raw of [
          "{",
          "[]",
          "null",
          "1e309",
          `{"a":${"[".repeat(200)}${"]".repeat(200)}}`,
          "\u0000",
        ]) {
          await call(method, at(""), auth, raw);
        }
      }
    }
    expect(tally.fiveHundreds).toEqual([]);
  }, 600_000);
});
