// Herald's Teams bot against the emulator over real HTTP: install, link, bot webhooks, posts with
// Teams' ids, replies in the thread, updates, deletes, refused forgeries, the per-thread windows,
// uninstall, and the app secret kept out of the database, the logs and the answers.
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { BOT_THREAD_POLICY, formatRatePolicy } from "@herald/core";
import { reserveTenantSend, settleTenantSend } from "@herald/db";
import type { SimTeam } from "@herald/teams-sim";
import { serve } from "@hono/node-server";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { botEnv, type Harness, startHarness, type TestTenant } from "../support/harness.ts";
import { eventually } from "../support/wait.ts";

// Microsoft's per-thread windows, five times shorter in Herald and the emulator alike, so that the
// 100-message burst below crosses the 60/30 s window in 6 s rather than 30 (the limits, and so
// everything the tests judge, are Microsoft's).
const THREAD_WINDOWS = BOT_THREAD_POLICY.map((w) => ({ limit: w.limit, periodMs: w.periodMs / 5 }));

let h: Harness;
let herald: ReturnType<typeof serve>;
const logLines: string[] = [];

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  h = await startHarness({
    logger: pino({ level: "debug" }, sink),
    env: (sim) => ({
      ...botEnv(sim),
      HERALD_LOG_LEVEL: "debug",
      HERALD_BOT_RATE: formatRatePolicy(THREAD_WINDOWS),
      // The guard absorbs clock granularity; scaled with the windows it keeps the same share of them.
      HERALD_RATE_GUARD_MS: "10",
    }),
    sim: { bot: { threadWindows: THREAD_WINDOWS } },
  });
  herald = serve({ fetch: h.runtime.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((resolve) => herald.once("listening", resolve));
  h.sim.bot.setMessagingEndpoint(`http://127.0.0.1:${(herald.address() as AddressInfo).port}/bot/messages`);
});

afterAll(async () => {
  await new Promise((resolve) => herald.close(resolve));
  await h.close();
});

async function botTeamRows(teamId: string): Promise<number> {
  const [row] = await h.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM bot_teams WHERE id = ${teamId}`;
  return row?.n ?? 0;
}

/** A tenant with a team installed and linked to its instance; answers the team and its Alerts channel. */
async function linkedTeam(t: TestTenant, name = "Ops"): Promise<{ team: SimTeam; alerts: string }> {
  const team = h.sim.bot.createTeam({ name, channels: ["Alerts"] });
  const installs = await h.sim.bot.install(team.id);
  expect(installs.map((d) => d.status)).toEqual([200, 200]);
  const link = await t.console.createTeamLink(t.instanceId);
  const posted = await h.sim.bot.postAsUser(team.id, { text: `link ${link.code}` });
  expect(posted.status).toBe(200);
  return { team, alerts: team.channels[1]?.id ?? "" };
}

async function botWebhook(
  t: TestTenant,
  team: SimTeam,
  channelId: string,
  name = "Alerts bot",
): Promise<string> {
  const webhook = await t.console.createWebhook(t.instanceId, {
    name,
    teamsChannel: { teamId: team.id, channelId },
  });
  expect(webhook).toMatchObject({ kind: "bot", teamsChannel: { teamId: team.id, channelId }, active: true });
  return webhook.webhookId;
}

describe("install, link, post, reply, update, delete", () => {
  it("posts a confirmed thread, replies in it, updates and deletes it", async () => {
    const t = await h.tenant({ plan: "unlimited" });
    const { team, alerts } = await linkedTeam(t);

    // The link is answered in the user's thread.
    const thread = h.sim.bot.messages(team.id);
    expect(thread.map((m) => m.from)).toEqual(["user", "bot"]);
    expect(thread[1]?.text).toContain('Linked this team (Ops) to the Herald instance "Developer Instance"');

    const teams = await t.console.listTeams(t.instanceId);
    expect(teams).toMatchObject([
      {
        teamId: team.id,
        name: "Ops",
        installed: true,
        channels: [
          { channelId: team.id, name: "General" },
          { channelId: alerts, name: "Alerts" },
        ],
      },
    ]);

    const webhookId = await botWebhook(t, team, alerts);
    const root = await t.activity.sendMessage(webhookId, "Disk full on db-1", { wait: 10 });
    expect(root).toMatchObject({ httpStatus: 200, SentMessage: true, status: "delivered" });
    expect(root.teamsMessageId).toMatch(/^\d+$/);
    const posted = h.sim.bot.messages(alerts);
    expect(posted).toMatchObject([
      { id: root.teamsMessageId, rootId: root.teamsMessageId, text: "Disk full on db-1" },
    ]);
    expect(posted[0]?.split).toBe(false);

    const reply = await t.activity.sendMessage(webhookId, "Resolved", {
      wait: 10,
      replyTo: root.messageId ?? "",
    });
    expect(reply).toMatchObject({ SentMessage: true, status: "delivered" });
    expect(h.sim.bot.thread(alerts, root.teamsMessageId ?? "").map((m) => m.text)).toEqual([
      "Disk full on db-1",
      "Resolved",
    ]);

    const updated = await t.activity.updateMessage(
      root.messageId ?? "",
      { textMessage: "Disk full on db-1 (fixed)" },
      { wait: 10 },
    );
    expect(updated).toMatchObject({
      SentMessage: true,
      status: "delivered",
      teamsMessageId: root.teamsMessageId,
    });
    const puts = h.sim.bot.requests({ route: "update", channelId: alerts });
    expect(puts).toMatchObject([{ method: "PUT", activityId: root.teamsMessageId, status: 200 }]);
    expect(h.sim.bot.messages(alerts)[0]).toMatchObject({ text: "Disk full on db-1 (fixed)", updates: 1 });

    const deleted = await t.activity.deleteMessage(reply.messageId ?? "", { wait: 10 });
    expect(deleted).toMatchObject({ SentMessage: true, status: "delivered" });
    expect(h.sim.bot.requests({ route: "delete", channelId: alerts })).toMatchObject([
      { method: "DELETE", status: 200 },
    ]);
    expect(h.sim.bot.messages(alerts)[1]?.deleted).toBe(true);

    // A card goes as an attachment only: text and attachment never share an activity.
    const card = await t.activity.sendMessage(webhookId, "with a card", {
      wait: 10,
      card: { type: "AdaptiveCard", version: "1.4", body: [{ type: "TextBlock", text: "details" }] },
    });
    expect(card).toMatchObject({ SentMessage: true });
    const last = h.sim.bot.messages(alerts).at(-1);
    expect(last).toMatchObject({ text: null, split: false });
    expect(JSON.stringify(last?.attachments)).toContain("with a card");
  });

  it("answers 409 not_supported for replies and edits on webhook kinds", async () => {
    const t = await h.tenant({ plan: "unlimited" });
    const webhookId = await t.addWebhook(h.sim.workflowsUrl());
    const sent = await t.activity.sendMessage(webhookId, "hello", { wait: 10 });
    expect(sent.SentMessage).toBe(true);
    const edit = await t.activity.updateMessage(sent.messageId ?? "", { textMessage: "changed" });
    expect(edit).toMatchObject({ httpStatus: 409, status: "rejected", error: { code: "not_supported" } });
    expect(edit.Message).toMatch(/webhooks cannot edit a posted message/);
    const del = await t.activity.deleteMessage(sent.messageId ?? "");
    expect(del).toMatchObject({ httpStatus: 409, error: { code: "not_supported" } });
    const reply = await t.activity.sendMessage(webhookId, "again", { replyTo: sent.messageId ?? "" });
    expect(reply).toMatchObject({ httpStatus: 409, error: { code: "not_supported" } });
  });
});

describe("console", () => {
  it("connects a team with a code, lists it and adds a channel as a bot channel", async () => {
    const t = await h.tenant({ plan: "unlimited" });
    const { token } = await h.client().json<{ token: string }>("POST", "/v1/auth/login", {
      email: t.email,
      password: t.password,
    });
    const page = (path: string, init: RequestInit = {}) =>
      h.runtime.app.fetch(
        new Request(`http://herald.test${path}`, {
          ...init,
          headers: { cookie: `herald_session=${token}`, ...(init.headers ?? {}) },
          redirect: "manual",
        }),
      );
    const base = `/console/i/${t.instanceId}/teams-bot`;
    const before = await (await page(base)).text();
    expect(before).toContain("Connect a Microsoft Teams team");
    const csrf = /name="_csrf" value="([^"]+)"/.exec(before)?.[1] ?? "";
    const form = (fields: Record<string, string>) => ({
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://herald.test" },
      body: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
    });
    const shown = await (await page(`${base}/link`, form({}))).text();
    const command = /@Herald link ([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(shown)?.[1];
    expect(command).toBeDefined();
    const team = h.sim.bot.createTeam({ name: "Console team", channels: ["Incidents"] });
    await h.sim.bot.install(team.id);
    await h.sim.bot.postAsUser(team.id, { text: `link ${command}` });
    const listed = await (await page(base)).text();
    expect(listed).toContain("Console team");
    expect(listed).toContain("Incidents");
    const incidents = team.channels[1]?.id ?? "";
    const added = await page(
      `${base}/channels`,
      form({ teamId: team.id, channelId: incidents, name: "Incidents" }),
    );
    expect(added.status).toBe(303);
    const webhooks = await t.console.listWebhooks(t.instanceId);
    expect(webhooks.items).toMatchObject([
      { kind: "bot", teamsChannel: { teamId: team.id, channelId: incidents } },
    ]);
  });
});

describe("inbound activities", () => {
  it("refuses forged activities with 401/403 and records nothing", async () => {
    const t = await h.tenant({ plan: "unlimited" });
    const team = h.sim.bot.createTeam({ name: "Forged" });
    const cases = [
      ["bad_signature", 401],
      ["unknown_key", 401],
      ["wrong_audience", 401],
      ["wrong_issuer", 401],
      ["expired", 401],
      ["no_token", 401],
      ["service_url_mismatch", 403],
    ] as const;
    for (const [forge, status] of cases) {
      const deliveries = await h.sim.bot.install(team.id, { forge });
      expect(
        deliveries.map((d) => d.status),
        forge,
      ).toEqual([status, status]);
    }
    // Signed honestly, but for a serviceUrl whose host is not on HERALD_BOT_SERVICE_URLS.
    const elsewhere = await h.sim.bot.install(team.id, { serviceUrl: "https://smba.evil.example/amer/" });
    expect(elsewhere.map((d) => d.status)).toEqual([403, 403]);
    expect(await botTeamRows(team.id)).toBe(0);

    // An oversized activity is refused before it is read, let alone verified.
    const huge = await h.sim.bot.sendActivity({
      type: "message",
      text: "x".repeat(300_000),
      channelId: "msteams",
    });
    expect(huge.status).toBe(413);

    // A forged link command with a valid code links nothing and leaves the code unused.
    const link = await t.console.createTeamLink(t.instanceId);
    const forged = await h.sim.bot.postAsUser(team.id, { text: `link ${link.code}`, forge: "bad_signature" });
    expect(forged.status).toBe(401);
    expect(await t.console.listTeams(t.instanceId)).toEqual([]);
    expect(await botTeamRows(team.id)).toBe(0);
    await h.sim.bot.install(team.id);
    expect((await h.sim.bot.postAsUser(team.id, { text: `link ${link.code}` })).status).toBe(200);
    expect((await t.console.listTeams(t.instanceId)).map((x) => x.teamId)).toEqual([team.id]);
  });

  it("links nothing with a wrong, reused or someone else's code", async () => {
    const a = await h.tenant({ plan: "unlimited" });
    const b = await h.tenant({ plan: "unlimited" });
    const team = h.sim.bot.createTeam({ name: "Shared" });
    await h.sim.bot.install(team.id);

    await h.sim.bot.postAsUser(team.id, { text: "link ZZZZ-ZZZZ" });
    expect(h.sim.bot.messages(team.id).at(-1)?.text).toMatch(/not one Herald issued/);
    expect(await a.console.listTeams(a.instanceId)).toEqual([]);

    const codeB = await b.console.createTeamLink(b.instanceId);
    await h.sim.bot.postAsUser(team.id, { text: `link ${codeB.code}` });
    // B's code links B's instance, never A's.
    expect((await b.console.listTeams(b.instanceId)).map((x) => x.teamId)).toEqual([team.id]);
    expect(await a.console.listTeams(a.instanceId)).toEqual([]);

    const other = h.sim.bot.createTeam({ name: "Other" });
    await h.sim.bot.install(other.id);
    await h.sim.bot.postAsUser(other.id, { text: `link ${codeB.code}` });
    expect(h.sim.bot.messages(other.id).at(-1)?.text).toMatch(/already used/);
    expect((await b.console.listTeams(b.instanceId)).map((x) => x.teamId)).toEqual([team.id]);

    // A's instance cannot take a channel of a team linked only to B.
    const res = await a.console.raw("POST", `/v1/instances/${a.instanceId}/webhooks`, {
      name: "steal",
      teamsChannel: { teamId: team.id, channelId: team.id },
    });
    expect(res.status).toBe(400);
  });
});

describe("rate windows, uninstall, secrets", () => {
  it("delivers 100 messages to one bot channel in order, none lost, no window broken", async () => {
    const t = await h.tenant({ plan: "unlimited" });
    const { team, alerts } = await linkedTeam(t, "Load");
    const webhookId = await botWebhook(t, team, alerts);
    const sent: Awaited<ReturnType<TestTenant["activity"]["sendMessage"]>>[] = [];
    for (let i = 0; i < 100; i++) {
      sent.push(
        await t.activity.sendMessage(webhookId, `message ${i}`, { wait: 0, idempotencyKey: `load-${i}` }),
      );
    }
    expect(sent.every((s) => s.httpStatus === 202)).toBe(true);
    await eventually(
      () => (h.sim.bot.messages(alerts).length >= 100 ? true : undefined),
      90_000,
      "100 posts",
    );
    const texts = h.sim.bot.messages(alerts).map((m) => m.text);
    expect(texts).toEqual(Array.from({ length: 100 }, (_, i) => `message ${i}`));
    expect(h.sim.bot.violations().filter((v) => v.key === alerts || v.key === team.tenantId)).toEqual([]);
    expect(h.sim.bot.requests({ channelId: alerts }).filter((r) => r.status === 429)).toEqual([]);
    // The emulator has the 100th post before Herald has recorded Teams' answer to it.
    await eventually(
      async () => {
        const states = await Promise.all(sent.map((s) => t.activity.getMessage(s.messageId ?? "")));
        return states.every((s) => s.status === "delivered" && typeof s.teamsMessageId === "string")
          ? true
          : undefined;
      },
      10_000,
      "every message recorded delivered with its Teams message id",
    );
  }, 120_000);

  it("counts a tenant slot whose request is still on its way to Teams, however long it was held", async () => {
    const teamsTenantId = crypto.randomUUID();
    const window = { teamsTenantId, limit: 2, periodMs: 100, inFlightMs: 60_000 };
    const held = await reserveTenantSend(h.sql, window);
    expect(held.admitted).toBe(true);
    // Held past the window between its reservation and Teams' door (a busy event loop, a slow token).
    await new Promise((resolve) => setTimeout(resolve, 250));
    const second = await reserveTenantSend(h.sql, window);
    expect(second.admitted).toBe(true);
    const third = await reserveTenantSend(h.sql, window);
    expect(third).toMatchObject({ admitted: false });
    // Teams answered both: each counts from its answer for one period, then frees its place.
    for (const slot of [held, second]) {
      if (slot.admitted) await settleTenantSend(h.sql, { teamsTenantId, slot: slot.slot });
    }
    expect(await reserveTenantSend(h.sql, window)).toMatchObject({ admitted: false });
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await reserveTenantSend(h.sql, window)).toMatchObject({ admitted: true });
  });

  it("keeps 50 requests a second per Teams organization across its channels", async () => {
    const t = await h.tenant({ plan: "unlimited" });
    const names = Array.from({ length: 16 }, (_, i) => `c${i}`);
    const team = h.sim.bot.createTeam({ name: "Wide", channels: names });
    await h.sim.bot.install(team.id);
    const link = await t.console.createTeamLink(t.instanceId);
    await h.sim.bot.postAsUser(team.id, { text: `link ${link.code}` });
    const channels = team.channels.slice(1);
    const webhooks = [];
    for (const channel of channels) webhooks.push(await botWebhook(t, team, channel.id, channel.name ?? ""));
    // 16 channels x 7 posts: each channel may send its 7 within a second, the organization only 50.
    await Promise.all(
      webhooks.flatMap((webhookId, c) =>
        Array.from({ length: 7 }, (_, i) => t.activity.sendMessage(webhookId, `c${c} #${i}`, { wait: 0 })),
      ),
    );
    const posted = () => channels.reduce((n, ch) => n + h.sim.bot.messages(ch.id).length, 0);
    await eventually(() => (posted() >= 112 ? true : undefined), 60_000, "112 posts");
    expect(h.sim.bot.violations().filter((v) => v.key === team.tenantId)).toEqual([]);
    const times = channels
      .flatMap((ch) => h.sim.bot.requests({ channelId: ch.id }).map((r) => r.at))
      .sort((a, b) => a - b);
    const busiest = Math.max(...times.map((at) => times.filter((x) => x >= at && x - at < 1000).length));
    expect(busiest).toBeLessThanOrEqual(50);
    expect(busiest).toBeGreaterThan(7);
  }, 90_000);

  it("disables the team's bot webhooks on uninstall, with the reason, and re-linking restores them", async () => {
    const t = await h.tenant({ plan: "unlimited" });
    const { team, alerts } = await linkedTeam(t, "Leaving");
    const webhookId = await botWebhook(t, team, alerts);
    const general = await botWebhook(t, team, team.id, "General bot");
    await h.sim.bot.uninstall(team.id);
    for (const id of [webhookId, general]) {
      const w = await t.console.getWebhook(id);
      expect(w).toMatchObject({ active: false, state: "disabled" });
      expect(w.disabledReason).toMatch(/Herald's app was removed from the team Leaving/);
    }
    const refused = await t.activity.sendMessage(webhookId, "after uninstall");
    expect(refused).toMatchObject({ httpStatus: 409, error: { code: "webhook_inactive" } });

    await h.sim.bot.install(team.id);
    const link = await t.console.createTeamLink(t.instanceId);
    await h.sim.bot.postAsUser(team.id, { text: `link ${link.code}` });
    expect(h.sim.bot.messages(team.id).at(-1)?.text).toMatch(/2 bot channel\(s\) of this team work again/);
    expect((await t.console.getWebhook(webhookId)).active).toBe(true);
    const back = await t.activity.sendMessage(webhookId, "back again", { wait: 10 });
    expect(back).toMatchObject({ SentMessage: true });
  });

  it("disables the team's channels when Teams answers a roster error", async () => {
    const t = await h.tenant({ plan: "unlimited" });
    const { team, alerts } = await linkedTeam(t, "Roster");
    const webhookId = await botWebhook(t, team, alerts);
    h.sim.bot.failNext(alerts, { status: 403, code: "BotNotInConversationRoster", message: "not in roster" });
    const sent = await t.activity.sendMessage(webhookId, "lost", { wait: 10 });
    expect(sent).toMatchObject({ SentMessage: false, status: "failed" });
    expect(sent.Message).toMatch(/no longer a member of this team/);
    const w = await t.console.getWebhook(webhookId);
    expect(w.active).toBe(false);
    expect(w.disabledReason).toMatch(/BotNotInConversationRoster/);
  });

  it("keeps the bot's app secret out of the database, the logs and the answers", async () => {
    const secret = h.sim.bot.appSecret;
    const tables = await h.sql<{ name: string }[]>`
      SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`;
    expect(tables.length).toBeGreaterThan(10);
    for (const { name } of tables) {
      const rows = await h.sql.unsafe(`SELECT row_to_json(t)::text AS j FROM "${name}" t`);
      for (const row of rows) expect(String(row.j), name).not.toContain(secret);
    }
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join("")).not.toContain(secret);
    const t = await h.tenant({ plan: "unlimited" });
    for (const path of [
      "/openapi.json",
      `/v1/instances/${t.instanceId}/teams`,
      `/v1/instances/${t.instanceId}/webhooks`,
    ]) {
      const res = await t.console.raw("GET", path);
      expect(await res.text()).not.toContain(secret);
    }
  });
});

describe("bot webhooks keep Teams' bot limits", () => {
  it("refuses a ratePolicy on a bot webhook, on create and on edit", async () => {
    const t = await h.tenant({ plan: "unlimited" });
    const { team, alerts } = await linkedTeam(t, "Limits");
    await expect(
      t.console.createWebhook(t.instanceId, {
        name: "Loose",
        teamsChannel: { teamId: team.id, channelId: alerts },
        ratePolicy: "100/1s",
      }),
    ).rejects.toMatchObject({ status: 400, code: "invalid_request" });
    const webhookId = await botWebhook(t, team, alerts);
    await expect(t.console.updateWebhook(webhookId, { ratePolicy: "100/1s" })).rejects.toMatchObject({
      status: 400,
      code: "invalid_request",
    });
    expect((await t.console.getWebhook(webhookId)).ratePolicy).toBeNull();
  });
});
