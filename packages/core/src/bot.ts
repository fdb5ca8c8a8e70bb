// Herald's Teams bot: its rate windows, what the Bot Connector's answers mean, what happens next,
// and the activities and requests it sends. Errors are told apart by their code string, not the
// status: 403 means "not in the roster" or "blocked by an admin", which call for different actions.
import { buildTeamsPayload, MAX_PAYLOAD_BYTES, type MessageInput, type PayloadResult } from "./cards.ts";
import type { Classification } from "./classify.ts";
import { type DeliveryContext, type DeliveryDecision, decideDelivery } from "./delivery-policy.ts";
import { matchHost } from "./host-patterns.ts";
import { isInternalAddress, isLoopbackHost } from "./ip.ts";
import { isJsonObject, utf8Length } from "./json.ts";
import type { RatePolicy } from "./rate.ts";
import { parseRetryAfter } from "./retry-after.ts";
import { collapseText } from "./text.ts";

/**
 * Microsoft's limits per bot per thread. A Teams channel is read as one thread, whatever
 * reply chain a post is in: the strictest reading, and the one that keeps a channel readable.
 */
export const BOT_THREAD_POLICY: RatePolicy = Object.freeze([
  { limit: 7, periodMs: 1_000 },
  { limit: 8, periodMs: 2_000 },
  { limit: 60, periodMs: 30_000 },
  { limit: 1800, periodMs: 3_600_000 },
]);

/** Microsoft's global limit per app per Teams tenant: 50 requests per second, all routes together. */
export const BOT_TENANT_POLICY: RatePolicy = Object.freeze([{ limit: 50, periodMs: 1_000 }]);

/** The scope Herald's bot asks Entra for (client credentials in the bot's home tenant). */
export const BOT_FRAMEWORK_SCOPE = "https://api.botframework.com/.default";
/** The issuer of every activity the Bot Connector posts to a bot. */
export const BOT_FRAMEWORK_ISSUER = "https://api.botframework.com";
export const BOT_FRAMEWORK_OPENID_METADATA =
  "https://login.botframework.com/v1/.well-known/openidconfiguration";
/** Where the Bot Connector for Teams lives in the public clouds; a serviceUrl elsewhere is refused. */
export const DEFAULT_BOT_SERVICE_HOSTS: readonly string[] = Object.freeze([
  "smba.trafficmanager.net",
  "smba.onyx.prod.teams.trafficmanager.net",
  "smba.infra.gcc.teams.microsoft.com",
]);

export type BotOperation = "post" | "reply" | "update" | "delete";

/** What a terminal error does beyond failing the message. */
export type BotErrorEffect = "disable_team" | "disable_channel" | "fail_message";

interface TerminalCode {
  effect: BotErrorEffect;
  sentence: string;
}

const TERMINAL_CODES: Readonly<Record<string, TerminalCode>> = {
  BotNotInConversationRoster: {
    effect: "disable_team",
    sentence: "Herald's bot is no longer a member of this team (the app was removed from it)",
  },
  BotDisabledByAdmin: {
    effect: "disable_team",
    sentence: "A Teams administrator has blocked Herald's bot in this organization",
  },
  InvalidBotApiHost: {
    effect: "disable_team",
    sentence: "This team lives in a Microsoft cloud (such as GCC) this Herald's bot is not registered for",
  },
  ConversationBlockedByUser: {
    effect: "disable_channel",
    sentence: "The conversation has blocked Herald's bot",
  },
  ConversationNotFound: {
    effect: "disable_channel",
    sentence: "The Teams channel no longer exists",
  },
  ActivityNotFoundInConversation: {
    effect: "fail_message",
    sentence: "The Teams message no longer exists (it was deleted in Teams)",
  },
  MessageWritesBlocked: {
    effect: "fail_message",
    sentence: "Posting is blocked in this channel or thread (it is read-only or moderated)",
  },
  MessageSizeTooBig: {
    effect: "fail_message",
    sentence: "Teams refused the message as too large; keep messages under 28 KB",
  },
};

/** Statuses Microsoft asks bots to retry, beside 429. */
const RETRY_STATUSES: ReadonlySet<number> = new Set([412, 500, 502, 503, 504]);

export type BotAnswer =
  | { type: "response"; status: number; body: string; retryAfter?: string | null }
  | { type: "network_error"; error: string }
  | { type: "timeout"; error: string };

export type BotClassification =
  | { kind: "delivered"; status: number; activityId: string | null; conversationId: string | null }
  | { kind: "throttled"; status: number; code: string | null; text: string; retryAfterMs: number | null }
  | { kind: "terminal"; status: number; code: string; text: string; effect: BotErrorEffect; sentence: string }
  | {
      kind: "transient";
      status: number | null;
      code: string | null;
      text: string;
      cause: "status" | "network_error" | "timeout";
      retryAfterMs: number | null;
    }
  | { kind: "bad_request"; status: number; code: string | null; text: string };

function parseBody(body: string): Record<string, unknown> | null {
  if (body.trim() === "") return null;
  try {
    const value: unknown = JSON.parse(body);
    return isJsonObject(value) ? value : null;
  } catch {
    return null;
  }
}

function errorOf(json: Record<string, unknown> | null): { code: string | null; message: string | null } {
  const error = json?.error;
  if (!isJsonObject(error)) {
    const message = typeof json?.message === "string" ? json.message : null;
    return { code: null, message };
  }
  return {
    code: typeof error.code === "string" ? error.code : null,
    message: typeof error.message === "string" ? error.message : null,
  };
}

function stringField(json: Record<string, unknown> | null, name: string): string | null {
  const value = json?.[name];
  return typeof value === "string" && value !== "" ? value : null;
}

/** What the Bot Connector's answer to one request means. */
export function classifyBotAnswer(answer: BotAnswer, nowMs: number): BotClassification {
  if (answer.type === "network_error" || answer.type === "timeout") {
    return {
      kind: "transient",
      status: null,
      code: null,
      text: collapseText(answer.error),
      cause: answer.type,
      retryAfterMs: null,
    };
  }
  const { status } = answer;
  const json = parseBody(answer.body);
  if (status >= 200 && status < 300) {
    return {
      kind: "delivered",
      status,
      activityId: stringField(json, "activityId") ?? stringField(json, "id"),
      conversationId: stringField(json, "activityId") === null ? null : stringField(json, "id"),
    };
  }
  const { code, message } = errorOf(json);
  const text = collapseText(code === null ? (message ?? answer.body) : `${code}: ${message ?? ""}`);
  if (status === 429) {
    return { kind: "throttled", status, code, text, retryAfterMs: parseRetryAfter(answer.retryAfter, nowMs) };
  }
  const terminal = code === null ? undefined : TERMINAL_CODES[code];
  if (terminal !== undefined && code !== null) {
    return { kind: "terminal", status, code, text, effect: terminal.effect, sentence: terminal.sentence };
  }
  if (status === 413) {
    const tooBig = TERMINAL_CODES.MessageSizeTooBig;
    if (tooBig) return { kind: "terminal", status, code: "MessageSizeTooBig", text, ...tooBig };
  }
  // 401: the token was refused (expired, rotated secret); a fresh one is fetched for the retry.
  if (RETRY_STATUSES.has(status) || status === 401 || status === 408) {
    return {
      kind: "transient",
      status,
      code,
      text,
      cause: "status",
      retryAfterMs: parseRetryAfter(answer.retryAfter, nowMs),
    };
  }
  if (status >= 500) {
    return { kind: "transient", status, code, text, cause: "status", retryAfterMs: null };
  }
  return { kind: "bad_request", status, code, text };
}

export interface BotDeliveryDecision extends DeliveryDecision {
  /** Set when every bot webhook of the team must go down (the bot left the team or was blocked). */
  disableTeam: string | null;
}

const DONE: Readonly<Record<BotOperation, string>> = {
  post: "Posted to Teams",
  reply: "Posted to Teams as a reply in the thread",
  update: "Updated in Teams",
  delete: "Deleted in Teams",
};

/** What happens next to the message, the channel and the team, and the error-log line. */
export function decideBotDelivery(
  c: BotClassification,
  ctx: DeliveryContext & { operation: BotOperation },
): BotDeliveryDecision {
  switch (c.kind) {
    case "delivered": {
      const id = c.activityId === null ? "" : ` (Teams message id ${c.activityId})`;
      return {
        message: { action: "delivered" },
        channel: { action: "reset_bad_requests" },
        errorLog: null,
        userMessage: `${DONE[ctx.operation]}${ctx.operation === "delete" ? "" : id}.`,
        disableTeam: null,
      };
    }
    case "terminal": {
      const said = c.text === "" ? "" : ` Teams said: "${c.text}"`;
      const what = `${c.sentence} (HTTP ${c.status} ${c.code}).`;
      const label = `${c.status} ${c.code}`;
      if (c.effect === "fail_message") {
        return {
          message: { action: "fail", reason: `${what}${said}` },
          channel: { action: "none" },
          errorLog: { kind: label, action: "Message failed" },
          userMessage: `${what}${said}`,
          disableTeam: null,
        };
      }
      const scope = c.effect === "disable_team" ? "every bot channel of the team" : "the channel";
      return {
        message: { action: "fail", reason: `${what}${said}` },
        channel: { action: "disable", reason: `${what}${said}` },
        errorLog: { kind: label, action: `Message failed; ${scope} disabled` },
        userMessage: `${what} ${scope === "the channel" ? "The channel has" : "Every bot channel of the team has"} been disabled.`,
        disableTeam: c.effect === "disable_team" ? `${what}${said}` : null,
      };
    }
    case "throttled":
    case "transient":
    case "bad_request":
      return { ...decideDelivery(asWebhookClassification(c), ctx), disableTeam: null };
  }
}

/**
 * The bot's answer in the webhook kinds' terms, for callers that only need its broad meaning (the
 * error log's classification column, metrics); decisions are made by decideBotDelivery.
 */
export function webhookClassificationOfBot(c: BotClassification): Classification {
  switch (c.kind) {
    case "delivered":
      return { kind: "delivered" };
    case "terminal":
      if (c.effect !== "fail_message")
        return { kind: "gone", status: 404, text: c.text, reason: "channel_not_found" };
      return c.code === "MessageSizeTooBig"
        ? { kind: "too_large", status: 413, text: c.text }
        : { kind: "bad_request", status: c.status, text: c.text };
    default:
      return asWebhookClassification(c);
  }
}

/** The webhook kinds' classification for the outcomes both share, so one policy decides them. */
function asWebhookClassification(
  c: Extract<BotClassification, { kind: "throttled" | "transient" | "bad_request" }>,
): Classification {
  switch (c.kind) {
    case "throttled":
      return { kind: "throttled", status: c.status, text: c.text, retryAfterMs: c.retryAfterMs };
    case "transient":
      return {
        kind: "transient",
        status: c.status,
        text: c.text,
        cause: c.cause,
        retryAfterMs: c.retryAfterMs,
      };
    case "bad_request":
      return { kind: "bad_request", status: c.status, text: c.text };
  }
}

/**
 * The activity for a message. Text alone is a text activity; with a card or mentions, the text goes
 * into an Adaptive Card and the activity carries the attachment only: Teams splits an activity
 * holding both into two messages and answers without an id, so Herald could neither confirm nor
 * edit it.
 */
export function buildBotActivity(input: MessageInput): PayloadResult {
  const plain = (input.card === undefined || input.card === null) && (input.mentions ?? []).length === 0;
  if (plain) {
    const text = input.text?.trim() === "" ? undefined : input.text;
    if (text === undefined) {
      return {
        ok: false,
        code: "invalid_card",
        message: "There is nothing to send: give a text message or a card.",
      };
    }
    const payload = { type: "message", text, textFormat: "markdown" };
    const body = JSON.stringify(payload);
    const bytes = utf8Length(body);
    if (bytes > MAX_PAYLOAD_BYTES) return tooLarge(bytes);
    return { ok: true, payload, body, bytes, mentionsAsText: false };
  }
  const built = buildTeamsPayload("workflows", input);
  if (!built.ok) return built;
  const { attachments } = built.payload;
  const payload = { type: "message", attachments };
  const body = JSON.stringify(payload);
  return { ok: true, payload, body, bytes: utf8Length(body), mentionsAsText: false };
}

function tooLarge(bytes: number): PayloadResult {
  return {
    ok: false,
    code: "payload_too_large",
    message: `The message is ${bytes} bytes once prepared for Teams, over the ${MAX_PAYLOAD_BYTES}-byte (28 KB) limit; shorten it by ${bytes - MAX_PAYLOAD_BYTES} bytes.`,
  };
}

export interface BotConnectorRequest {
  method: "POST" | "PUT" | "DELETE";
  /** Absolute URL under the team's serviceUrl. */
  url: string;
  body: string | null;
}

export interface BotTarget {
  serviceUrl: string;
  /** The Teams channel's conversation id, "19:…@thread.tacv2". */
  channelId: string;
}

/** The conversation of a thread: the channel and the root message ("19:…;messageid=…"). */
export function threadConversationId(channelId: string, rootActivityId: string): string {
  return `${channelId};messageid=${rootActivityId}`;
}

function under(serviceUrl: string, path: string): string {
  return `${serviceUrl.replace(/\/+$/, "")}${path}`;
}

/**
 * The Bot Connector request for one operation. `activity` is the message activity (JSON text) for
 * post, reply and update; update and delete name the Teams message and its thread root.
 */
export function botConnectorRequest(
  target: BotTarget,
  op:
    | { operation: "post"; activity: string }
    | { operation: "reply"; activity: string; rootActivityId: string }
    | { operation: "update"; activity: string; rootActivityId: string; activityId: string }
    | { operation: "delete"; rootActivityId: string; activityId: string },
): BotConnectorRequest {
  const { serviceUrl, channelId } = target;
  switch (op.operation) {
    case "post":
      return {
        method: "POST",
        url: under(serviceUrl, "/v3/conversations"),
        body: `{"isGroup":true,"channelData":{"channel":{"id":${JSON.stringify(channelId)}}},"activity":${op.activity}}`,
      };
    case "reply": {
      const conversation = encodeURIComponent(threadConversationId(channelId, op.rootActivityId));
      return {
        method: "POST",
        url: under(serviceUrl, `/v3/conversations/${conversation}/activities`),
        body: op.activity,
      };
    }
    case "update": {
      const conversation = encodeURIComponent(threadConversationId(channelId, op.rootActivityId));
      const activity = JSON.parse(op.activity) as Record<string, unknown>;
      return {
        method: "PUT",
        url: under(
          serviceUrl,
          `/v3/conversations/${conversation}/activities/${encodeURIComponent(op.activityId)}`,
        ),
        body: JSON.stringify({ ...activity, id: op.activityId }),
      };
    }
    case "delete": {
      const conversation = encodeURIComponent(threadConversationId(channelId, op.rootActivityId));
      return {
        method: "DELETE",
        url: under(
          serviceUrl,
          `/v3/conversations/${conversation}/activities/${encodeURIComponent(op.activityId)}`,
        ),
        body: null,
      };
    }
  }
}

/** `@Herald link ABCD-2345` with the mention markup removed: the code, or null when it is not a link command. */
export function parseLinkCommand(text: string): string | null {
  const plain = text
    .replace(/<at>[^<]*<\/at>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/gi, " ")
    .trim();
  const match = /^(?:@\S+\s+)?link\s+([A-Za-z0-9-]{4,32})\s*$/i.exec(plain);
  return match?.[1] ? normaliseLinkCode(match[1]) : null;
}

/** Link codes are read without dashes or case, so "abcd 2345" typed by hand still matches. */
export function normaliseLinkCode(code: string): string {
  return code.replace(/[^A-Za-z0-9]/g, "").toUpperCase();
}

const LINK_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/** An 8-character link code ("K7QX-M2PD", 40 bits) from caller-supplied random bytes; no 0/O, 1/I. */
export function formatLinkCode(random: Uint8Array): string {
  if (random.length < 8) throw new RangeError("formatLinkCode: needs 8 random bytes");
  let code = "";
  for (let i = 0; i < 8; i++) code += LINK_ALPHABET[(random[i] ?? 0) % LINK_ALPHABET.length];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * Whether Herald's bot may talk to a serviceUrl (an activity's, or a stored team's): its host must be
 * on HERALD_BOT_SERVICE_URLS, over https; a loopback or private host only when listed exactly, and
 * then plain http is allowed too (the emulator has no TLS). Answers the reason when it may not.
 */
export function serviceUrlProblem(serviceUrl: string, allowedHosts: readonly string[]): string | null {
  let url: URL;
  try {
    url = new URL(serviceUrl);
  } catch {
    return "the serviceUrl is not a URL";
  }
  if (url.username !== "" || url.password !== "") return "the serviceUrl carries credentials";
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const match = matchHost(host, allowedHosts);
  if (match === null) return `${host} is not on HERALD_BOT_SERVICE_URLS`;
  const internal = isLoopbackHost(host) || isInternalAddress(host);
  if (internal && match !== "explicit") return `${host} is a loopback or private address not named exactly`;
  if (url.protocol === "https:") return null;
  if (url.protocol === "http:" && match === "explicit" && isLoopbackHost(host)) return null;
  return "the serviceUrl must use https://";
}

/**
 * What the outbox holds for a bot message: the operation, the Herald message it names (replies,
 * updates, deletes) and the activity. Stored as the message's payload, so a reply or an edit is
 * queued behind earlier work on its channel like any send.
 */
export type BotEnvelope =
  | { op: "post"; activity: Record<string, unknown> }
  | { op: "reply"; replyTo: string; activity: Record<string, unknown> }
  | { op: "update"; target: string; activity: Record<string, unknown> }
  | { op: "delete"; target: string };

export function parseBotEnvelope(text: string): BotEnvelope | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isJsonObject(value)) return null;
  const activity = isJsonObject(value.activity) ? value.activity : null;
  if (value.op === "post" && activity) return { op: "post", activity };
  if (value.op === "reply" && activity && typeof value.replyTo === "string") {
    return { op: "reply", replyTo: value.replyTo, activity };
  }
  if (value.op === "update" && activity && typeof value.target === "string") {
    return { op: "update", target: value.target, activity };
  }
  if (value.op === "delete" && typeof value.target === "string")
    return { op: "delete", target: value.target };
  return null;
}
