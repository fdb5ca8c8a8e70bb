// Throttling (login attempts, per-key activity rate from the plan) and secrets kept out of logs.
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../support/clock.ts";
import { type Harness, startHarness } from "../support/harness.ts";

let h: Harness;
let logs = "";
// Throttle windows (fixed, epoch-aligned) follow this clock; the burst below holds it still so
// that it cannot straddle a window's edge and split its count, however slow the machine.
const clock = new ManualClock();
beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs += chunk.toString();
      done();
    },
  });
  h = await startHarness({ logger: pino({ level: "trace" }, sink), clock });
});
afterAll(() => h.close());

describe("throttling", () => {
  it("answers 429 rate_limited with Retry-After after 10 failed sign-ins to one account", async () => {
    const t = await h.tenant({ plan: "unlimited" });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 12; i++) {
      const res = await t.console.raw("POST", "/v1/auth/login", {
        email: t.email,
        password: "wrong password!",
      });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get("retry-after");
    }
    expect(statuses.slice(0, 9).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it("throttles a binding key to its plan's requests per second, and not on the unlimited plan", async () => {
    const put = await h.admin("PUT", "/admin/v1/plans/throttled", {
      displayName: "Throttled",
      requestsPerSecond: 5,
    });
    expect(put.status).toBe(200);
    const slow = await h.tenant({ plan: "throttled" });
    const fast = await h.tenant({ plan: "unlimited" });
    const slowHook = await slow.addWebhook(h.sim.workflowsUrl());
    const fastHook = await fast.addWebhook(h.sim.workflowsUrl());
    const burst = (tt: typeof slow, hook: string) =>
      Promise.all(Array.from({ length: 12 }, (_, i) => tt.activity.sendMessage(hook, `b${i}`, { wait: 0 })));
    clock.hold(new Date(Math.ceil(clock.now().getTime() / 1000) * 1000 + 1));
    const slowAnswers = await burst(slow, slowHook).finally(() => clock.flow());
    expect(slowAnswers.filter((a) => a.status === "queued")).toHaveLength(5);
    const limited = slowAnswers.filter((a) => a.httpStatus === 429);
    expect(limited).toHaveLength(7);
    expect(limited[0]).toMatchObject({
      status: "rejected",
      SentMessage: false,
      error: { code: "rate_limited" },
    });
    // The next second admits the key again.
    clock.advance(1000);
    expect(await slow.activity.sendMessage(slowHook, "next second", { wait: 0 })).toMatchObject({
      status: "queued",
    });
    const fastAnswers = await burst(fast, fastHook);
    expect(fastAnswers.every((a) => a.status === "queued")).toBe(true);
  });
});

describe("secrets in logs", () => {
  it("a full run's logs contain no license secret, webhook URL, session token or password", async () => {
    const t = await h.tenant({ plan: "unlimited" });
    const url = h.sim.legacyUrl();
    const webhookId = await t.addWebhook(url);
    await t.activity.sendMessage(webhookId, "hello");
    h.sim.setBehavior(url, "server_error", { times: 1 });
    await t.activity.sendMessage(webhookId, "retried", { wait: 5 });
    h.sim.setBehavior(url, "gone");
    await t.activity.sendMessage(webhookId, "gone");
    await h
      .client({ licenseKey: t.licenseKey, licenseSecret: `${t.licenseSecret}x` })
      .sendMessage(webhookId, "bad key");
    await t.console.raw("POST", "/v1/auth/login", { email: t.email, password: t.password });
    await t.console.testWebhook(webhookId).catch(() => undefined);
    expect(logs.length).toBeGreaterThan(200); // the run did log
    const secretParts = new URL(url).pathname.split("/").filter((s) => s.length >= 16);
    for (const secret of [
      t.licenseSecret,
      t.password,
      t.console.sessionToken ?? "never",
      url,
      ...secretParts,
    ]) {
      expect(logs).not.toContain(secret);
    }
  });
});
