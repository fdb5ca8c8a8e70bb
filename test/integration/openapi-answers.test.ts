// Every route in /openapi.json, called for real on its happy path and on an error path; each answer
// must have a status the operation declares and a body its schema accepts. A route added to the
// document without a call here fails the coverage check at the end.

import type { AddressInfo } from "node:net";
import { createPasswordReset } from "@herald/api";
import { Herald } from "@herald/sdk";
import { type StripeSim, startStripeSim } from "@herald/stripe-sim";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, botEnv, type Harness, startHarness } from "../support/harness.ts";
import { OpenApiAnswers } from "../support/openapi-answers.ts";

let h: Harness;
let stripe: StripeSim;
let herald: ReturnType<typeof serve>;
let answers: OpenApiAnswers;
const fetchChecked = async (request: Request) => {
  const probe = new Request(request.url, { method: request.method });
  return answers.check(probe, await h.runtime.app.fetch(request));
};
const client = (o: { token?: string; licenseKey?: string; licenseSecret?: string } = {}) =>
  new Herald({ baseUrl: "http://herald.test", fetch: fetchChecked, retries: 0, ...o });
const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  fetchChecked(
    new Request(`http://herald.test${path}`, {
      method,
      headers: { "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

beforeAll(async () => {
  stripe = await startStripeSim();
  h = await startHarness({
    env: (sim) => ({
      STRIPE_SECRET_KEY: stripe.secretKey,
      STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
      STRIPE_API_BASE: stripe.url,
      ...botEnv(sim),
    }),
  });
  // The emulated Teams posts the bot's activities over HTTP: those answers are checked too.
  herald = serve({ fetch: fetchChecked, port: 0, hostname: "127.0.0.1" });
  await new Promise((resolve) => herald.once("listening", resolve));
  h.sim.bot.setMessagingEndpoint(`http://127.0.0.1:${(herald.address() as AddressInfo).port}/bot/messages`);
  const doc = (await (
    await h.runtime.app.fetch(new Request("http://herald.test/openapi.json"))
  ).json()) as Record<string, unknown>;
  answers = new OpenApiAnswers(doc);
});
afterAll(async () => {
  await new Promise((resolve) => herald.close(resolve));
  await h.close();
  await stripe.close();
});

/** Password change, reset and sign-out everywhere; answers a client signed in afresh afterwards. */
async function passwordRoutes(email: string, password: string, session: Record<string, string>) {
  const newPassword = "a different long passphrase";
  await call("POST", "/v1/auth/password", { currentPassword: password, newPassword }, session);
  await call("POST", "/v1/auth/password", { currentPassword: newPassword, newPassword: "short" }, session); // 400
  const reset = await createPasswordReset(h.runtime.ctx, { email, baseUrl: "http://herald.test" });
  const resetToken = new URL(reset?.link ?? "http://x/").searchParams.get("token") ?? "";
  await call("POST", "/v1/auth/reset-password", { token: "not-a-token", newPassword }); // 400
  await call("POST", "/v1/auth/reset-password", { token: resetToken, newPassword: password });
  const anon = client();
  const again = (await anon.login({ email, password })).token;
  await call("POST", "/v1/auth/logout-everywhere"); // 401
  await call("POST", "/v1/auth/logout-everywhere", undefined, { authorization: `Bearer ${again}` });
  return client({ token: (await anon.login({ email, password })).token });
}

describe("answers match /openapi.json", () => {
  it("for every operation, on its happy path and an error path", async () => {
    const email = `oa-${Date.now()}@example.com`;
    const password = "correct horse battery";
    const anon = client();
    const signed = await anon.signup({ email, password, organization: "OpenAPI Ltd" });
    await call("POST", "/v1/auth/signup", { email, password, organization: "Again" }); // 409
    await call("POST", "/v1/auth/signup", { email: "not-an-email" }); // 400
    await call("POST", "/v1/auth/login", { email, password });
    await call("POST", "/v1/auth/login", { email, password: "wrong password!" }); // 401
    await call("POST", "/v1/auth/login", { email: 5 }); // 400
    await call("POST", "/v1/auth/logout");

    // The trial plan throttles a key to a few requests a second; the walk calls faster than that.
    await call("PUT", `/admin/v1/tenants/${signed.tenantId}/plan`, { plan: "unlimited" }, admin);
    const session = { authorization: `Bearer ${signed.token}` };
    const console = client({ token: signed.token });
    await call("GET", "/v1/instances"); // 401
    await console.listInstances();
    const second = await console.createInstance("Second");
    await call("POST", "/v1/instances", { name: "" }, session); // 400
    await console.renameInstance(second.id, "Renamed");
    await call("PATCH", "/v1/instances/ins_unknown", { name: "x" }, session); // 404

    const key = await console.createBindingKey(signed.instanceId, "OpenAPI app");
    await call("POST", "/v1/instances/ins_unknown/binding-keys", { name: "x" }, session); // 404
    await console.listBindingKeys(signed.instanceId);
    await call("GET", "/v1/instances/ins_unknown/binding-keys", undefined, session); // 404
    const spare = await console.createBindingKey(signed.instanceId, "spare");
    await console.revokeBindingKey(signed.instanceId, spare.id);
    await call("DELETE", `/v1/instances/${signed.instanceId}/binding-keys/bk_unknown`, undefined, session); // 404

    const webhook = await console.createWebhook(signed.instanceId, {
      name: "Alerts",
      url: h.sim.legacyUrl(),
    });
    await call("POST", `/v1/instances/${signed.instanceId}/webhooks`, { name: "x", url: "ftp://x" }, session); // 400
    await console.listWebhooks(signed.instanceId);
    await call("GET", "/v1/instances/ins_unknown/webhooks", undefined, session); // 404
    await console.getWebhook(webhook.webhookId);
    await call("GET", "/v1/webhooks/wh_unknown", undefined, session); // 404
    await console.updateWebhook(webhook.webhookId, { description: "OpenAPI" });
    await call("PATCH", `/v1/webhooks/${webhook.webhookId}`, { unknown: 1 }, session); // 400
    await console.testWebhook(webhook.webhookId);
    await call("POST", "/v1/webhooks/wh_unknown/test", {}, session); // 404
    await console.webhookErrors(webhook.webhookId);
    await call("GET", "/v1/webhooks/wh_unknown/errors", undefined, session); // 404
    await console.instanceErrors(signed.instanceId);
    await call("GET", "/v1/instances/ins_unknown/errors", undefined, session); // 404

    const entra = await console.createEntraApp(signed.instanceId, {
      name: "Flows",
      tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
      clientId: "11111111-2222-3333-4444-555555555555",
      clientSecret: "not-a-real-secret",
    });
    await call("POST", `/v1/instances/${signed.instanceId}/entra-apps`, { name: "x" }, session); // 400
    await console.listEntraApps(signed.instanceId);
    await call("GET", "/v1/instances/ins_unknown/entra-apps", undefined, session); // 404
    await console.deleteEntraApp(entra.id);
    await call("DELETE", "/v1/entra-apps/ea_unknown", undefined, session); // 404

    const activity = client({ licenseKey: key.licenseKey, licenseSecret: key.licenseSecret });
    const licence = { "x-license-key": key.licenseKey, "x-license-secret": key.licenseSecret };
    const sent = await activity.sendMessage(webhook.webhookId, "Checked against the document");
    const queued = await activity.sendMessage(webhook.webhookId, "Queued only", { wait: 0 });
    await call("POST", "/v1/messages", { webhookId: webhook.webhookId }, licence); // 400
    await call("POST", "/v1/messages", { webhookId: webhook.webhookId, textMessage: "x" }); // 401
    await call("POST", "/v1/messages", { webhookId: "wh_unknown", textMessage: "x" }, licence); // 404
    await activity.getMessage(sent.messageId ?? "");
    await activity.getMessage(queued.messageId ?? "");
    await call("GET", "/v1/messages/msg_unknown", undefined, licence); // 404
    await console.instanceMessage(signed.instanceId, sent.messageId ?? "");
    await call("GET", `/v1/instances/${signed.instanceId}/messages/msg_unknown`, undefined, session); // 404
    await activity.validateLicense();
    await call("POST", "/v1/licenses/validate", { licenseKey: key.licenseKey, licenseSecret: "wrong" }); // 401
    await call("POST", "/v1/licenses/validate", "{not json"); // 400

    // The Teams bot: install, link a team, a bot webhook, a post, an update and a delete.
    const team = h.sim.bot.createTeam({ name: "OpenAPI team", channels: ["Alerts"] });
    await h.sim.bot.install(team.id);
    await call("POST", "/bot/messages", { type: "message", text: "forged" }); // 401
    const link = await console.createTeamLink(signed.instanceId);
    await call("POST", "/v1/instances/ins_unknown/teams-links", {}, session); // 404
    await h.sim.bot.postAsUser(team.id, { text: `link ${link.code}` });
    await console.listTeams(signed.instanceId);
    await call("GET", "/v1/instances/ins_unknown/teams", undefined, session); // 404
    const botHook = await console.createWebhook(signed.instanceId, {
      name: "Bot channel",
      teamsChannel: { teamId: team.id, channelId: team.channels[1]?.id ?? "" },
    });
    const posted = await activity.sendMessage(botHook.webhookId, "Posted by the bot", { wait: 10 });
    await activity.updateMessage(posted.messageId ?? "", { textMessage: "Updated" }, { wait: 10 });
    await call("PATCH", `/v1/messages/${sent.messageId}`, { textMessage: "x" }, licence); // 409: a webhook message
    await activity.deleteMessage(posted.messageId ?? "", { wait: 10 });
    await call("DELETE", "/v1/messages/msg_unknown", undefined, licence); // 404

    await console.usage({ series: "daily" });
    await call("GET", "/v1/usage?instanceId=ins_unknown", undefined, session); // 404

    await call("GET", "/admin/v1/plans", undefined, admin);
    await call("GET", "/admin/v1/plans"); // 401
    await call(
      "PUT",
      "/admin/v1/plans/openapi-plan",
      { displayName: "OpenAPI plan", webhookLimit: 3 },
      admin,
    );
    await call("PUT", "/admin/v1/plans/Not%20A%20Name", { displayName: "x" }, admin); // 400
    await call("GET", "/admin/v1/tenants", undefined, admin);
    await call("GET", "/admin/v1/tenants"); // 401
    await call("PUT", `/admin/v1/tenants/${signed.tenantId}/plan`, { plan: "unlimited" }, admin);
    await call("PUT", `/admin/v1/tenants/${signed.tenantId}/plan`, { plan: "no-such-plan" }, admin); // 404

    await console.billing();
    await call("GET", "/v1/billing"); // 401
    await call(
      "PUT",
      "/admin/v1/plans/openapi-paid",
      { displayName: "Paid", stripePriceId: "price_openapi" },
      admin,
    );
    const buyer = client({
      token: (await anon.signup({ email: `b-${email}`, password, organization: "Buyer" })).token,
    });
    await call("POST", "/v1/billing/portal"); // 401
    const { sessionId } = await buyer.startCheckout("openapi-paid");
    await call("POST", "/v1/billing/checkout", { plan: "" }, session); // 400
    for (const event of stripe.completeCheckout(sessionId)) {
      const { payload, signature } = stripe.sign(event);
      await call("POST", "/webhooks/stripe", payload, { "stripe-signature": signature });
    }
    await call("POST", "/webhooks/stripe", "{}", { "stripe-signature": "t=1,v1=00" }); // 400: bad signature
    await buyer.openBillingPortal();

    const fresh = await passwordRoutes(email, password, session);
    await fresh.deleteWebhook(webhook.webhookId);
    await call("DELETE", "/v1/webhooks/wh_unknown", undefined, {
      authorization: `Bearer ${fresh.sessionToken}`,
    }); // 404

    expect(answers.violations).toEqual([]);
    const answered = new Map<string, Set<string>>();
    for (const a of answers.answered) {
      const kinds = answered.get(a.operation) ?? new Set<string>();
      kinds.add(a.status < 300 ? "success" : "error");
      answered.set(a.operation, kinds);
    }
    const uncovered = answers.operations().flatMap((operation) => {
      const kinds = answered.get(operation);
      const missing: string[] = [];
      if (!kinds?.has("success")) missing.push(`${operation}: no success`);
      if (answers.declaresErrors(operation) && !kinds?.has("error")) missing.push(`${operation}: no error`);
      return missing;
    });
    expect(uncovered, "operations without a checked answer").toEqual([]);
  });
});
