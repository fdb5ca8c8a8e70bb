// The emulator's Teams bot side: the Bot Framework's OpenID metadata and signing keys, the Bot
// Connector (bot-connector.ts), and a Teams client that installs the bot, creates channels and posts
// as a user, each as an activity signed like the Bot Connector signs and POSTed to the bot.

import { createHash, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { BOT_TENANT_WINDOWS, BOT_THREAD_WINDOWS, BotConnector } from "./bot-connector.ts";
import {
  type ActivityDelivery,
  BOT_SIM_DEFAULTS,
  type BotRequestRecord,
  type BotSim,
  type BotSimOptions,
  type SendOptions,
  type SimTeam,
} from "./bot-types.ts";
import type { EntraDirectory } from "./entra.ts";
import { sendJson } from "./http-io.ts";
import { publicJwk, type SigningKey, signingKeyFor, signJwt } from "./jwt.ts";

const ISSUER = "https://api.botframework.com";
const METADATA_PATH = "/v1/.well-known/openidconfiguration";
const KEYS_PATH = "/v1/.well-known/keys";
const CONNECTOR_PATH = /^(?:\/[a-z]+)?\/v3(\/.*)$/;

function threadId(seed: string): string {
  return `19:${createHash("sha256").update(seed).digest("hex").slice(0, 32)}@thread.tacv2`;
}

export class BotService implements BotSim {
  readonly appId: string;
  readonly appSecret: string;
  readonly homeTenantId: string;
  readonly connector: BotConnector;
  #baseUrl = "";
  #region: string;
  #endpoint: string | undefined;

  private constructor(
    options: BotSimOptions,
    maxPayloadBytes: number,
    entra: EntraDirectory,
    private readonly signingKey: SigningKey,
    /** Signs forgeries: a key the bot was never told about. */
    private readonly forgerKey: SigningKey,
  ) {
    this.appId = options.appId ?? BOT_SIM_DEFAULTS.appId;
    this.appSecret = options.appSecret ?? BOT_SIM_DEFAULTS.appSecret;
    this.homeTenantId = options.homeTenantId ?? BOT_SIM_DEFAULTS.homeTenantId;
    this.#region = options.region ?? "amer";
    this.#endpoint = options.messagingEndpoint;
    entra.registerApp({ clientId: this.appId, clientSecret: this.appSecret, tenantId: this.homeTenantId });
    this.connector = new BotConnector(
      {
        appId: this.appId,
        threadWindows: options.threadWindows ?? BOT_THREAD_WINDOWS,
        tenantWindows: options.tenantWindows ?? BOT_TENANT_WINDOWS,
        maxPayloadBytes,
      },
      entra,
    );
  }

  static async create(
    options: BotSimOptions,
    maxPayloadBytes: number,
    entra: EntraDirectory,
  ): Promise<BotService> {
    const [signing, forger] = await Promise.all([signingKeyFor("bot-framework"), signingKeyFor("forger")]);
    return new BotService(options, maxPayloadBytes, entra, signing, forger);
  }

  setBaseUrl(baseUrl: string): void {
    this.#baseUrl = baseUrl;
  }

  get serviceUrl(): string {
    return `${this.#baseUrl}/${this.#region}/`;
  }
  get openIdMetadataUrl(): string {
    return `${this.#baseUrl}${METADATA_PATH}`;
  }
  get authority(): string {
    return this.#baseUrl;
  }

  handles(pathname: string): boolean {
    return pathname === METADATA_PATH || pathname === KEYS_PATH || CONNECTOR_PATH.test(pathname);
  }

  async handle(req: IncomingMessage, res: ServerResponse, pathname: string, path: string): Promise<void> {
    if (pathname === METADATA_PATH) {
      sendJson(res, 200, {
        issuer: ISSUER,
        authorization_endpoint: "https://invalid.botframework.com",
        jwks_uri: `${this.#baseUrl}${KEYS_PATH}`,
        id_token_signing_alg_values_supported: ["RS256"],
        token_endpoint_auth_methods_supported: ["private_key_jwt"],
      });
      return;
    }
    if (pathname === KEYS_PATH) {
      sendJson(res, 200, { keys: [publicJwk(this.signingKey, { endorsements: ["msteams"] })] });
      return;
    }
    const rest = CONNECTOR_PATH.exec(pathname)?.[1] ?? "/";
    await this.connector.handle(req, res, rest, path);
  }

  setMessagingEndpoint(url: string): void {
    this.#endpoint = url;
  }

  createTeam(input: { name: string; tenantId?: string; channels?: string[] }): SimTeam {
    const seed = randomUUID();
    const id = threadId(`team:${seed}`);
    const team: SimTeam = {
      id,
      name: input.name,
      tenantId: input.tenantId ?? randomUUID(),
      aadGroupId: randomUUID(),
      installed: false,
      channels: [{ id, name: null, teamId: id, deleted: false }],
    };
    for (const name of input.channels ?? []) {
      team.channels.push({ id: threadId(`channel:${seed}:${name}`), name, teamId: id, deleted: false });
    }
    this.connector.teams.set(id, team);
    return team;
  }

  team(teamId: string): SimTeam | undefined {
    return this.connector.teams.get(teamId);
  }

  #team(teamId: string): SimTeam {
    const team = this.team(teamId);
    if (team === undefined) throw new Error(`teams-sim: no team ${teamId}`);
    return team;
  }

  async addChannel(teamId: string, name: string) {
    const team = this.#team(teamId);
    const channel = { id: threadId(`channel:${randomUUID()}`), name, teamId, deleted: false };
    team.channels.push(channel);
    const delivery = team.installed
      ? await this.sendActivity(
          this.#event(team, "conversationUpdate", { eventType: "channelCreated", channel }),
        )
      : null;
    return { channel, delivery };
  }

  async removeChannel(teamId: string, channelId: string) {
    const team = this.#team(teamId);
    const channel = team.channels.find((c) => c.id === channelId);
    if (channel === undefined || channel.id === team.id)
      throw new Error("teams-sim: cannot remove that channel");
    channel.deleted = true;
    return team.installed
      ? await this.sendActivity(
          this.#event(team, "conversationUpdate", { eventType: "channelDeleted", channel }),
        )
      : null;
  }

  async install(teamId: string, options: SendOptions = {}): Promise<ActivityDelivery[]> {
    const team = this.#team(teamId);
    team.installed = true;
    const added = this.#event(team, "conversationUpdate", { eventType: "teamMemberAdded" });
    added.membersAdded = [{ id: this.#botId() }];
    const installed = this.#event(team, "installationUpdate", {});
    installed.action = "add";
    return [await this.sendActivity(added, options), await this.sendActivity(installed, options)];
  }

  async uninstall(teamId: string, options: SendOptions = {}): Promise<ActivityDelivery[]> {
    const team = this.#team(teamId);
    team.installed = false;
    const removed = this.#event(team, "installationUpdate", {});
    removed.action = "remove";
    const left = this.#event(team, "conversationUpdate", { eventType: "teamMemberRemoved" });
    left.membersRemoved = [{ id: this.#botId() }];
    return [await this.sendActivity(removed, options), await this.sendActivity(left, options)];
  }

  async postAsUser(
    teamId: string,
    input: { text: string; channelId?: string; userName?: string } & SendOptions,
  ): Promise<ActivityDelivery & { activityId: string; conversationId: string }> {
    const team = this.#team(teamId);
    const channel = team.channels.find((c) => c.id === (input.channelId ?? team.id));
    if (channel === undefined) throw new Error(`teams-sim: no channel ${input.channelId} in team ${teamId}`);
    const activityId = this.connector.nextActivityId();
    const conversationId = `${channel.id};messageid=${activityId}`;
    const mention = "<at>Herald</at>";
    const text = input.text.includes(mention) ? input.text : `${mention} ${input.text}`;
    const userName = input.userName ?? "Ada Lovelace";
    const activity: Record<string, unknown> = {
      type: "message",
      id: activityId,
      timestamp: new Date().toISOString(),
      channelId: "msteams",
      serviceUrl: this.serviceUrl,
      from: { id: `29:${hashId(userName)}`, name: userName, aadObjectId: uuidOf(userName) },
      conversation: {
        isGroup: true,
        conversationType: "channel",
        tenantId: team.tenantId,
        id: conversationId,
      },
      recipient: { id: this.#botId(), name: "Herald" },
      text,
      textFormat: "plain",
      entities: [{ type: "mention", mentioned: { id: this.#botId(), name: "Herald" }, text: mention }],
      channelData: {
        teamsChannelId: channel.id,
        teamsTeamId: team.id,
        channel: { id: channel.id },
        team: { id: team.id },
        tenant: { id: team.tenantId },
      },
    };
    this.connector.addMessage({
      id: activityId,
      channelId: channel.id,
      rootId: activityId,
      from: "user",
      text,
      attachments: [],
      activity,
      createdAt: Date.now(),
      updatedAt: null,
      updates: 0,
      deleted: false,
      split: false,
    });
    const delivery = await this.sendActivity(activity, input);
    return { ...delivery, activityId, conversationId };
  }

  async sendActivity(
    activity: Record<string, unknown>,
    options: SendOptions = {},
  ): Promise<ActivityDelivery> {
    const endpoint = this.#endpoint;
    if (endpoint === undefined)
      throw new Error("teams-sim: no messaging endpoint set (setMessagingEndpoint)");
    const serviceUrl =
      options.serviceUrl ?? (typeof activity.serviceUrl === "string" ? activity.serviceUrl : this.serviceUrl);
    const sent = { ...activity, serviceUrl };
    const headers: Record<string, string> = { "content-type": "application/json" };
    const token = this.#token(serviceUrl, options);
    if (token !== null) headers.authorization = `Bearer ${token}`;
    try {
      const res = await fetch(endpoint, { method: "POST", headers, body: JSON.stringify(sent) });
      return { status: res.status, body: await res.text(), activity: sent };
    } catch (error) {
      return { status: 0, body: error instanceof Error ? error.message : String(error), activity: sent };
    }
  }

  /** The Bot Connector's token for an activity, or one of the forgeries the bot must refuse. */
  #token(serviceUrl: string, options: SendOptions): string | null {
    const forge = options.forge;
    if (forge === "no_token") return null;
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = {
      iss: forge === "wrong_issuer" ? "https://sts.windows.net/not-the-bot-framework/" : ISSUER,
      aud: forge === "wrong_audience" ? "00000000-0000-0000-0000-000000000000" : this.appId,
      serviceUrl:
        forge === "service_url_mismatch" ? "https://smba.trafficmanager.net/elsewhere/" : serviceUrl,
      nbf: forge === "expired" ? now - 7200 : now - 5,
      iat: forge === "expired" ? now - 7200 : now,
      exp: forge === "expired" ? now - 3600 : now + 3600,
    };
    if (forge === "bad_signature") return signJwt(claims, this.forgerKey, this.signingKey.kid);
    if (forge === "unknown_key") return signJwt(claims, this.forgerKey);
    return signJwt(claims, this.signingKey);
  }

  #botId(): string {
    return `28:${this.appId}`;
  }

  #event(
    team: SimTeam,
    type: string,
    extra: { eventType?: string; channel?: { id: string; name: string | null } },
  ) {
    const channelData: Record<string, unknown> = {
      team: { id: team.id, name: team.name, aadGroupId: team.aadGroupId },
      tenant: { id: team.tenantId },
    };
    if (extra.eventType !== undefined) channelData.eventType = extra.eventType;
    if (extra.channel !== undefined) channelData.channel = { id: extra.channel.id, name: extra.channel.name };
    const activity: Record<string, unknown> = {
      type,
      id: `f:${randomUUID()}`,
      timestamp: new Date().toISOString(),
      channelId: "msteams",
      serviceUrl: this.serviceUrl,
      from: { id: "29:team-owner", aadObjectId: uuidOf("team-owner") },
      conversation: { isGroup: true, conversationType: "channel", tenantId: team.tenantId, id: team.id },
      recipient: { id: this.#botId(), name: "Herald" },
      channelData,
    };
    return activity;
  }

  messages(channelId: string) {
    return this.connector.messages(channelId);
  }

  thread(channelId: string, rootId: string) {
    return this.messages(channelId).filter((m) => m.rootId === rootId);
  }

  requests(filter: { route?: BotRequestRecord["route"]; channelId?: string } = {}) {
    return this.connector
      .requests()
      .filter(
        (r) =>
          (filter.route === undefined || r.route === filter.route) &&
          (filter.channelId === undefined || r.channelId === filter.channelId),
      );
  }

  violations() {
    return this.connector.violations();
  }

  failNext(channelId: string, answer: Parameters<BotSim["failNext"]>[1], times = 1): void {
    this.connector.failNext(channelId, answer, times);
  }

  waitForRequests(
    count: number,
    filter: { route?: BotRequestRecord["route"]; channelId?: string; timeoutMs?: number } = {},
  ): Promise<BotRequestRecord[]> {
    const matching = () => this.requests(filter);
    if (matching().length >= count) return Promise.resolve(matching());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`teams-sim: waited for ${count} bot requests, got ${matching().length}`));
      }, filter.timeoutMs ?? 10_000);
      const stop = this.connector.onRequest(() => {
        if (matching().length < count) return;
        clearTimeout(timer);
        stop();
        resolve(matching());
      });
    });
  }

  reset(): void {
    this.connector.reset();
  }
}

function hashId(seed: string): string {
  return createHash("sha256").update(seed).digest("base64url").slice(0, 40);
}

function uuidOf(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-9${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
