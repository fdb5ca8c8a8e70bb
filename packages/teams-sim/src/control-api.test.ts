import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTeamsSim } from "./server.ts";
import type { RecordedRequest, TeamsSim, Violation } from "./types.ts";

let sim: TeamsSim;

beforeEach(async () => {
  sim = await startTeamsSim();
});

afterEach(async () => {
  await sim.close();
});

async function control(method: "GET" | "POST", path: string, body?: unknown) {
  const res = await fetch(sim.baseUrl + path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    json: text === "" ? null : (JSON.parse(text) as unknown),
    headers: res.headers,
  };
}

async function sendText(url: string, text: string): Promise<string> {
  const res = await fetch(url, { method: "POST", body: JSON.stringify({ text }) });
  return res.text();
}

describe("control API", () => {
  it("reports health", async () => {
    const res = await control("GET", "/_sim/health");
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ ok: true, baseUrl: sim.baseUrl, requests: 0 });
  });

  it("creates webhooks of both kinds", async () => {
    const legacy = await control("POST", "/_sim/webhooks", { kind: "legacy", channel: "ops" });
    expect(legacy.status).toBe(201);
    expect(legacy.json).toEqual({ kind: "legacy", url: sim.legacyUrl("ops") });
    const workflows = await control("POST", "/_sim/webhooks", { kind: "workflows" });
    expect((workflows.json as { url: string }).url).toMatch(/\/workflows\/[0-9a-f]{32}\/triggers\//);
    expect((await control("POST", "/_sim/webhooks", { kind: "bot" })).status).toBe(400);
  });

  it("lists requests, for one webhook or all, since a sequence number", async () => {
    const a = sim.legacyUrl();
    const b = sim.legacyUrl();
    await sendText(a, "a1");
    await sendText(b, "b1");
    await sendText(a, "a2");
    const all = (await control("GET", "/_sim/requests")).json as RecordedRequest[];
    expect(all.map((r) => r.text)).toEqual(["a1", "b1", "a2"]);
    const path = new URL(a).pathname;
    const onlyA = (await control("GET", `/_sim/requests?path=${encodeURIComponent(path)}`))
      .json as RecordedRequest[];
    expect(onlyA.map((r) => r.text)).toEqual(["a1", "a2"]);
    const byUrl = (await control("GET", `/_sim/requests?path=${encodeURIComponent(a)}&since=1`))
      .json as RecordedRequest[];
    expect(byUrl.map((r) => r.text)).toEqual(["a2"]);
    const last = (await control("GET", "/_sim/requests?limit=1")).json as RecordedRequest[];
    expect(last.map((r) => r.text)).toEqual(["a2"]);
  });

  it("lists violations", async () => {
    const url = sim.legacyUrl();
    for (let i = 0; i < 5; i += 1) await sendText(url, `m${i}`);
    const res = await control("GET", `/_sim/violations?path=${encodeURIComponent(new URL(url).pathname)}`);
    expect(res.json as Violation[]).toMatchObject([{ seq: 5, window: { limit: 4, periodMs: 1000 } }]);
  });

  it("sets behaviors per webhook (by URL or pathname, with times) and the default with *", async () => {
    const url = sim.legacyUrl();
    expect((await control("POST", "/_sim/behavior", { path: url, behavior: "gone", times: 1 })).status).toBe(
      200,
    );
    expect(await fetch(url, { method: "POST", body: '{"text":"x"}' }).then((r) => r.status)).toBe(410);
    expect(await fetch(url, { method: "POST", body: '{"text":"x"}' }).then((r) => r.status)).toBe(200);

    await control("POST", "/_sim/behavior", {
      path: new URL(url).pathname,
      behavior: { status: 503, body: "no" },
    });
    expect(await sendText(url, "x")).toBe("no");

    await control("POST", "/_sim/behavior", { path: "*", behavior: "channel_not_found" });
    expect(await fetch(sim.legacyUrl(), { method: "POST", body: '{"text":"x"}' }).then((r) => r.status)).toBe(
      404,
    );
  });

  it("refuses invalid behavior requests with a JSON error", async () => {
    for (const body of [
      { path: "/webhookb2/x", behavior: "explode" },
      { path: "/webhookb2/x", behavior: { status: 42 } },
      { behavior: "ok" },
      { path: "/webhookb2/x", behavior: "ok", times: 0 },
    ]) {
      const res = await control("POST", "/_sim/behavior", body);
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ error: { code: "invalid_request" } });
    }
    const notJson = await fetch(`${sim.baseUrl}/_sim/behavior`, { method: "POST", body: "{" });
    expect(notJson.status).toBe(400);
  });

  it("resets", async () => {
    await sendText(sim.legacyUrl(), "x");
    expect((await control("POST", "/_sim/reset")).status).toBe(200);
    expect((await control("GET", "/_sim/requests")).json).toEqual([]);
  });

  it("waits for requests over HTTP", async () => {
    const url = sim.legacyUrl();
    const waiting = control("GET", `/_sim/wait?count=1&path=${encodeURIComponent(url)}&timeoutMs=2000`);
    await sendText(url, "awaited");
    expect(((await waiting).json as RecordedRequest[])[0]?.text).toBe("awaited");
    expect((await control("GET", "/_sim/wait?count=5&timeoutMs=20")).status).toBe(408);
  });

  it("answers unknown routes with 404 and wrong methods with 405", async () => {
    expect((await control("GET", "/_sim/nope")).status).toBe(404);
    expect((await control("GET", "/_sim/reset")).status).toBe(405);
    const preflight = await fetch(`${sim.baseUrl}/_sim/behavior`, { method: "OPTIONS" });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("shows channels and their latest messages on the status page, escaped", async () => {
    const url = sim.legacyUrl("release-notes");
    sim.workflowsUrl("quiet-channel");
    await sendText(url, "Deployed <b>v2</b>");
    const res = await fetch(`${sim.baseUrl}/`);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html).toContain("release-notes");
    expect(html).toContain("Deployed &lt;b&gt;v2&lt;/b&gt;");
    expect(html).toContain("quiet-channel");
    expect(html).toContain("Nothing received yet");
  });
});
