import { createPublicKey, createVerify, type JsonWebKey } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BOT_SIM_DEFAULTS } from "./bot-types.ts";
import { startTeamsSim } from "./server.ts";
import type { TeamsSim, TeamsSimOptions } from "./types.ts";

interface Received {
  authorization: string | undefined;
  activity: Record<string, unknown>;
}

/** A stand-in bot: records what the Teams client posts to its messaging endpoint. */
async function startBot(): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({
        authorization: req.headers.authorization,
        activity: JSON.parse(Buffer.concat(chunks).toString("utf8")),
      });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/bot/messages`, received, server };
}

let sim: TeamsSim;
let bot: Awaited<ReturnType<typeof startBot>>;
const sims: TeamsSim[] = [];

async function start(options: TeamsSimOptions = {}) {
  const s = await startTeamsSim(options);
  sims.push(s);
  s.bot.setMessagingEndpoint(bot.url);
  return s;
}

beforeEach(async () => {
  bot = await startBot();
  sim = await start();
});

afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()));
  await new Promise((resolve) => bot.server.close(resolve));
});

async function token(s: TeamsSim, secret: string = BOT_SIM_DEFAULTS.appSecret) {
  const res = await fetch(`${s.bot.authority}/${s.bot.homeTenantId}/oauth2/v2.0/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: s.bot.appId,
      client_secret: secret,
      scope: "https://api.botframework.com/.default",
    }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function connector(s: TeamsSim, method: string, path: string, body?: unknown, bearer?: string | null) {
  const auth = bearer === undefined ? ((await token(s)).json.access_token as string) : bearer;
  const res = await fetch(`${s.bot.serviceUrl.replace(/\/$/, "")}${path}`, {
    method,
    headers: {
      "content-type": "application/json",
      ...(auth === null ? {} : { authorization: `Bearer ${auth}` }),
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text === "" ? null : JSON.parse(text) };
}

const newThread = (
  channelId: string,
  activity: Record<string, unknown> = { type: "message", text: "hello" },
) => ({
  isGroup: true,
  channelData: { channel: { id: channelId } },
  activity,
});
const conv = (id: string) => encodeURIComponent(id);

/** Verifies an activity token the way a bot must, with the published JWKS, independently of the emulator. */
async function verifyActivityToken(s: TeamsSim, authorization: string | undefined) {
  const metadata = (await (await fetch(s.bot.openIdMetadataUrl)).json()) as {
    issuer: string;
    jwks_uri: string;
  };
  const { keys } = (await (await fetch(metadata.jwks_uri)).json()) as {
    keys: (JsonWebKey & { kid: string; endorsements: string[] })[];
  };
  const [header, payload, signature] = (authorization ?? "").replace(/^Bearer /, "").split(".");
  const head = JSON.parse(Buffer.from(header ?? "", "base64url").toString());
  const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString());
  const jwk = keys.find((k) => k.kid === head.kid);
  const valid =
    jwk !== undefined &&
    createVerify("RSA-SHA256")
      .update(`${header}.${payload}`)
      .verify(createPublicKey({ key: jwk, format: "jwk" }), Buffer.from(signature ?? "", "base64url"));
  return { valid, claims, metadata, endorsements: jwk?.endorsements ?? [] };
}

describe("Entra token endpoint", () => {
  it("issues a token for the bot's app in its home tenant and refuses a wrong secret", async () => {
    const ok = await token(sim);
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ token_type: "Bearer" });
    const claims = JSON.parse(
      Buffer.from(String(ok.json.access_token).split(".")[1] ?? "", "base64url").toString(),
    );
    expect(claims).toMatchObject({
      aud: "https://api.botframework.com",
      appid: sim.bot.appId,
      tid: sim.bot.homeTenantId,
    });
    const bad = await token(sim, "wrong");
    expect(bad.status).toBe(401);
    expect(String(bad.json.error_description)).toMatch(/^AADSTS7000215/);
    expect(sim.tokenRequests(sim.bot.appId).map((r) => r.status)).toEqual([200, 401]);
  });
});

describe("Bot Connector", () => {
  it("refuses requests without a valid bearer token", async () => {
    const team = sim.bot.createTeam({ name: "Ops" });
    await sim.bot.install(team.id);
    expect((await connector(sim, "POST", "/v3/conversations", newThread(team.id), null)).status).toBe(401);
    expect((await connector(sim, "POST", "/v3/conversations", newThread(team.id), "a.b.c")).status).toBe(401);
    expect(sim.bot.messages(team.id)).toEqual([]);
  });

  it("posts a thread, replies in it, updates and deletes, with Teams' ids", async () => {
    const team = sim.bot.createTeam({ name: "Ops", channels: ["Alerts"] });
    await sim.bot.install(team.id);
    const alerts = team.channels[1]?.id ?? "";
    const created = await connector(sim, "POST", "/v3/conversations", newThread(alerts));
    expect(created.status).toBe(201);
    const rootId = created.json.activityId as string;
    expect(created.json.id).toBe(`${alerts};messageid=${rootId}`);

    const reply = await connector(sim, "POST", `/v3/conversations/${conv(created.json.id)}/activities`, {
      type: "message",
      text: "resolved",
    });
    expect(reply.status).toBe(201);
    const replyId = reply.json.id as string;
    expect(sim.bot.thread(alerts, rootId).map((m) => m.text)).toEqual(["hello", "resolved"]);

    const updated = await connector(
      sim,
      "PUT",
      `/v3/conversations/${conv(created.json.id)}/activities/${replyId}`,
      { type: "message", text: "resolved at 12:00" },
    );
    expect(updated).toMatchObject({ status: 200, json: { id: replyId } });
    expect(sim.bot.thread(alerts, rootId)[1]).toMatchObject({ text: "resolved at 12:00", updates: 1 });

    const deleted = await connector(
      sim,
      "DELETE",
      `/v3/conversations/${conv(created.json.id)}/activities/${replyId}`,
    );
    expect(deleted.status).toBe(200);
    expect(sim.bot.thread(alerts, rootId)[1]?.deleted).toBe(true);
    const again = await connector(
      sim,
      "DELETE",
      `/v3/conversations/${conv(created.json.id)}/activities/${replyId}`,
    );
    expect(again).toMatchObject({ status: 404, json: { error: { code: "ActivityNotFoundInConversation" } } });
    expect(sim.bot.requests().map((r) => r.route)).toEqual([
      "create_conversation",
      "reply",
      "update",
      "delete",
      "delete",
    ]);
  });

  it("answers Teams' error codes", async () => {
    const team = sim.bot.createTeam({ name: "Ops", channels: ["Old"] });
    await sim.bot.install(team.id);
    const old = team.channels[1]?.id ?? "";
    expect(
      (await connector(sim, "POST", "/v3/conversations", newThread("19:nope@thread.tacv2"))).json.error.code,
    ).toBe("ConversationNotFound");
    const big = await connector(
      sim,
      "POST",
      "/v3/conversations",
      newThread(team.id, { type: "message", text: "x".repeat(30_000) }),
    );
    expect(big).toMatchObject({ status: 413, json: { error: { code: "MessageSizeTooBig" } } });
    await sim.bot.removeChannel(team.id, old);
    expect((await connector(sim, "POST", "/v3/conversations", newThread(old))).json.error.code).toBe(
      "ConversationNotFound",
    );
    await sim.bot.uninstall(team.id);
    const roster = await connector(sim, "POST", "/v3/conversations", newThread(team.id));
    expect(roster).toMatchObject({ status: 403, json: { error: { code: "BotNotInConversationRoster" } } });
  });

  it("splits an activity holding text and an attachment and answers without an id", async () => {
    const team = sim.bot.createTeam({ name: "Ops" });
    await sim.bot.install(team.id);
    const both = await connector(
      sim,
      "POST",
      "/v3/conversations",
      newThread(team.id, { type: "message", text: "hi", attachments: [{ contentType: "x", content: {} }] }),
    );
    expect(both.status).toBe(201);
    expect(both.json.activityId).toBeUndefined();
    expect(sim.bot.messages(team.id)[0]?.split).toBe(true);
  });

  it("throttles the 8th request in a second on one channel with 429 and Retry-After", async () => {
    const team = sim.bot.createTeam({ name: "Ops" });
    await sim.bot.install(team.id);
    const bearer = (await token(sim)).json.access_token as string;
    const answers = [];
    for (let i = 0; i < 8; i++)
      answers.push(await connector(sim, "POST", "/v3/conversations", newThread(team.id), bearer));
    expect(answers.slice(0, 7).every((a) => a.status === 201)).toBe(true);
    expect(answers[7]?.status).toBe(429);
    expect(Number(answers[7]?.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(sim.bot.violations()).toMatchObject([
      { scope: "thread", key: team.id, window: { limit: 7, periodMs: 1000 } },
    ]);
  });

  it("throttles per Teams tenant across channels", async () => {
    const s = await start({ bot: { tenantWindows: [{ limit: 3, periodMs: 10_000 }] } });
    const team = s.bot.createTeam({ name: "Ops", channels: ["A", "B", "C"] });
    await s.bot.install(team.id);
    const bearer = (await token(s)).json.access_token as string;
    const statuses = [];
    for (const channel of team.channels) {
      statuses.push((await connector(s, "POST", "/v3/conversations", newThread(channel.id), bearer)).status);
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
    expect(s.bot.violations()[0]).toMatchObject({ scope: "tenant", key: team.tenantId });
  });

  it("lists a team's channels, the General one without a name", async () => {
    const team = sim.bot.createTeam({ name: "Ops", channels: ["Alerts"] });
    await sim.bot.install(team.id);
    const listed = await connector(sim, "GET", `/v3/teams/${conv(team.id)}/conversations`);
    expect(listed.json).toEqual({
      conversations: [{ id: team.id }, { id: team.channels[1]?.id, name: "Alerts" }],
    });
  });

  it("answers forced errors for a channel", async () => {
    const team = sim.bot.createTeam({ name: "Ops" });
    await sim.bot.install(team.id);
    sim.bot.failNext(team.id, { status: 503, code: "ServiceUnavailable", retryAfter: "2" });
    const first = await connector(sim, "POST", "/v3/conversations", newThread(team.id));
    expect(first.status).toBe(503);
    expect(first.headers.get("retry-after")).toBe("2");
    expect((await connector(sim, "POST", "/v3/conversations", newThread(team.id))).status).toBe(201);
  });
});

describe("Teams client", () => {
  it("installs the app with signed conversationUpdate and installationUpdate activities", async () => {
    const team = sim.bot.createTeam({ name: "Ops", tenantId: "tenant-1" });
    const deliveries = await sim.bot.install(team.id);
    expect(deliveries.map((d) => d.status)).toEqual([200, 200]);
    const [added, installed] = bot.received;
    expect(added?.activity).toMatchObject({
      type: "conversationUpdate",
      serviceUrl: sim.bot.serviceUrl,
      membersAdded: [{ id: `28:${sim.bot.appId}` }],
      channelData: {
        eventType: "teamMemberAdded",
        team: { id: team.id, name: "Ops" },
        tenant: { id: "tenant-1" },
      },
    });
    expect(installed?.activity).toMatchObject({ type: "installationUpdate", action: "add" });
    const check = await verifyActivityToken(sim, added?.authorization);
    expect(check.valid).toBe(true);
    expect(check.metadata.issuer).toBe("https://api.botframework.com");
    expect(check.endorsements).toContain("msteams");
    expect(check.claims).toMatchObject({
      iss: "https://api.botframework.com",
      aud: sim.bot.appId,
      serviceUrl: sim.bot.serviceUrl,
    });
  });

  it("posts a user's @mention as a new thread in the channel", async () => {
    const team = sim.bot.createTeam({ name: "Ops" });
    await sim.bot.install(team.id);
    const posted = await sim.bot.postAsUser(team.id, { text: "link K7QX-M2PD" });
    expect(posted.conversationId).toBe(`${team.id};messageid=${posted.activityId}`);
    expect(bot.received[2]?.activity).toMatchObject({
      type: "message",
      text: "<at>Herald</at> link K7QX-M2PD",
      conversation: { id: posted.conversationId },
      channelData: { team: { id: team.id } },
    });
    expect(sim.bot.messages(team.id)).toMatchObject([{ from: "user", id: posted.activityId }]);
  });

  it("forges tokens a bot must refuse", async () => {
    const team = sim.bot.createTeam({ name: "Ops" });
    await sim.bot.install(team.id);
    const forged = async (forge: Parameters<TeamsSim["bot"]["postAsUser"]>[1]["forge"]) => {
      await sim.bot.postAsUser(team.id, { text: "hi", ...(forge === undefined ? {} : { forge }) });
      return verifyActivityToken(sim, bot.received.at(-1)?.authorization);
    };
    expect((await forged("bad_signature")).valid).toBe(false);
    expect((await forged("unknown_key")).valid).toBe(false);
    expect((await forged("wrong_audience")).claims.aud).not.toBe(sim.bot.appId);
    expect((await forged("expired")).claims.exp * 1000).toBeLessThan(Date.now());
    expect((await forged("service_url_mismatch")).claims.serviceUrl).not.toBe(sim.bot.serviceUrl);
    await sim.bot.postAsUser(team.id, { text: "hi", forge: "no_token" });
    expect(bot.received.at(-1)?.authorization).toBeUndefined();
  });

  it("is driven over the control API too", async () => {
    const base = `${sim.baseUrl}/_sim/bot`;
    const post = (path: string, body: unknown) =>
      fetch(`${base}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const team = (await (await post("/teams", { name: "Ops", channels: ["Alerts"] })).json()) as {
      id: string;
    };
    expect((await post(`/teams/${conv(team.id)}/install`, {})).status).toBe(200);
    const posted = await post(`/teams/${conv(team.id)}/messages`, { text: "link ABCD-EFGH" });
    expect(posted.status).toBe(200);
    expect(bot.received).toHaveLength(3);
    const info = (await (await fetch(base)).json()) as Record<string, unknown>;
    expect(info).toMatchObject({ appId: sim.bot.appId, serviceUrl: sim.bot.serviceUrl });
    expect((await post(`/teams/${conv(team.id)}/messages`, { text: "x", forge: "nonsense" })).status).toBe(
      400,
    );
  });
});
