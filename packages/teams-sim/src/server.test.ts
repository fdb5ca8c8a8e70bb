import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTeamsSim } from "./server.ts";
import type { Behavior, TeamsSim, TeamsSimOptions } from "./types.ts";

const THROTTLED_BODY =
  "Microsoft Teams endpoint returned HTTP error 429 with ContextId tcid=0,server=msgapi-production-eus-azsc2-4-170,cv=deadbeef.0..";

const adaptiveMessage = (text: string, version = "1.4") => ({
  type: "message",
  attachments: [
    {
      contentType: "application/vnd.microsoft.card.adaptive",
      content: { type: "AdaptiveCard", version, body: [{ type: "TextBlock", text }] },
    },
  ],
});

async function post(url: string, payload: unknown, init: RequestInit = {}) {
  const body = typeof payload === "string" ? payload : JSON.stringify(payload);
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
    redirect: "manual",
    ...init,
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

let sim: TeamsSim;
const started: TeamsSim[] = [];

async function start(options: TeamsSimOptions = {}): Promise<TeamsSim> {
  const s = await startTeamsSim(options);
  started.push(s);
  return s;
}

beforeEach(async () => {
  sim = await start();
});

afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

describe("webhook URLs", () => {
  it("looks like Teams' URLs, new per call without a channel and stable with one", () => {
    const legacy = sim.legacyUrl();
    expect(legacy).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/webhookb2\/[0-9a-f-]{36}@[0-9a-f-]{36}\/IncomingWebhook\/[0-9a-f]{32}\/[0-9a-f-]{36}$/,
    );
    expect(sim.legacyUrl()).not.toBe(legacy);
    expect(sim.legacyUrl("ops")).toBe(sim.legacyUrl("ops"));
    expect(sim.legacyUrl("ops")).toContain("/webhookb2/ops@");
    expect(sim.workflowsUrl()).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/powerautomate\/automations\/direct\/workflows\/[0-9a-f]{32}\/triggers\/manual\/paths\/invoke\?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1\.0&sig=[\w-]+$/,
    );
    expect(sim.workflowsUrl("ops")).toBe(sim.workflowsUrl("ops"));
    expect(sim.workflowsUrl()).not.toBe(sim.workflowsUrl());
  });
});

describe("legacy connector", () => {
  it("delivers a text message: 200 with body 1, recorded with its text", async () => {
    const url = sim.legacyUrl("general");
    const res = await post(url, { text: "Hello World" });
    expect(res).toMatchObject({ status: 200, text: "1" });
    const [recorded] = sim.requests(url);
    expect(recorded).toMatchObject({
      seq: 1,
      path: new URL(url).pathname,
      kind: "legacy",
      method: "POST",
      json: { text: "Hello World" },
      contentType: "application/json",
      answeredStatus: 200,
      violation: false,
      delivered: true,
      text: "Hello World",
    });
    expect(Math.abs((recorded?.at ?? 0) - Date.now())).toBeLessThan(5000);
  });

  it("refuses payloads without text or summary, and bodies that are not JSON", async () => {
    const url = sim.legacyUrl();
    expect(await post(url, { foo: 1 })).toMatchObject({ status: 400, text: "Summary or Text is required." });
    expect(await post(url, "<xml/>")).toMatchObject({
      status: 400,
      text: "Bad payload received by generic incoming webhook.",
    });
    expect(sim.requests(url).map((r) => r.delivered)).toEqual([false, false]);
  });

  it("answers a payload over 28 KB like Teams: 200 with an HTTP error 413 text", async () => {
    const url = sim.legacyUrl();
    const res = await post(url, { text: "x".repeat(28_700) });
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/^Microsoft Teams endpoint returned HTTP error 413/);
    expect(sim.requests(url)[0]).toMatchObject({ delivered: false, bytes: 28_711 });
    expect(await post(url, { text: "x".repeat(28_000) })).toMatchObject({ status: 200, text: "1" });
  });

  it("throttles the 5th request within a second and records the violation", async () => {
    const url = sim.legacyUrl();
    const answers: string[] = [];
    for (let i = 1; i <= 6; i += 1) answers.push((await post(url, { text: `m${i}` })).text);
    expect(answers).toEqual(["1", "1", "1", "1", THROTTLED_BODY, THROTTLED_BODY]);
    expect(sim.requests(url).map((r) => r.violation)).toEqual([false, false, false, false, true, true]);
    const violations = sim.violations(url);
    expect(violations).toHaveLength(2);
    expect(violations[0]).toMatchObject({
      seq: 5,
      path: new URL(url).pathname,
      window: { limit: 4, periodMs: 1000 },
    });
    // Windows are per webhook URL: another URL is unaffected.
    expect((await post(sim.legacyUrl(), { text: "other" })).text).toBe("1");
    expect(sim.violations()).toHaveLength(2);
  });

  it("admits again once the window has passed", async () => {
    const s = await start({ legacyWindows: [{ limit: 2, periodMs: 500 }] });
    const url = s.legacyUrl();
    await post(url, { text: "a" });
    await post(url, { text: "b" });
    expect((await post(url, { text: "c" })).text).toBe(THROTTLED_BODY);
    await new Promise((r) => setTimeout(r, 550));
    expect((await post(url, { text: "d" })).text).toBe("1");
  });

  it("does not count refused payloads toward the windows, and can leave windows unenforced", async () => {
    const url = sim.legacyUrl();
    for (let i = 0; i < 6; i += 1) await post(url, { nothing: i });
    expect((await post(url, { text: "fits" })).text).toBe("1");

    const lax = await start({ enforceLegacyWindows: false });
    const laxUrl = lax.legacyUrl();
    for (let i = 0; i < 10; i += 1) expect((await post(laxUrl, { text: `m${i}` })).text).toBe("1");
    expect(lax.violations()).toEqual([]);
  });

  it("accepts the older /webhook/ path and refuses methods other than POST", async () => {
    const url = `${sim.baseUrl}/webhook/abc@def/IncomingWebhook/123/456`;
    expect(await post(url, { text: "old" })).toMatchObject({ status: 200, text: "1" });
    const res = await fetch(url);
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
    expect(sim.requests(url).map((r) => [r.method, r.answeredStatus])).toEqual([
      ["POST", 200],
      ["GET", 405],
    ]);
  });

  it("answers 404 to paths that are no webhook", async () => {
    expect((await post(`${sim.baseUrl}/nothing/here`, { text: "x" })).status).toBe(404);
    expect(sim.requests()).toEqual([]);
  });
});

describe("workflows", () => {
  it("accepts an Adaptive Card message with 202 and an empty body", async () => {
    const url = sim.workflowsUrl("alerts");
    const res = await post(url, adaptiveMessage("Disk full"));
    expect(res).toMatchObject({ status: 202, text: "" });
    expect(sim.requests(url)[0]).toMatchObject({
      kind: "workflows",
      path: url.slice(sim.baseUrl.length),
      text: "Disk full",
      delivered: true,
    });
  });

  it("refuses other payloads with a Power Automate style JSON error", async () => {
    const url = sim.workflowsUrl();
    for (const payload of [{ text: "legacy style" }, adaptiveMessage("new card", "1.5"), "not json"]) {
      const res = await post(url, payload);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text)).toMatchObject({ error: { code: "InvalidRequestContent" } });
    }
    const res = await post(url, adaptiveMessage("x".repeat(30_000)));
    expect(res.status).toBe(413);
  });

  it("accepts Power Automate direct workflow paths", async () => {
    const url = `${sim.baseUrl}/powerautomate/automations/direct/workflows/abc/triggers/manual/paths/invoke?api-version=1`;
    expect((await post(url, adaptiveMessage("hi"))).status).toBe(202);
  });

  it("has no rate windows by default and optional ones answered with 429 and Retry-After", async () => {
    const url = sim.workflowsUrl();
    for (let i = 0; i < 8; i += 1) expect((await post(url, adaptiveMessage(`m${i}`))).status).toBe(202);

    const limited = await start({ workflowsWindows: [{ limit: 1, periodMs: 60_000 }] });
    const limitedUrl = limited.workflowsUrl();
    expect((await post(limitedUrl, adaptiveMessage("a"))).status).toBe(202);
    const res = await post(limitedUrl, adaptiveMessage("b"));
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(55);
    expect(limited.violations(limitedUrl)).toHaveLength(1);
  });
});

describe("behaviors", () => {
  const cases: Array<[Behavior, number, string | RegExp, Record<string, string>?]> = [
    ["gone", 410, /Connector configuration not found/],
    ["channel_not_found", 404, /not found/],
    ["bad_payload", 400, "Bad payload received by generic incoming webhook."],
    ["summary_required", 400, "Summary or Text is required."],
    ["throttle_body", 200, THROTTLED_BODY],
    ["throttle_status", 429, /HTTP error 429/, { "retry-after": "2" }],
    ["too_large", 413, /^Microsoft Teams endpoint returned HTTP error 413/],
    ["server_error", 500, /.+/],
    ["error_in_body_500", 200, /^Microsoft Teams endpoint returned HTTP error 500/],
    ["redirect", 302, "", { location: "http://127.0.0.1:1/elsewhere" }],
    ["garbage", 200, "<html>oops</html>"],
    [{ status: 503, body: "busy", headers: { "x-test": "yes" } }, 503, "busy", { "x-test": "yes" }],
  ];

  it.each(cases)("%j answers %i", async (behavior, status, body, headers = {}) => {
    const url = sim.legacyUrl();
    sim.setBehavior(url, behavior);
    const res = await post(url, { text: "hi" });
    expect(res.status).toBe(status);
    if (typeof body === "string") expect(res.text).toBe(body);
    else expect(res.text).toMatch(body);
    for (const [name, value] of Object.entries(headers)) expect(res.headers.get(name)).toBe(value);
    expect(sim.requests(url)[0]).toMatchObject({ answeredStatus: status, delivered: false, text: "hi" });
  });

  it("answers a custom behavior after its delay", async () => {
    const url = sim.legacyUrl();
    sim.setBehavior(url, { status: 200, body: "1", delayMs: 150 });
    const t0 = Date.now();
    expect((await post(url, { text: "slow" })).text).toBe("1");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it("matches webhooks by pathname and falls back to the default behavior", async () => {
    const url = sim.workflowsUrl("ops");
    sim.setBehavior(new URL(url).pathname, "gone");
    sim.setDefaultBehavior("server_error");
    expect((await post(url, adaptiveMessage("x"))).status).toBe(410);
    expect((await post(sim.legacyUrl(), { text: "x" })).status).toBe(500);
    expect((await post(sim.workflowsUrl(), adaptiveMessage("x"))).status).toBe(500);
  });

  it("applies a behavior with times to the next n requests only: 500 twice, then ok", async () => {
    const url = sim.legacyUrl();
    sim.setBehavior(url, "server_error", { times: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await post(url, { text: `try ${i}` })).status);
    expect(statuses).toEqual([500, 500, 200]);
    expect(sim.requests(url).map((r) => r.delivered)).toEqual([false, false, true]);
  });

  it("resets the connection without answering", async () => {
    const url = sim.legacyUrl();
    sim.setBehavior(url, "reset");
    await expect(post(url, { text: "x" })).rejects.toThrow();
    const [recorded] = await sim.waitForRequests(1, { urlOrPath: url });
    expect(recorded).toMatchObject({ answeredStatus: 0, text: "x" });
  });

  it("hangs until close(), which ends the hanging request promptly", async () => {
    const url = sim.legacyUrl();
    sim.setBehavior(url, "hang");
    const pending = post(url, { text: "x" });
    pending.catch(() => {});
    await sim.waitForRequests(1, { urlOrPath: url });
    const raced = await Promise.race([
      pending.then(() => "answered"),
      sleep(200).then(() => "still hanging"),
    ]);
    expect(raced).toBe("still hanging");
    const t0 = Date.now();
    await sim.close();
    expect(Date.now() - t0).toBeLessThan(1000);
    await expect(pending).rejects.toThrow();
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

describe("recording", () => {
  it("waitForRequests resolves when enough arrived and rejects on timeout", async () => {
    const url = sim.legacyUrl();
    const waiting = sim.waitForRequests(2, { urlOrPath: url, timeoutMs: 2000 });
    await post(url, { text: "one" });
    await post(sim.legacyUrl(), { text: "elsewhere" });
    await post(url, { text: "two" });
    expect((await waiting).map((r) => r.text)).toEqual(["one", "two"]);
    expect(await sim.waitForRequests(3)).toHaveLength(3);
    await expect(sim.waitForRequests(4, { timeoutMs: 50 })).rejects.toThrow(
      /waited 50 ms for 4 requests, got 3/,
    );
  });

  it("reset forgets requests, violations, behaviors and window state", async () => {
    const url = sim.legacyUrl();
    for (let i = 0; i < 5; i += 1) await post(url, { text: `m${i}` });
    sim.setBehavior(url, "gone");
    sim.setDefaultBehavior("server_error");
    sim.reset();
    expect(sim.requests()).toEqual([]);
    expect(sim.violations()).toEqual([]);
    expect(sim.stats()).toEqual({ requests: 0, delivered: 0, violations: 0, droppedRecords: 0 });
    expect(await post(url, { text: "fresh" })).toMatchObject({ status: 200, text: "1" });
    expect(sim.requests()[0]?.seq).toBe(1);
  });

  it("bounds memory: drops the oldest bodies, then the oldest records, keeping exact counts", async () => {
    const s = await start({ maxRecordedBodies: 2, maxRecords: 10, enforceLegacyWindows: false });
    const url = s.legacyUrl();
    for (let i = 1; i <= 3; i += 1) await post(url, { text: `m${i}` });
    expect(s.requests().map((r) => [r.seq, r.bodyDropped, r.text])).toEqual([
      [1, true, null],
      [2, false, "m2"],
      [3, false, "m3"],
    ]);
    for (let i = 4; i <= 25; i += 1) await post(url, { text: `m${i}` });
    const kept = s.requests();
    expect(kept.length).toBeLessThanOrEqual(10);
    expect(kept.at(-1)).toMatchObject({ seq: 25, text: "m25" });
    expect(s.stats()).toMatchObject({ requests: 25, delivered: 25 });
    expect(s.stats().droppedRecords).toBe(25 - kept.length);
  });
});
