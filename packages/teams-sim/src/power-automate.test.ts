import { decodeJwt } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FLOW_AUDIENCE } from "./entra.ts";
import { POWER_AUTOMATE_WINDOWS } from "./rate-windows.ts";
import { startTeamsSim } from "./server.ts";
import type { TeamsSim } from "./types.ts";

const card = (text: string) => ({
  type: "message",
  attachments: [
    {
      contentType: "application/vnd.microsoft.card.adaptive",
      content: { type: "AdaptiveCard", version: "1.4", body: [{ type: "TextBlock", text }] },
    },
  ],
});

async function post(url: string, payload: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(payload),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text === "" ? null : JSON.parse(text) };
}

async function token(sim: TeamsSim, tenantId: string, form: Record<string, string>) {
  const res = await fetch(`${sim.authority}/${tenantId}/oauth2/v2.0/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const SCOPE = "https://service.flow.microsoft.com//.default";

let sim: TeamsSim;
beforeEach(async () => {
  sim = await startTeamsSim({ workflowsWindows: [...POWER_AUTOMATE_WINDOWS] });
});
afterEach(async () => {
  await sim.close();
});

describe("Workflows URLs", () => {
  it("issues today's direct form, with the /cu/<n>/ routing segment on request, and the older logic form", async () => {
    const cu = sim.workflowsUrl("ops", { cu: 16 });
    expect(new URL(cu).pathname).toBe(
      "/powerautomate/automations/direct/cu/16/workflows/ops/triggers/manual/paths/invoke",
    );
    expect(new URL(cu).searchParams.get("sig")).toMatch(/^[\w-]{43}$/);
    expect(new URL(sim.workflowsUrl("ops", { form: "logic" })).pathname).toBe(
      "/workflows/ops/triggers/manual/paths/invoke",
    );
    expect((await post(cu, card("hi"))).status).toBe(202);
    expect(sim.requests(cu)[0]).toMatchObject({
      kind: "workflows",
      delivered: true,
      text: "hi",
      bearer: null,
    });
  });
});

describe("Power Automate's answers", () => {
  it("answers a turned-off flow with 400 WorkflowTriggerIsNotEnabled, and accepts again once it is on", async () => {
    const url = sim.workflowsUrl();
    sim.setFlowState(url, "off");
    const off = await post(url, card("a"));
    expect(off.status).toBe(400);
    expect(off.json.error.code).toBe("WorkflowTriggerIsNotEnabled");
    expect(off.json.error.message).toMatch(/trigger is not enabled/);
    sim.setFlowState(url, "on");
    expect((await post(url, card("b"))).status).toBe(202);
    expect(sim.requests(url).map((r) => r.delivered)).toEqual([false, true]);
  });

  it("answers a deleted flow with 404 WorkflowNotFound", async () => {
    const url = sim.workflowsUrl();
    sim.setFlowState(url, "deleted");
    const res = await post(url, card("a"));
    expect(res.status).toBe(404);
    expect(res.json.error).toMatchObject({ code: "WorkflowNotFound" });
  });

  it("throttles more than 4 requests a second to one webhook with 429 TooManyRequests and Retry-After", async () => {
    const url = sim.workflowsUrl();
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => post(url, card(String(i)))));
    const throttled = answers.filter((a) => a.status === 429);
    expect(answers.filter((a) => a.status === 202)).toHaveLength(4);
    expect(throttled).toHaveLength(2);
    expect(throttled[0]?.json.error.code).toBe("TooManyRequests");
    expect(throttled[0]?.json.error.message).toMatch(/^Rate limit is exceeded\. Try again in \d+ seconds\.$/);
    expect(Number(throttled[0]?.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(sim.violations(url)).toHaveLength(2);
  });

  it("refuses a bearer token on a flow anyone may trigger: the signature is its only scheme", async () => {
    const url = sim.workflowsUrl();
    const res = await post(url, card("a"), { authorization: "Bearer abc" });
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe("DirectApiAuthorizationRequired");
    expect(res.json.error.message).toMatch(/only by Shared Access scheme/);
  });
});

describe("Entra token endpoint", () => {
  it("issues an RS256 token for a registered app whose audience has the trailing slash", async () => {
    const app = sim.registerEntraApp({ tenantId: TENANT });
    const res = await token(sim, TENANT, {
      grant_type: "client_credentials",
      client_id: app.clientId,
      client_secret: app.clientSecret,
      scope: SCOPE,
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ token_type: "Bearer", expires_in: 3599 });
    const claims = decodeJwt(String(res.json.access_token));
    expect(claims).toMatchObject({
      aud: FLOW_AUDIENCE,
      tid: TENANT,
      oid: app.objectId,
      appid: app.clientId,
      iss: `https://sts.windows.net/${TENANT}/`,
    });
    const keys = (await (await fetch(`${sim.authority}/${TENANT}/discovery/v2.0/keys`)).json()) as {
      keys: { kty: string; alg: string }[];
    };
    expect(keys.keys[0]).toMatchObject({ kty: "RSA", alg: "RS256" });
    expect(sim.tokenRequests(app.clientId)).toEqual([
      expect.objectContaining({ status: 200, errorCode: null, tenantId: TENANT }),
    ]);
  });

  it("answers a wrong secret with 401 invalid_client AADSTS7000215 and an unknown app with AADSTS700016", async () => {
    const app = sim.registerEntraApp({ tenantId: TENANT });
    const wrong = await token(sim, TENANT, {
      grant_type: "client_credentials",
      client_id: app.clientId,
      client_secret: "not-the-secret",
      scope: SCOPE,
    });
    expect(wrong.status).toBe(401);
    expect(wrong.json).toMatchObject({ error: "invalid_client", error_codes: [7000215] });
    expect(String(wrong.json.error_description)).toMatch(/^AADSTS7000215: Invalid client secret provided\./);
    expect(JSON.stringify(wrong.json)).not.toContain("not-the-secret");

    const unknown = await token(sim, TENANT, {
      grant_type: "client_credentials",
      client_id: "00000000-0000-0000-0000-000000000000",
      client_secret: "x",
      scope: SCOPE,
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json).toMatchObject({ error: "unauthorized_client", error_codes: [700016] });
    const otherTenant = await token(sim, "another-tenant", {
      grant_type: "client_credentials",
      client_id: app.clientId,
      client_secret: app.clientSecret,
      scope: SCOPE,
    });
    expect(otherTenant.json).toMatchObject({ error_codes: [700016] });
    expect(sim.tokenRequests().map((r) => r.errorCode)).toEqual([
      "AADSTS7000215",
      "AADSTS700016",
      "AADSTS700016",
    ]);
  });
});

describe("flows restricted to a tenant's users", () => {
  async function bearer(app: { tenantId: string; clientId: string; clientSecret: string }, scope = SCOPE) {
    const res = await token(sim, app.tenantId, {
      grant_type: "client_credentials",
      client_id: app.clientId,
      client_secret: app.clientSecret,
      scope,
    });
    return `Bearer ${String(res.json.access_token)}`;
  }

  it("issues an unsigned URL and asks for the OAuth scheme without a token", async () => {
    const url = sim.workflowsUrl("secure", { oauth: { tenantId: TENANT } });
    expect(new URL(url).searchParams.has("sig")).toBe(false);
    const res = await post(url, card("a"));
    expect(res.status).toBe(401);
    expect(res.json.error).toMatchObject({
      code: "DirectApiAuthorizationRequired",
      message: "The OAuth authorization scheme is required. Please add authentication scheme and try again.",
    });
  });

  it("accepts a valid token of the flow's tenant and records its claims", async () => {
    const app = sim.registerEntraApp({ tenantId: TENANT });
    const url = sim.workflowsUrl("secure", { oauth: { tenantId: TENANT } });
    const res = await post(url, card("a"), { authorization: await bearer(app) });
    expect(res.status).toBe(202);
    expect(sim.requests(url)[0]).toMatchObject({
      delivered: true,
      bearer: { valid: true, tid: TENANT, oid: app.objectId, aud: FLOW_AUDIENCE },
    });
  });

  it("refuses another tenant, another user, the audience without its trailing slash, and a forged signature", async () => {
    const stranger = sim.registerEntraApp({ tenantId: "another-tenant" });
    const app = sim.registerEntraApp({ tenantId: TENANT });
    const tenantWide = sim.workflowsUrl("tenant", { oauth: { tenantId: TENANT } });
    const onlyOthers = sim.workflowsUrl("users", {
      oauth: { tenantId: TENANT, objectIds: ["someone-else"] },
    });
    const codes = async (url: string, authorization: string) =>
      (await post(url, card("x"), { authorization })).json.error.code as string;

    expect(await codes(tenantWide, await bearer(stranger))).toBe("MisMatchingOAuthClaims");
    expect(await codes(onlyOthers, await bearer(app))).toBe("MisMatchingOAuthClaims");
    expect(await codes(tenantWide, await bearer(app, "https://service.flow.microsoft.com/.default"))).toBe(
      "MisMatchingOAuthClaims",
    );
    const valid = (await bearer(app)).split(".");
    const forged = [valid[0], valid[1], `${valid[2]?.slice(0, -4)}AAAA`].join(".");
    expect(await codes(tenantWide, forged)).toBe("InvalidAuthenticationToken");
    expect(sim.requests(tenantWide).every((r) => !r.delivered && r.answeredStatus === 401)).toBe(true);
  });
});

describe("control API for flows and Entra", () => {
  async function control(method: string, path: string, body?: unknown) {
    const res = await fetch(sim.baseUrl + path, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  it("creates restricted flows, registers apps, turns flows off and counts token requests", async () => {
    const created = await control("POST", "/_sim/webhooks", {
      kind: "workflows",
      cu: 16,
      oauth: { tenantId: TENANT },
    });
    expect(created.status).toBe(201);
    const url = String(created.json.url);
    expect(url).toContain("/powerautomate/automations/direct/cu/16/workflows/");
    const app = await control("POST", "/_sim/entra/apps", { tenantId: TENANT, clientSecret: "s3cret-value" });
    expect(app.status).toBe(201);
    expect(app.json).toMatchObject({ tenantId: TENANT, clientSecret: "s3cret-value" });

    expect((await control("POST", "/_sim/flows", { path: url, state: "off" })).status).toBe(200);
    expect((await post(url, card("x"))).json.error.code).toBe("WorkflowTriggerIsNotEnabled");
    expect((await control("POST", "/_sim/flows", { path: url, state: "sleeping" })).status).toBe(400);

    await token(sim, TENANT, {
      grant_type: "client_credentials",
      client_id: String(app.json.clientId),
      client_secret: "wrong",
      scope: SCOPE,
    });
    const counted = await control("GET", `/_sim/entra/token-requests?clientId=${String(app.json.clientId)}`);
    expect(counted.json).toEqual([expect.objectContaining({ status: 401, errorCode: "AADSTS7000215" })]);
  });
});
