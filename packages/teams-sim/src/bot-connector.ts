// The Bot Connector service for Teams, as a bot sees it at its serviceUrl: new threads, replies,
// updates, deletes and the channel list, behind a bearer token from Entra, Teams' per-thread and
// per-tenant rate windows (answered 429 + Retry-After), and Teams' error codes.
//
// A thread here is a Teams channel: every post, reply, update and delete in a channel counts in
// its windows. That is the strictest reading of "per bot per thread", and the one Herald follows.

import type { IncomingMessage, ServerResponse } from "node:http";
import type {
  BotRequestRecord,
  BotRoute,
  BotViolation,
  ForcedBotAnswer,
  SimBotMessage,
  SimChannel,
  SimTeam,
} from "./bot-types.ts";
import type { EntraDirectory } from "./entra.ts";
import { readBodyAsync, sendJson, sendText } from "./http-io.ts";
import { type WindowLog, windowLogOf } from "./rate-windows.ts";
import type { RateWindow } from "./types.ts";

export const BOT_THREAD_WINDOWS: readonly RateWindow[] = [
  { limit: 7, periodMs: 1_000 },
  { limit: 8, periodMs: 2_000 },
  { limit: 60, periodMs: 30_000 },
  { limit: 1800, periodMs: 3_600_000 },
];
export const BOT_TENANT_WINDOWS: readonly RateWindow[] = [{ limit: 50, periodMs: 1_000 }];

const BOT_FRAMEWORK_AUDIENCE = "https://api.botframework.com";
const DENIED = { message: "Authorization has been denied for this request." };

interface Parsed {
  route: BotRoute;
  conversation: string | null;
  activityId: string | null;
  teamId: string | null;
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  code: string | null;
  violation?: "thread" | "tenant";
  activityId?: string | null;
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Splits "19:x@thread.tacv2;messageid=123" into the channel and the thread root. */
export function splitConversation(conversation: string): { channelId: string; rootId: string | null } {
  const at = conversation.indexOf(";messageid=");
  if (at === -1) return { channelId: conversation, rootId: null };
  return { channelId: conversation.slice(0, at), rootId: conversation.slice(at + ";messageid=".length) };
}

function parseRoute(method: string, rest: string): Parsed {
  const parts = rest
    .split("/")
    .filter((p) => p !== "")
    .map(decodeURIComponent);
  const none: Parsed = { route: "unknown", conversation: null, activityId: null, teamId: null };
  if (parts[0] === "teams" && parts.length === 3 && parts[2] === "conversations" && method === "GET") {
    return { ...none, route: "list_channels", teamId: parts[1] ?? null };
  }
  if (parts[0] !== "conversations") return none;
  if (parts.length === 1 && method === "POST") return { ...none, route: "create_conversation" };
  const conversation = parts[1] ?? null;
  if (parts[2] !== "activities" || conversation === null) return none;
  if (parts.length === 3 && method === "POST") {
    // Posting to a thread's conversation is how Teams bots reply in a channel thread.
    const route = conversation.includes(";messageid=") ? "reply" : "send_to_conversation";
    return { ...none, route, conversation };
  }
  const activityId = parts[3] ?? null;
  if (parts.length !== 4 || activityId === null) return none;
  if (method === "POST") return { ...none, route: "reply", conversation, activityId };
  if (method === "PUT") return { ...none, route: "update", conversation, activityId };
  if (method === "DELETE") return { ...none, route: "delete", conversation, activityId };
  return none;
}

export interface ConnectorSettings {
  appId: string;
  threadWindows: readonly RateWindow[];
  tenantWindows: readonly RateWindow[];
  maxPayloadBytes: number;
}

export class BotConnector {
  readonly teams = new Map<string, SimTeam>();
  /** Channel id -> its messages in posting order. */
  readonly #messages = new Map<string, SimBotMessage[]>();
  #requests: BotRequestRecord[] = [];
  #violations: BotViolation[] = [];
  #threadWindows = new Map<string, WindowLog>();
  #tenantWindows = new Map<string, WindowLog>();
  #forced = new Map<string, ForcedBotAnswer[]>();
  #lastId = 0;
  #waiters: (() => void)[] = [];

  constructor(
    private readonly settings: ConnectorSettings,
    private readonly entra: EntraDirectory,
  ) {}

  /** Teams' activity ids are millisecond timestamps; unique and increasing here. */
  nextActivityId(): string {
    this.#lastId = Math.max(Date.now(), this.#lastId + 1);
    return String(this.#lastId);
  }

  channel(channelId: string): { team: SimTeam; channel: SimChannel } | undefined {
    for (const team of this.teams.values()) {
      const channel = team.channels.find((c) => c.id === channelId);
      if (channel) return { team, channel };
    }
    return undefined;
  }

  messages(channelId: string): SimBotMessage[] {
    return (this.#messages.get(channelId) ?? []).map((m) => ({ ...m }));
  }

  addMessage(message: SimBotMessage): void {
    const list = this.#messages.get(message.channelId) ?? [];
    list.push(message);
    this.#messages.set(message.channelId, list);
  }

  requests(): BotRequestRecord[] {
    return this.#requests.slice();
  }

  violations(): BotViolation[] {
    return this.#violations.slice();
  }

  failNext(channelId: string, answer: ForcedBotAnswer, times: number): void {
    const queue = this.#forced.get(channelId) ?? [];
    for (let i = 0; i < times; i++) queue.push(answer);
    this.#forced.set(channelId, queue);
  }

  onRequest(wake: () => void): () => void {
    this.#waiters.push(wake);
    return () => {
      this.#waiters = this.#waiters.filter((w) => w !== wake);
    };
  }

  reset(): void {
    this.#requests = [];
    this.#violations = [];
    this.#threadWindows = new Map();
    this.#tenantWindows = new Map();
    this.#forced = new Map();
  }

  async handle(req: IncomingMessage, res: ServerResponse, rest: string, path: string): Promise<void> {
    const method = req.method ?? "GET";
    const { text } = await readBodyAsync(req, this.settings.maxPayloadBytes * 4);
    const at = Date.now();
    const parsed = parseRoute(method, rest);
    let answer: Answer;
    let channelId: string | null = null;
    try {
      await this.#authorize(req.headers.authorization);
      const target = this.#target(parsed, text);
      channelId = target.channel?.id ?? null;
      answer = this.#forcedAnswer(channelId) ?? this.#judge(parsed, target, text, at);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      answer =
        error.status === 401
          ? { status: 401, body: DENIED, code: null }
          : {
              status: error.status,
              body: { error: { code: error.code, message: error.message } },
              code: error.code,
            };
    }
    const record: BotRequestRecord = {
      seq: this.#requests.length + 1,
      at,
      method,
      path,
      route: parsed.route,
      channelId,
      activityId: answer.activityId ?? parsed.activityId,
      status: answer.status,
      code: answer.code,
      violation: answer.violation ?? null,
      body: text,
    };
    this.#requests.push(record);
    for (const wake of this.#waiters.slice()) wake();
    if (answer.body === null) sendText(res, answer.status, "", answer.headers ?? {});
    else sendJsonWith(res, answer.status, answer.body, answer.headers);
  }

  async #authorize(header: string | undefined): Promise<void> {
    const token = /^Bearer (.+)$/i.exec(header ?? "")?.[1];
    if (token === undefined) throw new Refusal(401, "Unauthorized", DENIED.message);
    const check = await this.entra.verify(token);
    if (
      !check.ok ||
      check.claims.aud !== BOT_FRAMEWORK_AUDIENCE ||
      check.claims.appid !== this.settings.appId
    ) {
      throw new Refusal(401, "Unauthorized", DENIED.message);
    }
  }

  #target(
    parsed: Parsed,
    text: string,
  ): { team: SimTeam; channel: SimChannel | null; rootId: string | null } {
    if (parsed.route === "unknown") throw new Refusal(404, "BadArgument", "Unknown Bot Connector route.");
    if (parsed.route === "list_channels") {
      const team = parsed.teamId === null ? undefined : this.teams.get(parsed.teamId);
      if (team === undefined) throw new Refusal(404, "ConversationNotFound", "Conversation not found.");
      if (!team.installed)
        throw new Refusal(
          403,
          "BotNotInConversationRoster",
          "The bot is not part of the conversation roster.",
        );
      return { team, channel: null, rootId: null };
    }
    let conversation = parsed.conversation;
    if (parsed.route === "create_conversation") {
      const body = parseJson(text);
      const id = (body?.channelData as { channel?: { id?: unknown } } | undefined)?.channel?.id;
      if (typeof id !== "string")
        throw new Refusal(400, "BadArgument", "channelData.channel.id is required.");
      conversation = id;
    }
    const { channelId, rootId } = splitConversation(conversation ?? "");
    const found = this.channel(channelId);
    if (found === undefined || found.channel.deleted) {
      throw new Refusal(404, "ConversationNotFound", "Conversation not found.");
    }
    if (!found.team.installed) {
      throw new Refusal(403, "BotNotInConversationRoster", "The bot is not part of the conversation roster.");
    }
    return { team: found.team, channel: found.channel, rootId };
  }

  #forcedAnswer(channelId: string | null): Answer | null {
    for (const key of [channelId ?? "", "*"]) {
      const queue = this.#forced.get(key);
      const next = queue?.shift();
      if (next === undefined) continue;
      return {
        status: next.status,
        body: { error: { code: next.code, message: next.message ?? next.code } },
        headers: next.retryAfter === undefined ? {} : { "retry-after": next.retryAfter },
        code: next.code,
      };
    }
    return null;
  }

  /** Rate windows first (a throttled request still counts), then the operation itself. */
  #judge(
    parsed: Parsed,
    target: { team: SimTeam; channel: SimChannel | null; rootId: string | null },
    text: string,
    at: number,
  ): Answer {
    const tenant = windowLogOf(this.#tenantWindows, target.team.tenantId, this.settings.tenantWindows)?.judge(
      at,
    );
    const thread =
      target.channel === null
        ? null
        : windowLogOf(this.#threadWindows, target.channel.id, this.settings.threadWindows)?.judge(at);
    const breach = tenant ?? thread ?? null;
    if (breach !== null) {
      const scope = tenant ? "tenant" : "thread";
      const key = scope === "tenant" ? target.team.tenantId : (target.channel?.id ?? "");
      this.#violations.push({ seq: this.#requests.length + 1, at, scope, key, window: { ...breach.window } });
      const seconds = Math.max(1, Math.ceil(breach.retryAfterMs / 1000));
      return {
        status: 429,
        body: { error: { code: "Throttled", message: `Too many requests; retry after ${seconds} seconds.` } },
        headers: { "retry-after": String(seconds) },
        code: "Throttled",
        violation: scope,
      };
    }
    if (parsed.route === "list_channels") {
      const conversations = target.team.channels
        .filter((c) => !c.deleted)
        .map((c) => (c.name === null ? { id: c.id } : { id: c.id, name: c.name }));
      return { status: 200, body: { conversations }, code: null };
    }
    const channel = target.channel;
    if (channel === null) throw new Refusal(404, "ConversationNotFound", "Conversation not found.");
    if (Buffer.byteLength(text) > this.settings.maxPayloadBytes) {
      throw new Refusal(413, "MessageSizeTooBig", "Message size too big.");
    }
    if (parsed.route === "delete") return this.#delete(channel, parsed.activityId ?? "");
    const body = parseJson(text);
    const activity = (parsed.route === "create_conversation" ? body?.activity : body) as
      | Record<string, unknown>
      | undefined;
    if (
      activity === undefined ||
      activity === null ||
      typeof activity !== "object" ||
      activity.type !== "message"
    ) {
      throw new Refusal(400, "BadArgument", "The activity must be a message.");
    }
    if (parsed.route === "update") return this.#update(channel, parsed.activityId ?? "", activity, at);
    let rootId: string | null = null;
    if (parsed.route === "reply") rootId = this.#rootOf(channel, parsed.activityId ?? target.rootId ?? "");
    return this.#post(parsed.route, channel, rootId, activity, at);
  }

  #find(channel: SimChannel, activityId: string): SimBotMessage {
    const message = this.#messages.get(channel.id)?.find((m) => m.id === activityId && !m.deleted);
    if (message === undefined) {
      throw new Refusal(
        404,
        "ActivityNotFoundInConversation",
        "The activity was not found in the conversation.",
      );
    }
    return message;
  }

  #rootOf(channel: SimChannel, activityId: string): string {
    return this.#find(channel, activityId).rootId;
  }

  #post(
    route: BotRoute,
    channel: SimChannel,
    rootId: string | null,
    activity: Record<string, unknown>,
    at: number,
  ): Answer {
    const text = typeof activity.text === "string" && activity.text !== "" ? activity.text : null;
    const attachments = Array.isArray(activity.attachments) ? activity.attachments : [];
    const split = text !== null && attachments.length > 0;
    const id = this.nextActivityId();
    const root = rootId ?? id;
    this.addMessage({
      id,
      channelId: channel.id,
      rootId: root,
      from: "bot",
      text,
      attachments,
      activity,
      createdAt: at,
      updatedAt: null,
      updates: 0,
      deleted: false,
      split,
    });
    const conversationId = `${channel.id};messageid=${root}`;
    if (split) {
      // Teams posts the text and the attachment as two messages and cannot name either.
      return {
        status: 201,
        body: route === "create_conversation" ? { id: conversationId } : {},
        code: null,
        activityId: id,
      };
    }
    if (route === "create_conversation") {
      return { status: 201, body: { id: conversationId, activityId: id }, code: null, activityId: id };
    }
    return { status: 201, body: { id }, code: null, activityId: id };
  }

  #update(channel: SimChannel, activityId: string, activity: Record<string, unknown>, at: number): Answer {
    const message = this.#find(channel, activityId);
    if (message.from !== "bot")
      throw new Refusal(403, "Forbidden", "A bot can only update its own messages.");
    message.activity = activity;
    message.text = typeof activity.text === "string" && activity.text !== "" ? activity.text : null;
    message.attachments = Array.isArray(activity.attachments) ? activity.attachments : [];
    message.updatedAt = at;
    message.updates += 1;
    return { status: 200, body: { id: activityId }, code: null, activityId };
  }

  #delete(channel: SimChannel, activityId: string): Answer {
    const message = this.#find(channel, activityId);
    if (message.from !== "bot")
      throw new Refusal(403, "Forbidden", "A bot can only delete its own messages.");
    message.deleted = true;
    return { status: 200, body: null, code: null, activityId };
  }
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function sendJsonWith(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (Object.keys(headers).length === 0) {
    sendJson(res, status, body);
    return;
  }
  sendText(res, status, JSON.stringify(body), {
    "content-type": "application/json; charset=utf-8",
    ...headers,
  });
}
