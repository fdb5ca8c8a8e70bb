// One security suite run against every route the app serves: no credentials, forged and expired
// sessions, revoked keys, another tenant's ids, and cookie sessions without the CSRF header.

import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKeyring } from "../../apps/api/src/crypto.ts";
import { declaredRoutes } from "../../apps/api/src/middleware/route-auth/index.ts";
import { type Harness, startHarness, TEST_SECRET, type TestTenant } from "../support/harness.ts";

let h: Harness;
let victim: TestTenant;
let attacker: TestTenant;
const ids: Record<string, string> = {};

beforeAll(async () => {
  h = await startHarness();
  victim = await h.tenant({ plan: "unlimited" });
  attacker = await h.tenant({ plan: "unlimited" });
  ids.instanceId = victim.instanceId;
  ids.bindingKeyId = victim.bindingKeyId;
  ids.webhookId = await victim.addWebhook(h.sim.legacyUrl());
  ids.messageId = (await victim.activity.sendMessage(ids.webhookId, "private")).messageId ?? "";
  ids.tenantId = victim.tenantId;
  ids.name = "trial";
  ids.entraAppId = (await victim.console.createEntraApp(victim.instanceId, ENTRA_APP)).id;
});

const ENTRA_APP = {
  name: "probe",
  tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
  clientId: "0b5f6a39-3c52-4a6e-9d1f-5c2f1a7e8b90",
  clientSecret: "probe-secret",
};
afterAll(() => h.close());

type Auth = "session" | "license" | "admin" | "public";

/**
 * The routes anyone may call without credentials, each for a reason a reader can check. Every other
 * /v1, /admin and /console route must refuse a caller without credentials; a route added without
 * authentication fails "every route is authenticated or explicitly public" below.
 */
const PUBLIC_ROUTES = new Set([
  "POST /v1/auth/signup", // creates an account
  "POST /v1/auth/login", // exchanges a password for a session
  "POST /v1/auth/logout", // clears the caller's own cookies
  "POST /v1/licenses/validate", // the credentials are its input
  "POST /v1/auth/reset-password", // the one-time reset token is its credential
  "GET /console/reset-password",
  "POST /console/reset-password",
  "GET /console", // redirects to the login page or the console
  "GET /console/login",
  "POST /console/login",
  "GET /console/signup",
  "POST /console/signup",
  "POST /console/logout",
  "GET /console/assets/:name{.+}", // stylesheets, scripts, icons
]);

/** The security each OpenAPI route declares (its createRoute `security`), keyed by "METHOD /path/:param". */
function declaredAuth(): Map<string, Auth> {
  const declared = new Map<string, Auth>();
  for (const route of declaredRoutes(h.runtime.app)) {
    const names = (route.security ?? []).flatMap((alternative) => Object.keys(alternative));
    const auth: Auth = names.includes("Session")
      ? "session"
      : names.includes("Admin")
        ? "admin"
        : names.some((n) => n.startsWith("License"))
          ? "license"
          : "public";
    declared.set(`${route.method} ${route.path.replace(/\{(\w+)\}/g, ":$1")}`, auth);
  }
  return declared;
}

function authOf(method: string, pattern: string): Auth {
  return declaredAuth().get(`${method} ${pattern}`) ?? "public";
}

/** A body that passes validation, so a probe reaches the object lookup. */
function bodyFor(method: string, path: string): unknown {
  if (method === "GET" || method === "DELETE") return undefined;
  if (path.endsWith("/webhooks")) return { name: "probe", url: h.sim.legacyUrl() };
  if (path.endsWith("/entra-apps")) return ENTRA_APP;
  if (path.endsWith("/test")) return {};
  if (path.startsWith("/v1/webhooks/")) return { name: "renamed" };
  if (path === "/v1/messages") return { webhookId: ids.webhookId, textMessage: "probe" };
  if (path.startsWith("/v1/messages/")) return { textMessage: "probe" };
  if (path.endsWith("/plan")) return { plan: "trial" };
  if (path.startsWith("/admin/v1/plans/")) return { displayName: "x" };
  if (path.startsWith("/v1/billing/checkout")) return { plan: "trial" };
  return { name: "probe" };
}

function routes() {
  const seen = new Set<string>();
  return h.runtime.app.routes
    .filter((r) => r.method !== "ALL" && (r.path.startsWith("/v1/") || r.path.startsWith("/admin/")))
    .map((r) => ({ method: r.method, pattern: r.path, auth: authOf(r.method, r.path) }))
    .filter(
      (r) =>
        r.auth !== "public" && !seen.has(`${r.method} ${r.pattern}`) && seen.add(`${r.method} ${r.pattern}`),
    );
}

const fill = (pattern: string) => pattern.replace(/:(\w+)/g, (_m, name: string) => ids[name] ?? "unknown");

async function call(method: string, path: string, headers: Record<string, string>, body?: unknown) {
  return h.runtime.app.fetch(
    new Request(`http://herald.test${path}`, {
      method,
      headers: { "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
}

describe("tenant isolation and authentication, on every route", () => {
  it("every /v1, /admin and /console route is authenticated or explicitly public", async () => {
    const unguarded: string[] = [];
    const seen = new Set<string>();
    for (const r of h.runtime.app.routes) {
      if (r.method === "ALL" || !/^\/(v1|admin|console)(\/|$)/.test(r.path)) continue;
      const key = `${r.method} ${r.path}`;
      if (seen.has(key) || PUBLIC_ROUTES.has(key)) continue;
      seen.add(key);
      const declared = authOf(r.method, r.path);
      const res = await call(r.method, fill(r.path), {}, bodyFor(r.method, r.path));
      // The API refuses with 401; a console page sends the browser to the login page, and a console
      // form post without the session's CSRF token is refused before it reaches a page.
      const location = res.headers.get("location") ?? "";
      const refused =
        res.status === 401 ||
        (r.path.startsWith("/console/") &&
          ((res.status === 303 && location.startsWith("/console/login")) ||
            (r.method === "POST" && res.status === 403)));
      if (declared === "public" && !r.path.startsWith("/console"))
        unguarded.push(`${key} (declares no credentials)`);
      else if (!refused) unguarded.push(`${key} (answered ${res.status} ${location} without credentials)`);
    }
    expect(seen.size).toBeGreaterThan(30);
    expect(unguarded, "routes neither authenticated nor on PUBLIC_ROUTES").toEqual([]);
  });

  it("answers 401 without credentials, with a forged or expired session, and with a revoked key", async () => {
    const keys = createKeyring(TEST_SECRET);
    const forged = await new SignJWT({ tid: victim.tenantId })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("usr_x")
      .setIssuer("herald")
      .setAudience("herald-console")
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode("not-the-real-key-0123456789abcdef"));
    const expired = await new SignJWT({ tid: victim.tenantId })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("usr_x")
      .setIssuer("herald")
      .setAudience("herald-console")
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(keys.sessionKey);
    const revoked = await h.tenant({ plan: "unlimited" });
    await revoked.console.revokeBindingKey(revoked.instanceId, revoked.bindingKeyId);

    let probes = 0;
    let leaks = 0;
    for (const r of routes()) {
      const path = fill(r.pattern);
      const body = bodyFor(r.method, r.pattern);
      const variants: Record<string, string>[] = [{}];
      if (r.auth === "session")
        variants.push({ authorization: `Bearer ${forged}` }, { authorization: `Bearer ${expired}` });
      if (r.auth === "license") {
        variants.push({ "x-license-key": revoked.licenseKey, "x-license-secret": revoked.licenseSecret });
        variants.push({ "x-license-key": victim.licenseKey, "x-license-secret": "hs_guess" });
      }
      if (r.auth === "admin")
        variants.push(
          { authorization: "Bearer wrong-admin-token-000000" },
          { authorization: `Bearer ${victim.console.sessionToken}` },
        );
      for (const headers of variants) {
        probes++;
        const res = await call(r.method, path, headers, body);
        if (res.status !== 401) leaks++;
        expect(res.status, `${r.method} ${path} ${JSON.stringify(Object.keys(headers))}`).toBe(401);
        const json = (await res.json()) as { error?: { code: string; requestId: string } };
        expect(json.error?.requestId).toBe(res.headers.get("x-request-id"));
      }
    }
    expect(probes).toBeGreaterThan(40);
    expect(leaks).toBe(0);
    console.log(`isolation: ${probes} authentication probes, ${leaks} let in`);
  });

  it("answers 404, never 403 or data, for another tenant's ids", async () => {
    let probes = 0;
    let leaks = 0;
    const victimIdValues = Object.values(ids).filter((v) => v.length > 8);
    for (const r of routes().filter(
      (x) =>
        x.auth !== "admin" && /:(instanceId|webhookId|bindingKeyId|messageId|entraAppId)/.test(x.pattern),
    )) {
      const path = fill(r.pattern);
      const headers: Record<string, string> =
        r.auth === "license"
          ? { "x-license-key": attacker.licenseKey, "x-license-secret": attacker.licenseSecret }
          : { authorization: `Bearer ${attacker.console.sessionToken}` };
      probes++;
      const res = await call(r.method, path, headers, bodyFor(r.method, r.pattern));
      const text = await res.text();
      const leaked = res.status !== 404 || victimIdValues.some((v) => text.includes(v) && !path.includes(v));
      if (leaked) leaks++;
      expect(res.status, `${r.method} ${path}`).toBe(404);
    }
    // sendMessage to the victim's webhook with the attacker's key
    probes++;
    const send = await call(
      "POST",
      "/v1/messages",
      { "x-license-key": attacker.licenseKey, "x-license-secret": attacker.licenseSecret },
      { webhookId: ids.webhookId, textMessage: "x" },
    );
    if (send.status !== 404) leaks++;
    expect(send.status).toBe(404);
    expect(probes).toBeGreaterThan(10);
    expect(leaks).toBe(0);
    // the victim's data is untouched
    expect((await victim.console.getWebhook(ids.webhookId ?? "")).name).toBe("Alerts");
    console.log(`isolation: ${probes} cross-tenant probes, ${leaks} leaks`);
  });

  it("refuses a cookie session without the CSRF header on state-changing requests", async () => {
    const signup = await call(
      "POST",
      "/v1/auth/login",
      {},
      { email: victim.email, password: victim.password },
    );
    const cookies = (signup.headers.getSetCookie?.() ?? []).map((c) => c.split(";")[0]).join("; ");
    const csrf = /herald_csrf=([^;]+)/.exec(cookies)?.[1] ?? "";
    expect(csrf).not.toBe("");
    const read = await call("GET", "/v1/instances", { cookie: cookies });
    expect(read.status).toBe(200);
    const noHeader = await call("POST", "/v1/instances", { cookie: cookies }, { name: "csrf" });
    expect(noHeader.status).toBe(401);
    const wrong = await call(
      "POST",
      "/v1/instances",
      { cookie: cookies, "x-csrf-token": "x".repeat(csrf.length) },
      { name: "csrf" },
    );
    expect(wrong.status).toBe(401);
    const right = await call(
      "POST",
      "/v1/instances",
      { cookie: cookies, "x-csrf-token": csrf },
      { name: "csrf" },
    );
    expect(right.status).toBe(201);
  });
});
