// Abuse throttles and transport rules (issue #15, findings 2, 5, 6, 9, 10, 15): per-address and
// per-account sign-in throttles with a lockout the owner gets past (sessions keep the address only
// as a keyed hash), an audit line per attempt, sign-up per address, the connection test, the
// operator token, passwords, Secure cookies and HSTS, /metrics.
import { createHash, randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { createApp, loadConfig } from "@herald/api";
import { serve } from "@hono/node-server";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../support/clock.ts";
import { ADMIN_TOKEN, type Harness, METRICS_TOKEN, startHarness, TEST_SECRET } from "../support/harness.ts";

// The throttles count in fixed windows (1, 10, 15 and 60 minutes, aligned to the epoch) on the
// runtime's clock. It starts a second after the hour, so that no run of attempts here straddles a
// window's edge and splits its count between two windows.
const HOUR_MS = 3_600_000;
const clock = new ManualClock(new Date(Math.floor(Date.now() / HOUR_MS) * HOUR_MS + 1_000));

let h: Harness;
const audit: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) {
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (entry.audit) audit.push(entry);
      }
      done();
    },
  });
  h = await startHarness({ logger: pino({ level: "info" }, sink), clock });
});
afterAll(() => h.close());

/** A request as if from `address` (the console passes the browser's address this way too). */
function from(
  address: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  return Promise.resolve(
    h.runtime.app.fetch(
      new Request(`http://herald.test${path}`, {
        method,
        headers: { "content-type": "application/json", ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
      { clientAddress: address },
    ),
  );
}

/** The tenant's own user signing in, with the right password, from `address`. */
function signIn(address: string, t: { email: string; password: string }) {
  return from(address, "POST", "/v1/auth/login", { email: t.email, password: t.password });
}

/** The statuses of `count` POSTs to `path` from `address`, one after another, each with a new body. */
async function postStatuses(count: number, address: string, path: string, body: () => unknown) {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) statuses.push((await from(address, "POST", path, body())).status);
  return statuses;
}

const randomAddress = () => `198.51.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
const randomEmail = () => `spray-${randomBytes(4).toString("hex")}@example.com`;

describe("sign-in throttles (findings 2 and 6)", () => {
  it("bounds password spraying from one address across many accounts", async () => {
    const address = randomAddress();
    const statuses = await postStatuses(32, address, "/v1/auth/login", () => ({
      email: randomEmail(),
      password: "Winter2026!",
    }));
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
    // Another address is not held back by it.
    const other = await from(randomAddress(), "POST", "/v1/auth/login", {
      email: randomEmail(),
      password: "x",
    });
    expect(other.status).toBe(401);
  });

  it("a stranger's failures lock the account for strangers only: the owner's known address still signs in", async () => {
    const t = await h.tenant();
    const owner = randomAddress();
    expect((await signIn(owner, t)).status).toBe(200);
    const strangers = Array.from({ length: 11 }, randomAddress);
    for (const address of strangers)
      await from(address, "POST", "/v1/auth/login", { email: t.email, password: "guess guess guess" });
    const stranger = await from(randomAddress(), "POST", "/v1/auth/login", {
      email: t.email,
      password: t.password,
    });
    expect(stranger.status).toBe(429);
    expect(Number(stranger.headers.get("retry-after"))).toBeGreaterThan(0);
    const back = await signIn(owner, t);
    expect(back.status).toBe(200);
  });

  it("sessions keep the address signed in from only as a keyed hash; the audit line has the address", async () => {
    const t = await h.tenant();
    const address = randomAddress();
    expect((await signIn(address, t)).status).toBe(200);
    const rows = await h.sql<{ clientAddress: string | null }[]>`
      SELECT client_address FROM sessions WHERE tenant_id = ${t.tenantId} AND client_address IS NOT NULL`;
    expect(rows).toHaveLength(1);
    const stored = rows[0]?.clientAddress ?? "";
    expect(stored).not.toContain(address);
    for (const encoding of ["hex", "base64url", "base64"] as const)
      expect(stored).not.toContain(createHash("sha256").update(address).digest(encoding).slice(0, 16));
    expect(stored).toBe(h.runtime.ctx.keys.addressHashes(address)[0]);
    await new Promise((r) => setImmediate(r));
    expect(audit.filter((a) => a.address === address).map((a) => a.outcome)).toEqual(["signed_in"]);
  });

  it("successful sign-ins do not use up the address's budget (an office behind one address)", async () => {
    const office = randomAddress();
    const t = await h.tenant();
    for (let i = 0; i < 35; i++) {
      const res = await signIn(office, t);
      expect(res.status, `sign-in ${i}`).toBe(200);
    }
  });

  it("writes one audit line per sign-in attempt: address, account, outcome", async () => {
    const t = await h.tenant();
    const address = randomAddress();
    await from(address, "POST", "/v1/auth/login", { email: t.email, password: "wrong wrong wrong" });
    await from(address, "POST", "/v1/auth/login", { email: t.email.toUpperCase(), password: t.password });
    await new Promise((r) => setImmediate(r));
    const mine = audit.filter((a) => a.address === address);
    expect(mine.map((a) => [a.audit, a.account, a.outcome])).toEqual([
      ["sign_in", t.email, "invalid_credentials"],
      ["sign_in", t.email, "signed_in"],
    ]);
    expect(JSON.stringify(mine)).not.toContain(t.password);
  });

  it("bounds sign-ups (and so email enumeration) per address", async () => {
    const address = randomAddress();
    const statuses = await postStatuses(11, address, "/v1/auth/signup", () => ({
      email: randomEmail(),
      password: "correct horse battery",
      organization: "Flood",
    }));
    expect(statuses.slice(0, 10).every((s) => s === 201)).toBe(true);
    expect(statuses[10]).toBe(429);
  });
});

describe("passwords and the operator token (finding 15)", () => {
  it("refuses passwords that are short after trimming, or among the most common", async () => {
    for (const password of [" ".repeat(12), "  abc  def  ", "password123", "1234567890"]) {
      const res = await h.client().raw("POST", "/v1/auth/signup", {
        email: randomEmail(),
        password,
        organization: "Weak",
      });
      expect(res.status, JSON.stringify(password)).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: "invalid_request" } });
    }
  });

  it("takes the operator token only as a Bearer token, and throttles wrong ones per address", async () => {
    expect(
      (await from(randomAddress(), "GET", "/admin/v1/plans", undefined, { authorization: ADMIN_TOKEN }))
        .status,
    ).toBe(401);
    const ok = { authorization: `Bearer ${ADMIN_TOKEN}` };
    expect((await from(randomAddress(), "GET", "/admin/v1/plans", undefined, ok)).status).toBe(200);
    const guesser = randomAddress();
    for (let i = 0; i < 10; i++) {
      const res = await from(guesser, "GET", "/admin/v1/plans", undefined, {
        authorization: `Bearer guess-${i}`,
      });
      expect(res.status).toBe(401);
    }
    // Past the budget even the right token is refused from that address: a guess learns nothing.
    expect((await from(guesser, "GET", "/admin/v1/plans", undefined, ok)).status).toBe(429);
  });
});

describe("transport (findings 9 and 10)", () => {
  const cookiesOf = (res: Response) => res.headers.getSetCookie();

  it("marks cookies Secure and sends HSTS when HERALD_PUBLIC_URL is https, whatever the socket says", async () => {
    const t = await h.tenant();
    const plain = await from("192.0.2.1", "POST", "/v1/auth/login", { email: t.email, password: t.password });
    expect(cookiesOf(plain).some((c) => /;\s*Secure/i.test(c))).toBe(false);
    expect(plain.headers.get("strict-transport-security")).toBeNull();
    const config = loadConfig({
      DATABASE_URL: "postgres://unused",
      HERALD_SECRET: TEST_SECRET,
      HERALD_PUBLIC_URL: "https://herald.contoso.com",
    });
    const { app } = createApp({
      ...h.runtime.ctx,
      config: { ...h.runtime.ctx.config, publicUrl: config.publicUrl },
    });
    const secure = await app.fetch(
      new Request("http://internal:3000/v1/auth/login", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: t.email, password: t.password }),
      }),
    );
    expect(secure.status).toBe(200);
    const cookies = cookiesOf(secure);
    expect(cookies.length).toBe(2);
    for (const cookie of cookies) expect(cookie).toMatch(/;\s*Secure/i);
    expect(secure.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
  });

  it("believes X-Forwarded-Proto and -For only with HERALD_TRUST_PROXY", () => {
    expect(loadConfig({ DATABASE_URL: "postgres://x", HERALD_SECRET: TEST_SECRET }).trustProxyHops).toBe(0);
    expect(
      loadConfig({ DATABASE_URL: "postgres://x", HERALD_SECRET: TEST_SECRET, HERALD_TRUST_PROXY: "true" })
        .trustProxyHops,
    ).toBe(1);
    expect(() =>
      loadConfig({ DATABASE_URL: "postgres://x", HERALD_SECRET: TEST_SECRET, HERALD_TRUST_PROXY: "yes" }),
    ).toThrow(/HERALD_TRUST_PROXY/);
  });

  it("over a socket, takes the peer's address and plain http unless a proxy is trusted", async () => {
    const t = await h.tenant();
    const seen: { address: unknown; secure: boolean; hsts: boolean }[] = [];
    for (const trustProxyHops of [0, 1]) {
      const { app } = createApp({ ...h.runtime.ctx, config: { ...h.runtime.ctx.config, trustProxyHops } });
      const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
      await new Promise((r) => server.once("listening", r));
      try {
        const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/auth/login`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-forwarded-for": "203.0.113.9",
            "x-forwarded-proto": "https",
          },
          body: JSON.stringify({ email: t.email, password: t.password }),
        });
        expect(res.status).toBe(200);
        await new Promise((r) => setImmediate(r));
        seen.push({
          address: audit.filter((a) => a.account === t.email).at(-1)?.address,
          secure: res.headers.getSetCookie().every((c) => /;\s*Secure/i.test(c)),
          hsts: res.headers.has("strict-transport-security"),
        });
      } finally {
        await new Promise((r) => server.close(r));
      }
    }
    expect(seen).toEqual([
      { address: "127.0.0.1", secure: false, hsts: false },
      { address: "203.0.113.9", secure: true, hsts: true },
    ]);
  });

  it("console pages forbid posting forms elsewhere (CSP form-action)", async () => {
    const res = await h.runtime.app.fetch(new Request("http://herald.test/console/login"));
    expect(res.headers.get("content-security-policy")).toContain("form-action 'self'");
  });

  it("serves /metrics only with HERALD_METRICS_TOKEN, and not at all on PORT without one", async () => {
    const get = (
      app: { fetch: (r: Request) => Response | Promise<Response> },
      headers: Record<string, string> = {},
    ) => Promise.resolve(app.fetch(new Request("http://herald.test/metrics", { headers })));
    expect((await get(h.runtime.app)).status).toBe(401);
    expect((await get(h.runtime.app, { authorization: METRICS_TOKEN })).status).toBe(401);
    expect((await get(h.runtime.app, { authorization: `Bearer ${METRICS_TOKEN}` })).status).toBe(200);
    const { app } = createApp({
      ...h.runtime.ctx,
      config: { ...h.runtime.ctx.config, metricsToken: undefined },
    });
    const off = await get(app);
    expect(off.status).toBe(404);
    expect(await off.text()).toContain("HERALD_METRICS_TOKEN");
  });
});

describe("the connection test (finding 5)", () => {
  it("posts only Herald's fixed text, a few times a minute per webhook", async () => {
    const t = await h.tenant();
    const url = h.sim.legacyUrl();
    const webhookId = await t.addWebhook(url);
    const custom = await t.console.raw("POST", `/v1/webhooks/${webhookId}/test`, {
      textMessage: "50% off, click here",
    });
    expect(custom.status).toBe(400);
    expect(await custom.json()).toMatchObject({
      error: { code: "invalid_request", message: expect.stringMatching(/"textMessage".*fixed text/) },
    });
    expect(h.sim.requests(url)).toHaveLength(0);
    const first = await t.console.raw("POST", `/v1/webhooks/${webhookId}/test`, {});
    expect(first.status).toBe(200);
    expect(h.sim.requests(url).map((r) => r.text)).toEqual([
      expect.stringMatching(/^Herald connection test for "Alerts"/),
    ]);
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await t.console.raw("POST", `/v1/webhooks/${webhookId}/test`)).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect(h.sim.requests(url)).toHaveLength(3);
  });

  it("is refused once the trial has ended, as sendMessage is", async () => {
    const t = await h.tenant();
    const url = h.sim.legacyUrl();
    const webhookId = await t.addWebhook(url);
    await h.sql`UPDATE tenants SET trial_ends_at = now() - interval '1 day' WHERE id = ${t.tenantId}`;
    const res = await t.console.raw("POST", `/v1/webhooks/${webhookId}/test`);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({
      error: { code: "forbidden", message: expect.stringMatching(/trial/) },
    });
    expect(h.sim.requests(url)).toHaveLength(0);
  });
});
