// Operability surface: the API reference at /docs (served locally, with the error catalogue), the
// Swagger 2.0 document for Power Platform, Prometheus /metrics during real deliveries, and the access log.
import { Writable } from "node:stream";
import SwaggerParser from "@apidevtools/swagger-parser";
import { createApp, HeraldMetrics } from "@herald/api";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { METRICS_TOKEN, useHarness } from "../support/harness.ts";
import { eventually } from "../support/wait.ts";

const { h, t } = useHarness();

const get = (path: string, headers: Record<string, string> = {}) =>
  Promise.resolve(h.runtime.app.fetch(new Request(`http://herald.test${path}`, { headers })));

/** Prometheus text as series -> value (`name{labels}` exactly as exposed). */
async function scrape(): Promise<Map<string, number>> {
  const res = await get("/metrics", { authorization: `Bearer ${METRICS_TOKEN}` });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  const series = new Map<string, number>();
  for (const line of (await res.text()).split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    series.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return series;
}

const value = (series: Map<string, number>, key: string) => series.get(key) ?? 0;

describe("/docs", () => {
  it("serves the API reference from local assets, with every error code in the catalogue", async () => {
    const res = await get("/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
    const page = await res.text();
    expect(page).toContain('id="swagger-ui"');
    // Nothing is fetched from a CDN: every script and stylesheet is one of ours.
    const sources = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? "");
    expect(sources.filter((s) => /^(https?:)?\/\//.test(s))).toEqual([]);
    for (const asset of sources.filter((s) => s.startsWith("docs/assets/"))) {
      const file = await get(`/${asset}`);
      expect(file.status, asset).toBe(200);
      expect((await file.arrayBuffer()).byteLength, asset).toBeGreaterThan(100);
    }
    expect(sources).toContain("docs/assets/swagger-ui-bundle.js");

    const openapi = (await (await get("/openapi.json")).json()) as {
      components: {
        schemas: { Error: { properties: { error: { properties: { code: { enum: string[] } } } } } };
      };
    };
    const codes = openapi.components.schemas.Error.properties.error.properties.code.enum;
    expect(codes.length).toBeGreaterThan(10);
    for (const code of codes) expect(page, code).toContain(`id="error-${code}"`);
  });

  it("serves only the files it knows", async () => {
    expect((await get("/docs/assets/package.json")).status).toBe(404);
    expect((await get("/docs/assets/..%2F..%2Fpackage.json")).status).toBe(404);
  });
});

describe("/openapi/swagger2.json", () => {
  interface Swagger {
    swagger: string;
    host: string;
    basePath: string;
    schemes: string[];
    paths: Record<
      string,
      Record<
        string,
        {
          operationId?: string;
          parameters: Array<Record<string, unknown>>;
          responses: Record<string, { schema?: unknown }>;
          security?: unknown;
        }
      >
    >;
    definitions: Record<string, unknown>;
    securityDefinitions: Record<string, { type: string; in?: string; name?: string }>;
  }

  it("is a Swagger 2.0 document of the activity API that a custom connector can import", async () => {
    const res = await get("/openapi/swagger2.json", {
      "x-forwarded-proto": "https",
      host: "herald.example.com",
    });
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Swagger;
    expect(doc.swagger).toBe("2.0");
    expect(doc.host).toBe("herald.test");
    expect(doc.schemes).toEqual(["https"]);
    expect(doc.basePath).toBe("/");
    expect(
      Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
      ),
    ).toEqual(["POST /v1/messages", "GET /v1/messages/{messageId}", "POST /v1/licenses/validate"]);

    const send = doc.paths["/v1/messages"]?.post;
    expect(send?.operationId).toBe("sendMessage");
    expect(send?.parameters).toContainEqual(
      expect.objectContaining({
        name: "body",
        in: "body",
        required: true,
        schema: { $ref: "#/definitions/SendMessageRequest" },
      }),
    );
    expect(send?.parameters).toContainEqual(
      expect.objectContaining({ name: "wait", in: "query", type: "integer" }),
    );
    expect(send?.responses["200"]?.schema).toEqual({ $ref: "#/definitions/SendMessageResponse" });
    // One authentication type, as a custom connector takes: Basic with the binding key.
    expect(send?.security).toEqual([{ LicenseBasic: [] }]);
    expect(doc.securityDefinitions).toEqual({
      LicenseBasic: expect.objectContaining({ type: "basic" }),
    });

    // What the connector wizard reads beyond Swagger 2.0, so that nothing is edited by hand.
    const raw = doc as unknown as Record<string, unknown>;
    expect(raw["x-ms-connector-metadata"]).toEqual([
      { propertyName: "Website", propertyValue: "https://herald.test" },
      { propertyName: "Privacy policy", propertyValue: "https://herald.test/docs" },
      { propertyName: "Categories", propertyValue: "Communication;IT Operations" },
    ]);
    const visibility = Object.values(doc.paths).flatMap((ops) =>
      Object.values(ops).map((op) => [op.operationId, (op as Record<string, unknown>)["x-ms-visibility"]]),
    );
    expect(visibility).toEqual([
      ["sendMessage", "important"],
      ["getMessage", "advanced"],
      ["validateLicense", "advanced"],
    ]);
    for (const ops of Object.values(doc.paths))
      for (const op of Object.values(ops)) {
        const o = op as Record<string, unknown>;
        expect(typeof o.summary, String(op.operationId)).toBe("string");
        expect(typeof o.description, String(op.operationId)).toBe("string");
      }
    expect(send?.parameters).toContainEqual(
      expect.objectContaining({ name: "wait", "x-ms-summary": "Seconds to wait for Teams" }),
    );
    const request = doc.definitions.SendMessageRequest as {
      properties: Record<string, Record<string, unknown>>;
    };
    expect(request.properties.webhookId).toMatchObject({
      "x-ms-summary": "Webhook ID",
      "x-ms-visibility": "important",
    });

    // Valid by swagger-parser, which Power Platform's own tooling builds on.
    await SwaggerParser.validate(structuredClone(doc) as never);

    // Structural validity: what 2.0 lacks never appears, every reference resolves, every non-body
    // parameter has a primitive type, every response a description.
    const text = JSON.stringify(doc);
    for (const word of [
      '"components"',
      '"nullable"',
      '"anyOf"',
      '"oneOf"',
      '"const"',
      '"requestBody"',
      '"content"',
    ]) {
      expect(text, word).not.toContain(word);
    }
    expect(text).not.toMatch(/"type":\[/);
    for (const [, ref] of text.matchAll(/"\$ref":"([^"]+)"/g)) {
      expect(ref).toMatch(/^#\/definitions\//);
      expect(doc.definitions, ref).toHaveProperty([ref?.slice("#/definitions/".length) ?? ""]);
    }
    for (const ops of Object.values(doc.paths)) {
      for (const op of Object.values(ops)) {
        for (const p of op.parameters) {
          if (p.in === "body") expect(p.schema).toBeDefined();
          else expect(["string", "number", "integer", "boolean", "array"]).toContain(p.type);
        }
        for (const r of Object.values(op.responses)) expect(r).toHaveProperty("description");
      }
    }
  });
});

describe("/openapi/swagger2.json behind a public address", () => {
  it("names HERALD_PUBLIC_URL's host, scheme and path", async () => {
    const ctx = h.runtime.ctx;
    const { app } = createApp({
      ...ctx,
      config: { ...ctx.config, publicUrl: "https://teams.contoso.com/herald" },
    });
    const doc = (await (
      await app.fetch(new Request("http://10.0.0.7:3000/openapi/swagger2.json"))
    ).json()) as {
      host: string;
      basePath: string;
      schemes: string[];
    };
    expect(doc).toMatchObject({ host: "teams.contoso.com", basePath: "/herald", schemes: ["https"] });
  });
});

describe("/metrics", () => {
  it("exposes requests by route, messages by status, latency, queue, channels and rate-limit waits", async () => {
    const before = await scrape();
    const fine = await t.addWebhook(h.sim.legacyUrl());
    expect((await t.activity.sendMessage(fine, "metrics 1")).status).toBe("delivered");

    // A 429 from Teams: the channel pauses (Retry-After 2 s), the message waits, then goes.
    const throttledUrl = h.sim.legacyUrl();
    const throttled = await t.addWebhook(throttledUrl);
    h.sim.setBehavior(throttledUrl, "throttle_status", { times: 1 });
    const waiting = await t.activity.sendMessage(throttled, "metrics 2", { wait: 1 });
    expect(waiting.status).toBe("queued");
    const during = await scrape();
    expect(value(during, 'herald_rate_limit_waits_total{source="teams"}')).toBeGreaterThanOrEqual(1);
    expect(value(during, "herald_channels_paused")).toBeGreaterThanOrEqual(1);
    expect(value(during, "herald_queue_depth")).toBeGreaterThanOrEqual(1);
    expect(value(during, "herald_queue_oldest_age_seconds")).toBeGreaterThan(0);
    await eventually(async () =>
      (await t.activity.getMessage(waiting.messageId ?? "")).status === "delivered" ? true : undefined,
    );

    // A removed connector: the message fails and the channel is disabled.
    const goneUrl = h.sim.legacyUrl();
    const gone = await t.addWebhook(goneUrl);
    h.sim.setBehavior(goneUrl, "gone");
    expect((await t.activity.sendMessage(gone, "metrics 3")).status).toBe("failed");
    // Five posts to one legacy URL in a second: Herald's own window makes the fifth wait.
    const burst = await t.addWebhook(h.sim.legacyUrl());
    const sent = await Promise.all(
      [1, 2, 3, 4, 5].map((i) => t.activity.sendMessage(burst, `burst ${i}`, { wait: 0 })),
    );
    await eventually(async () => {
      const all = await Promise.all(sent.map((s) => t.activity.getMessage(s.messageId ?? "")));
      return all.every((m) => m.status === "delivered") ? true : undefined;
    });

    const after = await scrape();
    const grew = (key: string) => value(after, key) - value(before, key);
    expect(
      grew('herald_http_requests_total{method="POST",route="/v1/messages",status="200"}'),
    ).toBeGreaterThanOrEqual(2);
    expect(
      grew('herald_http_requests_total{method="POST",route="/v1/messages",status="202"}'),
    ).toBeGreaterThanOrEqual(6);
    expect(
      grew('herald_http_requests_total{method="GET",route="/v1/messages/{messageId}",status="200"}'),
    ).toBeGreaterThanOrEqual(1);
    // Accepted counts this runtime's api alone; its worker may also deliver what other test files
    // left queued in a shared PostgreSQL, hence "at least" for the outcomes.
    expect(grew('herald_messages_total{status="accepted"}')).toBe(8);
    expect(grew('herald_messages_total{status="delivered"}')).toBeGreaterThanOrEqual(7);
    expect(grew('herald_messages_total{status="failed"}')).toBeGreaterThanOrEqual(1);
    expect(grew('herald_delivery_latency_seconds_count{outcome="delivered"}')).toBeGreaterThanOrEqual(7);
    expect(grew('herald_delivery_latency_seconds_bucket{le="+Inf",outcome="failed"}')).toBeGreaterThanOrEqual(
      1,
    );
    expect(grew('herald_rate_limit_waits_total{source="window"}')).toBeGreaterThanOrEqual(1);
    expect(value(after, "herald_channels_disabled")).toBeGreaterThanOrEqual(1);
    expect(value(after, "herald_database_up")).toBe(1);
    expect(after.has("herald_process_resident_memory_bytes")).toBe(true);
    // Raw paths never become labels: ids would make a series per message.
    for (const key of after.keys()) expect(key).not.toMatch(/msg_|wh_/);
  });

  it("keeps one registry per runtime: another app in the same process starts from zero", async () => {
    const other = createApp({ ...h.runtime.ctx, metrics: new HeraldMetrics({ defaultMetrics: false }) });
    await other.app.fetch(new Request("http://herald.test/healthz"));
    const text = await (
      await other.app.fetch(
        new Request("http://herald.test/metrics", { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }),
      )
    ).text();
    expect(text).toContain('herald_http_requests_total{method="GET",route="/healthz",status="200"} 1');
    expect(text).not.toContain('route="/v1/messages"');
  });
});

describe("access log", () => {
  it("writes one JSON line per request with the request id and route pattern, never headers or ids", async () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const logger = pino({ level: "info" }, sink);
    const { app } = createApp({ ...h.runtime.ctx, logger });
    const res = await app.fetch(
      new Request("http://herald.test/v1/messages/msg_secretish?x=1", {
        headers: {
          "x-license-key": t.licenseKey,
          "x-license-secret": t.licenseSecret,
          "x-request-id": "trace-42",
        },
      }),
      { clientAddress: "203.0.113.7" },
    );
    expect(res.status).toBe(404);
    await new Promise((r) => setImmediate(r));
    const line = lines.find((l) => l.msg === "request");
    expect(line).toMatchObject({
      requestId: "trace-42",
      method: "GET",
      route: "/v1/messages/{messageId}",
      status: 404,
      address: "203.0.113.7",
      ms: expect.any(Number),
    });
    const all = JSON.stringify(lines);
    expect(all).not.toContain(t.licenseSecret);
    expect(all).not.toContain("msg_secretish");
    expect(all).not.toContain("x=1");
  });
});
