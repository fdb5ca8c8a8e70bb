// The console against a stub of the api: sessions, CSRF, headers and assets, without a database.
// The browser tests (test/browser) run it against the real api.
import { beforeEach, describe, expect, it } from "vitest";
import { consoleRoutes } from "./app.tsx";

interface Call {
  method: string;
  path: string;
  authorization: string | null;
}

const SESSION = "session-token";
const CSRF = "csrf-token-123";
const signedIn = { cookie: `herald_session=${SESSION}; herald_csrf=${CSRF}` };
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const posted = { "content-type": "application/x-www-form-urlencoded", ...signedIn };

let calls: Call[];
let sessionValid: boolean;

function stubApi(request: Request): Response {
  const url = new URL(request.url);
  calls.push({
    method: request.method,
    path: url.pathname,
    authorization: request.headers.get("authorization"),
  });
  const json = (body: unknown, status = 200) => Response.json(body, { status });
  if (!sessionValid)
    return json({ error: { code: "unauthorized", message: "Sign in", requestId: "r" } }, 401);
  const key = {
    id: "bk_1",
    instanceId: "ins_1",
    name: "Portal",
    licenseKey: "hk_key",
    createdAt: "2026-11-01T00:00:00Z",
    lastUsedAt: null,
    revokedAt: null,
  };
  switch (`${request.method} ${url.pathname}`) {
    case "GET /v1/instances":
      return json({
        items: [{ id: "ins_1", name: "Developer Instance", createdAt: "2026-11-01T00:00:00Z" }],
      });
    case "GET /v1/billing":
      return json({ error: { code: "not_found", message: "No route", requestId: "r" } }, 404);
    case "GET /v1/instances/ins_1/binding-keys":
      return json({ items: [key] });
    case "POST /v1/instances/ins_1/binding-keys":
      return json({ ...key, licenseSecret: "hs_the_secret" }, 201);
    default:
      return json(
        { error: { code: "not_found", message: `stub has no ${url.pathname}`, requestId: "r" } },
        404,
      );
  }
}

const app = consoleRoutes({ api: stubApi, oneViewKey: new Uint8Array(32).fill(7) });
const request = (path: string, init?: RequestInit) => app.request(`http://herald.test${path}`, init);

beforeEach(() => {
  calls = [];
  sessionValid = true;
});

describe("console", () => {
  it("sends visitors without a session to sign in, and may not be framed", async () => {
    const res = await request("/console/usage");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/console/login?next=%2Fconsole%2Fusage");
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(calls).toEqual([]);
  });

  it("calls the api with the session as a Bearer token", async () => {
    const res = await request("/console/i/ins_1/keys", { headers: signedIn });
    expect(res.status).toBe(200);
    expect(calls.map((c) => c.authorization)).toEqual([
      `Bearer ${SESSION}`,
      `Bearer ${SESSION}`,
      `Bearer ${SESSION}`,
    ]);
    const html = await res.text();
    expect(html).toContain("hk_key");
    expect(html).toContain(`name="_csrf" value="${CSRF}"`);
  });

  it("creates keys with post/redirect/get: the secret is shown on the one view the redirect lands on", async () => {
    const res = await request("/console/i/ins_1/keys", {
      method: "POST",
      headers: posted,
      body: form({ _csrf: CSRF, name: "Portal" }),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/console/i/ins_1/keys");
    const held = res.headers.getSetCookie().find((c) => c.startsWith("herald_once="));
    expect(held).toContain("HttpOnly");
    expect(held).toContain("Path=/console/i/ins_1/keys");
    // The cookie is sealed: the secret cannot be read from it.
    expect(held).not.toContain("hs_the_secret");
    const cookie = `${signedIn.cookie}; ${held?.split(";")[0]}`;

    const view = await request("/console/i/ins_1/keys", { headers: { cookie } });
    expect(view.status).toBe(200);
    expect(view.headers.get("cache-control")).toBe("no-store");
    expect(await view.text()).toContain("hs_the_secret");
    expect(view.headers.getSetCookie().some((c) => /^herald_once=;.*Max-Age=0/.test(c))).toBe(true);
    expect(calls.filter((c) => c.method === "POST")).toHaveLength(1);

    // A reload without the (now deleted) cookie shows the list only; a forged cookie shows nothing.
    const again = await request("/console/i/ins_1/keys", { headers: signedIn });
    expect(await again.text()).not.toContain("hs_the_secret");
    const forged = await request("/console/i/ins_1/keys", {
      headers: { cookie: `${signedIn.cookie}; herald_once=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA` },
    });
    expect(forged.status).toBe(200);
    expect(await forged.text()).not.toContain("Keys for");
  });

  it("refuses a form without the CSRF token, or sent from another site, before calling the api", async () => {
    const missing = await request("/console/i/ins_1/keys", {
      method: "POST",
      headers: posted,
      body: form({ name: "Portal" }),
    });
    expect(missing.status).toBe(403);
    expect(await missing.text()).toContain("Form refused");
    const crossSite = await request("/console/i/ins_1/keys", {
      method: "POST",
      headers: { ...posted, "sec-fetch-site": "cross-site" },
      body: form({ _csrf: CSRF, name: "Portal" }),
    });
    expect(crossSite.status).toBe(403);
    expect(calls).toEqual([]);
  });

  it("answers another tenant's (or an unknown) instance with not found", async () => {
    const res = await request("/console/i/ins_other/channels", { headers: signedIn });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("No instance ins_other in your account.");
  });

  it("keeps an id from the page's URL inside its own api call, however it is encoded", async () => {
    // Hono decodes route params: "%2F" arrives as "/", "%2E%2E" as "..". Passed on as they are,
    // they would send the api call to another route (here the instance's binding keys).
    for (const id of ["wh_x%2F..%2F..%2Finstances%2Fins_1%2Fbinding-keys", "wh_x%252F..%252Fins_1"]) {
      calls = [];
      const res = await request(`/console/i/ins_1/channels/${id}/edit`, { headers: signedIn });
      expect(res.status).toBe(404);
      const webhookCalls = calls
        .map((c) => c.path)
        .filter((p) => !["/v1/instances", "/v1/billing"].includes(p));
      expect(webhookCalls).toEqual([`/v1/webhooks/${encodeURIComponent(decodeURIComponent(id))}`]);
    }
    calls = [];
    const dots = await request("/console/i/ins_1/channels/%2E%2E/edit", { headers: signedIn });
    expect(dots.status).toBe(404);
    expect(calls.map((c) => c.path)).not.toContain("/v1/");
  });

  it("sends an expired session back to sign in", async () => {
    sessionValid = false;
    const res = await request("/console/i/ins_1/keys", { headers: signedIn });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/console/login?next=%2Fconsole%2Fi%2Fins_1%2Fkeys");
  });

  it("lets Teams frame the configuration page, and only Teams", async () => {
    const res = await request("/teams/configure");
    expect(res.status).toBe(200);
    const policy = res.headers.get("content-security-policy") ?? "";
    expect(policy).toContain("frame-ancestors 'self' https://teams.microsoft.com");
    // teams-js may fetch Microsoft's list of Teams hosts, and nothing else outside Herald.
    expect(policy).toContain(
      "connect-src 'self' https://res.cdn.office.net/teams-js/validDomains/json/validDomains.json;",
    );
    expect(res.headers.get("x-frame-options")).toBeNull();
  });

  it("serves its scripts and the vendor builds, cacheable for good when versioned", async () => {
    const page = await (await request("/teams/configure")).text();
    const teamsJs =
      /src="(\/console\/assets\/vendor\/MicrosoftTeams\.min\.js\?v=[^"]+)"/.exec(page)?.[1] ?? "";
    const res = await request(teamsJs);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(res.headers.get("cache-control")).toContain("immutable");
    const chart = await request("/console/assets/vendor/uPlot.iife.min.js");
    expect(chart.status).toBe(200);
    expect(chart.headers.get("cache-control")).toBe("no-cache");
    const etag = chart.headers.get("etag") ?? "";
    expect(
      (await request("/console/assets/vendor/uPlot.iife.min.js", { headers: { "if-none-match": etag } }))
        .status,
    ).toBe(304);
    expect((await request("/console/assets/../package.json")).status).toBe(404);
    expect((await request("/console/assets/globals.d.ts")).status).toBe(404);
  });

  it("answers unknown console pages with an HTML page", async () => {
    const res = await request("/console/nowhere", { headers: signedIn });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("text/html");
  });
});
