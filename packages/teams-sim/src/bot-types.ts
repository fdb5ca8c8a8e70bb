// The public contract of the emulator's Teams bot side: the Bot Connector a bot posts to, and the
// Teams client that installs the bot and talks to it.

import type { RateWindow } from "./types.ts";

export interface BotSimOptions {
  /** The bot's Entra app id (its Microsoft App ID). Default BOT_SIM_DEFAULTS.appId. */
  appId?: string;
  /** The app's client secret, checked by the emulator's Entra token endpoint. */
  appSecret?: string;
  /** The bot's home tenant, where its tokens are minted. */
  homeTenantId?: string;
  /** Where activities are posted (Herald's /bot/messages); can be set later. */
  messagingEndpoint?: string;
  /** Per thread (a Teams channel); default Teams': 7/1 s, 8/2 s, 60/30 s, 1800/3600 s. */
  threadWindows?: RateWindow[];
  /** Per app per Teams tenant; default 50/1 s. */
  tenantWindows?: RateWindow[];
  /** The path the serviceUrl carries after the host, like Teams' "/amer/". Default "amer". */
  region?: string;
}

export const BOT_SIM_DEFAULTS = Object.freeze({
  appId: "9b0e5c1a-7d3f-4e2b-8a61-5f0c2d4e6b7a",
  appSecret: "teams-sim-bot-secret",
  homeTenantId: "3f2c1b0a-9e8d-4c7b-a6f5-e4d3c2b1a098",
});

export interface SimChannel {
  /** "19:…@thread.tacv2"; the General channel's id is the team's id. */
  id: string;
  /** The General channel has no name in Teams' answers (clients show "General"). */
  name: string | null;
  teamId: string;
  deleted: boolean;
}

export interface SimTeam {
  id: string;
  name: string;
  /** The Teams (Entra) tenant the team belongs to. */
  tenantId: string;
  aadGroupId: string;
  installed: boolean;
  channels: SimChannel[];
}

export interface SimBotMessage {
  /** The activity id ("1733059200123"). */
  id: string;
  channelId: string;
  /** The thread's root id; equal to id for a root message. */
  rootId: string;
  from: "bot" | "user";
  text: string | null;
  attachments: unknown[];
  /** The latest activity as posted or updated. */
  activity: Record<string, unknown>;
  createdAt: number;
  updatedAt: number | null;
  /** How many times it was updated (PUT). */
  updates: number;
  deleted: boolean;
  /** True when a post held text and attachments and Teams split it (it answered without an id). */
  split: boolean;
}

export type BotRoute =
  | "create_conversation"
  | "send_to_conversation"
  | "reply"
  | "update"
  | "delete"
  | "list_channels"
  | "unknown";

export interface BotRequestRecord {
  seq: number;
  at: number;
  method: string;
  path: string;
  route: BotRoute;
  channelId: string | null;
  activityId: string | null;
  status: number;
  /** The Bot Connector error code answered, if any. */
  code: string | null;
  /** Which window the request broke, if any (it was answered 429). */
  violation: "thread" | "tenant" | null;
  body: string;
}

export interface BotViolation {
  seq: number;
  at: number;
  scope: "thread" | "tenant";
  /** The channel id (thread) or tenant id. */
  key: string;
  window: RateWindow;
}

/** Ways to forge the activity token, for tests of the bot's inbound checks. */
export type ForgeKind =
  | "bad_signature"
  | "unknown_key"
  | "wrong_audience"
  | "wrong_issuer"
  | "expired"
  | "service_url_mismatch"
  | "no_token";

export interface SendOptions {
  forge?: ForgeKind;
  /** Another serviceUrl for the activity (and its token's claim), e.g. a host off the bot's allowlist. */
  serviceUrl?: string;
}

export interface ActivityDelivery {
  /** The bot's HTTP answer; 0 when it could not be reached. */
  status: number;
  body: string;
  activity: Record<string, unknown>;
}

export interface ForcedBotAnswer {
  status: number;
  code: string;
  message?: string;
  retryAfter?: string;
}

export interface BotSim {
  readonly appId: string;
  readonly appSecret: string;
  readonly homeTenantId: string;
  /** The serviceUrl activities carry: `${baseUrl}/${region}/`. */
  readonly serviceUrl: string;
  /** The Bot Framework OpenID metadata (issuer https://api.botframework.com, jwks_uri, RS256). */
  readonly openIdMetadataUrl: string;
  /** The Entra authority: tokens come from `${authority}/${tenant}/oauth2/v2.0/token`. */
  readonly authority: string;
  setMessagingEndpoint(url: string): void;
  createTeam(input: { name: string; tenantId?: string; channels?: string[] }): SimTeam;
  team(teamId: string): SimTeam | undefined;
  addChannel(
    teamId: string,
    name: string,
  ): Promise<{ channel: SimChannel; delivery: ActivityDelivery | null }>;
  removeChannel(teamId: string, channelId: string): Promise<ActivityDelivery | null>;
  /** Adds the app to the team: conversationUpdate (teamMemberAdded) then installationUpdate (add). */
  install(teamId: string, options?: SendOptions): Promise<ActivityDelivery[]>;
  /** Removes it: installationUpdate (remove) then conversationUpdate (teamMemberRemoved). */
  uninstall(teamId: string, options?: SendOptions): Promise<ActivityDelivery[]>;
  /** A user posts `text` (with an @mention of the bot) as a new thread in a channel (default General). */
  postAsUser(
    teamId: string,
    input: { text: string; channelId?: string; userName?: string } & SendOptions,
  ): Promise<ActivityDelivery & { activityId: string; conversationId: string }>;
  /** Posts any activity, signed (or forged) like the Bot Connector signs. */
  sendActivity(activity: Record<string, unknown>, options?: SendOptions): Promise<ActivityDelivery>;
  /** Every message of a channel, replies included, in posting order (deleted ones flagged). */
  messages(channelId: string): SimBotMessage[];
  /** A thread's root and replies. */
  thread(channelId: string, rootId: string): SimBotMessage[];
  requests(filter?: { route?: BotRoute; channelId?: string }): BotRequestRecord[];
  violations(): BotViolation[];
  /** The next `times` (default 1) requests to the channel ("*": any) get this answer instead. */
  failNext(channelId: string, answer: ForcedBotAnswer, times?: number): void;
  waitForRequests(
    count: number,
    filter?: { route?: BotRoute; channelId?: string; timeoutMs?: number },
  ): Promise<BotRequestRecord[]>;
  /** Forgets requests, violations, window state and forced answers (teams and messages stay). */
  reset(): void;
}
