// Power Automate Workflows end to end, through real HTTP to the emulator (issue #12's acceptance):
// today's URLs, honest answers, Power Automate's 4/1 s throttle, turned-off and deleted flows,
// Retry-After, flows restricted to a tenant's users with Entra tokens, moving a connector webhook to
// Workflows, and mentions.
import { FLOW_OFF_SENTENCE } from "@herald/core";
import { POWER_AUTOMATE_WINDOWS, type RecordedRequest } from "@herald/teams-sim";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adaptiveCardProblems } from "../support/adaptive-cards.ts";
import { type Harness, startHarness, type TestTenant } from "../support/harness.ts";
import { eventually } from "../support/wait.ts";

const ENTRA_TENANT = "3f1c2b9a-7d4e-4c1a-9b2f-6e5d4c3b2a10";
const ACCEPTED = "Accepted by Power Automate (HTTP 202); the flow posts it to the channel.";

const logs: string[] = [];
let h: Harness;
let t: TestTenant;

beforeAll(async () => {
  h = await startHarness({
    sim: { workflowsWindows: [...POWER_AUTOMATE_WINDOWS] },
    env: (sim) => ({ HERALD_ENTRA_AUTHORITY: sim.authority }),
    logger: pino({ level: "debug" }, { write: (line: string) => void logs.push(line) }),
  });
  t = await h.tenant({ plan: "unlimited" });
});
afterAll(async () => {
  await h.close();
});

type Card = { body: { type: string; text?: string }[]; msteams?: { entities?: unknown[] } };
const cardOf = (r: RecordedRequest | undefined) =>
  (r?.json as { attachments: { content: Card }[] } | undefined)?.attachments[0]?.content;

async function finished(messageId: string, timeoutMs = 15_000) {
  return eventually(
    async () => {
      const m = await t.activity.getMessage(messageId);
      return m.status === "queued" ? undefined : m;
    },
    timeoutMs,
    `message ${messageId} to finish`,
  );
}

/** At most `limit` arrivals in any window of `periodMs`, judged from the emulator's arrival times. */
/**
 * An Entra app signing in as `app` (with `clientSecret`, its own unless given) and a webhook on `url`
 * that sends with it.
 */
async function webhookWithEntraApp(
  app: { clientId: string; clientSecret: string },
  url: string,
  clientSecret = app.clientSecret,
) {
  const entra = await t.console.createEntraApp(t.instanceId, {
    name: "Herald sender",
    tenantId: ENTRA_TENANT,
    clientId: app.clientId,
    clientSecret,
  });
  const webhook = await t.console.createWebhook(t.instanceId, {
    name: "Restricted",
    url,
    entraAppId: entra.id,
  });
  return { entra, webhook };
}

function mostInAnyWindow(times: number[], periodMs: number): number {
  let most = 0;
  for (let i = 0; i < times.length; i++) {
    const start = times[i] ?? 0;
    most = Math.max(most, times.filter((at) => at >= start && at < start + periodMs).length);
  }
  return most;
}

describe("today's Workflows URLs and honest answers", () => {
  it("recognises a /cu/16 URL as Workflows, posts an Adaptive Card the 1.4 parser accepts and says 'accepted by Power Automate'", async () => {
    const url = h.sim.workflowsUrl("cu16", { cu: 16 });
    expect(url).toContain("/powerautomate/automations/direct/cu/16/workflows/");
    const webhook = await t.console.createWebhook(t.instanceId, { name: "Ops", url });
    expect(webhook.kind).toBe("workflows");

    const answer = await t.activity.sendMessage(webhook.webhookId, "Deploy **finished**");
    expect(answer).toMatchObject({ SentMessage: true, status: "delivered", Message: ACCEPTED });
    expect(answer.Message).not.toMatch(/Delivered to Teams/);
    const [arrived] = h.sim.requests(url);
    expect(arrived?.delivered).toBe(true);
    expect(arrived?.bearer).toBeNull();
    expect(adaptiveCardProblems(cardOf(arrived))).toEqual([]);
    expect(cardOf(arrived)?.body[0]?.text).toBe("Deploy **finished**");

    const usage = await t.console.usage({ instanceId: t.instanceId });
    expect(usage.thisMonth).toMatchObject({ messagesAcceptedByFlow: 1, messagesPostedByConnector: 0 });
    // Health is written when the worker hands the channel back, just after the answer.
    const health = await eventually(async () => {
      const w = await t.console.getWebhook(webhook.webhookId);
      return w.health.lastSuccessAt === null ? undefined : w.health;
    });
    expect(health.consecutiveFailures).toBe(0);
  });
});

describe("Power Automate's 4 requests per second", () => {
  it("sends 40 back-to-back messages with never more than 4 arriving in a second, all accepted within about 12 s", async () => {
    const url = h.sim.workflowsUrl();
    const webhookId = await t.addWebhook(url);
    const sent = await Promise.all(
      Array.from({ length: 40 }, (_, i) => t.activity.sendMessage(webhookId, `burst ${i}`, { wait: 0 })),
    );
    expect(sent.every((s) => s.status === "queued")).toBe(true);
    const arrived = await h.sim.waitForRequests(40, { urlOrPath: url, timeoutMs: 20_000 });
    const times = arrived.map((r) => r.at);
    expect(mostInAnyWindow(times, 1_000)).toBeLessThanOrEqual(4);
    expect(h.sim.violations(url)).toEqual([]);
    expect((times.at(-1) ?? 0) - (times[0] ?? 0)).toBeLessThanOrEqual(12_000);
    const outcomes = await Promise.all(sent.map((s) => finished(s.messageId ?? "")));
    expect(outcomes.map((o) => o.status)).toEqual(Array(40).fill("delivered"));
    expect(arrived.every((r) => r.delivered)).toBe(true);
  });
});

describe("turned-off and deleted flows, and Retry-After", () => {
  it("keeps a message queued while the flow is off, shows the webhook paused, and delivers once the flow is on and the webhook re-activated", async () => {
    const url = h.sim.workflowsUrl();
    const webhookId = await t.addWebhook(url, "Paused flow");
    h.sim.setFlowState(url, "off");
    const answer = await t.activity.sendMessage(webhookId, "while off", { wait: 3 });
    expect(answer.status).toBe("queued");
    expect(answer.Message).toContain(FLOW_OFF_SENTENCE);

    const paused = await t.console.getWebhook(webhookId);
    expect(paused).toMatchObject({ state: "paused", active: true, pausedReason: FLOW_OFF_SENTENCE });
    const log = await t.console.webhookErrors(webhookId);
    expect(log.items[0]).toMatchObject({
      kind: "400 Flow Turned Off",
      classification: "flow_off",
      httpStatus: 400,
    });
    expect(log.items[0]?.teamsText).toContain("WorkflowTriggerIsNotEnabled");

    h.sim.setFlowState(url, "on");
    await t.console.updateWebhook(webhookId, { active: true });
    const done = await finished(answer.messageId ?? "", 10_000);
    expect(done).toMatchObject({ status: "delivered", Message: ACCEPTED });
    expect((await t.console.getWebhook(webhookId)).state).toBe("active");
  });

  it("disables a webhook whose flow was deleted and fails the message saying so", async () => {
    const url = h.sim.workflowsUrl();
    const webhookId = await t.addWebhook(url, "Deleted flow");
    h.sim.setFlowState(url, "deleted");
    const answer = await t.activity.sendMessage(webhookId, "into the void");
    expect(answer).toMatchObject({ SentMessage: false, status: "failed" });
    expect(answer.Message).toMatch(
      /flow behind this webhook was deleted in Power Automate \(HTTP 404 WorkflowNotFound\)/,
    );
    const webhook = await t.console.getWebhook(webhookId);
    expect(webhook).toMatchObject({ state: "disabled", active: false });
    expect(webhook.disabledReason).toMatch(/deleted/);
  });

  it("honours Retry-After: 5 from a 429 before the next attempt, then delivers", async () => {
    const url = h.sim.workflowsUrl();
    const webhookId = await t.addWebhook(url, "Throttled flow");
    h.sim.setBehavior(
      url,
      {
        status: 429,
        body: JSON.stringify({
          error: { code: "TooManyRequests", message: "Rate limit is exceeded. Try again in 5 seconds." },
        }),
        headers: { "content-type": "application/json", "retry-after": "5" },
      },
      { times: 1 },
    );
    const answer = await t.activity.sendMessage(webhookId, "patience", { wait: 1 });
    expect(answer.status).toBe("queued");
    expect(answer.Message).toMatch(/^Power Automate is rate limiting this channel \(HTTP 429\)/);
    const [first, second] = await h.sim.waitForRequests(2, { urlOrPath: url, timeoutMs: 15_000 });
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(5_000);
    expect(second?.delivered).toBe(true);
    expect(await finished(answer.messageId ?? "")).toMatchObject({ status: "delivered" });
  });
});

describe("flows restricted to a tenant's users", () => {
  it("disables the webhook, naming Entra, when the flow wants a token and no Entra app is attached", async () => {
    const url = h.sim.workflowsUrl(undefined, { oauth: { tenantId: ENTRA_TENANT } });
    const webhookId = await t.addWebhook(url, "Restricted, no app");
    const answer = await t.activity.sendMessage(webhookId, "who am I");
    expect(answer.status).toBe("failed");
    expect(answer.Message).toMatch(/Microsoft Entra tenant.*attach an Entra app/);
    const webhook = await t.console.getWebhook(webhookId);
    expect(webhook.state).toBe("disabled");
    expect(webhook.disabledReason).toMatch(/Entra/);
    expect(h.sim.requests(url).every((r) => r.bearer === null)).toBe(true);
  });

  it("delivers 20 messages with valid bearer tokens and at most 2 token requests", async () => {
    const app = h.sim.registerEntraApp({ tenantId: ENTRA_TENANT });
    const url = h.sim.workflowsUrl(undefined, {
      oauth: { tenantId: ENTRA_TENANT, objectIds: [app.objectId] },
    });
    const { webhook } = await webhookWithEntraApp(app, url);
    const sent = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.activity.sendMessage(webhook.webhookId, `secure ${i}`, { wait: 0 }),
      ),
    );
    const outcomes = await Promise.all(sent.map((s) => finished(s.messageId ?? "", 20_000)));
    expect(outcomes.map((o) => o.status)).toEqual(Array(20).fill("delivered"));
    const arrived = h.sim.requests(url);
    expect(arrived).toHaveLength(20);
    expect(
      arrived.every((r) => r.delivered && r.bearer?.valid === true && r.bearer.oid === app.objectId),
    ).toBe(true);
    expect(h.sim.tokenRequests(app.clientId).length).toBeGreaterThanOrEqual(1);
    expect(h.sim.tokenRequests(app.clientId).length).toBeLessThanOrEqual(2);
  });

  it("gets a fresh token once when the flow refuses the cached one, then delivers", async () => {
    const app = h.sim.registerEntraApp({ tenantId: ENTRA_TENANT });
    const url = h.sim.workflowsUrl(undefined, { oauth: { tenantId: ENTRA_TENANT } });
    const { webhook } = await webhookWithEntraApp(app, url);
    expect((await t.activity.sendMessage(webhook.webhookId, "first")).status).toBe("delivered");
    h.sim.setBehavior(
      url,
      {
        status: 401,
        body: JSON.stringify({
          error: { code: "InvalidAuthenticationToken", message: "The access token has expired." },
        }),
        headers: { "content-type": "application/json" },
      },
      { times: 1 },
    );
    const answer = await t.activity.sendMessage(webhook.webhookId, "second");
    expect(answer).toMatchObject({ status: "delivered", Message: ACCEPTED });
    expect(h.sim.requests(url).map((r) => r.answeredStatus)).toEqual([202, 401, 202]);
    expect(h.sim.tokenRequests(app.clientId)).toHaveLength(2);
    expect((await t.console.getWebhook(webhook.webhookId)).state).toBe("active");
  });

  it("logs Entra's AADSTS7000215 for a wrong client secret, and the secret appears nowhere", async () => {
    const app = h.sim.registerEntraApp({ tenantId: ENTRA_TENANT });
    const wrongSecret = `wrong-secret-${Math.random().toString(36).slice(2)}-${Date.now()}`;
    const url = h.sim.workflowsUrl(undefined, { oauth: { tenantId: ENTRA_TENANT } });
    const answers: unknown[] = [];
    const { entra, webhook } = await webhookWithEntraApp(app, url, wrongSecret);
    answers.push(entra, await t.console.listEntraApps(t.instanceId));
    const answer = await t.activity.sendMessage(webhook.webhookId, "will it", { wait: 3 });
    answers.push(webhook, answer);
    expect(answer.status).toBe("queued");
    expect(answer.Message).toContain("AADSTS7000215");

    const log = await t.console.webhookErrors(webhook.webhookId);
    answers.push(log);
    expect(log.items[0]).toMatchObject({ kind: "Entra AADSTS7000215", classification: "entra_refused" });
    expect(log.items[0]?.teamsText).toMatch(/^AADSTS7000215: Invalid client secret provided/);
    expect(h.sim.requests(url)).toHaveLength(0);
    expect(h.sim.tokenRequests(app.clientId).map((r) => r.errorCode)).toEqual(["AADSTS7000215"]);
    answers.push(
      await t.console.getWebhook(webhook.webhookId),
      await t.activity.getMessage(answer.messageId ?? ""),
    );

    const tables = await h.sql<{ name: string }[]>`
      SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`;
    expect(tables.map((r) => r.name)).toContain("entra_apps");
    for (const { name } of tables) {
      const rows = await h.sql.unsafe(`SELECT row_to_json(t)::text AS row FROM "${name}" t`);
      for (const row of rows) expect(String(row.row), `table ${name}`).not.toContain(wrongSecret);
    }
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.join("\n")).not.toContain(wrongSecret);
    expect(JSON.stringify(answers)).not.toContain(wrongSecret);
  });
});

describe("moving a connector webhook to Workflows", () => {
  it("keeps the webhook ID, its history and usage; the next message goes to the Workflows endpoint", async () => {
    const m = await h.tenant({ plan: "unlimited" });
    const legacyUrl = h.sim.legacyUrl();
    const webhook = await m.console.createWebhook(m.instanceId, { name: "Support", url: legacyUrl });
    expect(webhook.warnings.map((w) => w.code)).toEqual(["connector_retired"]);
    const before = await m.activity.sendMessage(webhook.webhookId, "via the connector");
    expect(before).toMatchObject({ status: "delivered", Message: "Delivered to Teams." });

    const flowUrl = h.sim.workflowsUrl(undefined, { cu: 16 });
    const moved = await m.console.updateWebhook(webhook.webhookId, { url: flowUrl });
    expect(moved).toMatchObject({ webhookId: webhook.webhookId, kind: "workflows", warnings: [] });

    const after = await m.activity.sendMessage(webhook.webhookId, "via the flow");
    expect(after).toMatchObject({ status: "delivered", Message: ACCEPTED });
    expect(h.sim.requests(flowUrl).map((r) => r.text)).toEqual(["via the flow"]);
    expect(h.sim.requests(legacyUrl).map((r) => r.text)).toEqual(["via the connector"]);

    expect(await m.activity.getMessage(before.messageId ?? "")).toMatchObject({ status: "delivered" });
    const usage = await m.console.usage();
    expect(usage.total).toMatchObject({
      messagesSent: 2,
      messagesAcceptedByFlow: 1,
      messagesPostedByConnector: 1,
    });
    const log = await m.console.webhookErrors(webhook.webhookId);
    expect(log.items.map((i) => i.kind)).toContain("Moved to Workflows");
  });
});

describe("a retired connector", () => {
  it("disables a legacy webhook Teams calls gone, saying connectors were retired and how to move", async () => {
    const url = h.sim.legacyUrl();
    const webhookId = await t.addWebhook(url, "Retired connector");
    h.sim.setBehavior(url, "gone");
    expect((await t.activity.sendMessage(webhookId, "anyone there")).status).toBe("failed");
    const webhook = await t.console.getWebhook(webhookId);
    expect(webhook.state).toBe("disabled");
    expect(webhook.disabledReason).toMatch(
      /Microsoft retired Office 365 connectors in 2026.*Move to Workflows/,
    );
  });
});

describe("mentions", () => {
  it("arrives as a valid msteams.entities mention, with <at>name</at> added to the text", async () => {
    const url = h.sim.workflowsUrl();
    const webhookId = await t.addWebhook(url, "Mentions");
    const answer = await t.activity.sendMessage(webhookId, "Build failed", {
      mentions: [{ id: "ada@contoso.com", name: "Ada Lovelace" }],
    });
    expect(answer.status).toBe("delivered");
    const card = cardOf(h.sim.requests(url)[0]);
    expect(card?.body[0]?.text).toBe("Build failed <at>Ada Lovelace</at>");
    expect(card?.msteams?.entities).toEqual([
      {
        type: "mention",
        text: "<at>Ada Lovelace</at>",
        mentioned: { id: "ada@contoso.com", name: "Ada Lovelace" },
      },
    ]);
    expect(adaptiveCardProblems(card)).toEqual([]);
  });

  it("sends names as plain text to a legacy connector and says so", async () => {
    const url = h.sim.legacyUrl();
    const webhookId = await t.addWebhook(url, "Legacy mentions");
    const answer = await t.activity.sendMessage(webhookId, "<at>Ada Lovelace</at> please look", {
      mentions: [{ id: "ada@contoso.com", name: "Ada Lovelace" }],
    });
    expect(answer.Message).toMatch(/cannot mention people: the names were sent as plain text/);
    expect(h.sim.requests(url)[0]?.text).toBe("Ada Lovelace please look");
  });
});
