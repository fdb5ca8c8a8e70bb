// What to do after Teams answered: the message's next step, the channel's, and the error-log line.
import type { Classification } from "./classify.ts";
import { decideFlowAnswer } from "./flow-policy.ts";
import { formatDuration, formatUtcTime } from "./format.ts";

export interface RetryConfig {
  baseMs: number;
  factor: number;
  capMs: number;
  maxAgeMs: number;
}

export const DEFAULT_RETRY: RetryConfig = Object.freeze({
  baseMs: 1_000,
  factor: 2,
  capMs: 300_000,
  maxAgeMs: 86_400_000,
});

/** A 429 never pauses for less than Teams' shortest window, whatever Retry-After says. */
export const MIN_THROTTLE_PAUSE_MS = 1_000;
/** Full jitter can draw ~0; a floor keeps a flapping endpoint from being hit in a tight loop. */
export const MIN_RETRY_DELAY_MS = 250;
/** Autotask's rule: an unexplained refusal is tolerated five times in a row; the sixth disables. */
export const MAX_CONSECUTIVE_BAD_REQUESTS = 5;

export interface DeliveryContext {
  /** Attempts made so far, including the one being judged. */
  attempts: number;
  queuedAtMs: number;
  nowMs: number;
  /** Consecutive refusals on this channel before this answer. */
  consecutiveBadRequests: number;
  /** Uniform in [0, 1), for jitter. */
  random: () => number;
  retry: RetryConfig;
  throttlePauseMs: number;
  /** Who answered, in sentences: "Teams" (default) or "Power Automate". */
  speaker?: "Teams" | "Power Automate";
  /** Probes of a paused flow made so far (0 or absent when the channel was not paused). */
  pauseProbes?: number;
  /** Whether the webhook calls its flow with an Entra app's token. */
  withEntraApp?: boolean;
}

export type MessageAction =
  | { action: "delivered" }
  | { action: "retry"; atMs: number }
  | { action: "wait"; atMs: number }
  | { action: "fail"; reason: string };

export type ChannelAction =
  | { action: "none" }
  | { action: "reset_bad_requests" }
  | { action: "count_bad_request"; consecutive: number }
  /** With a reason the pause is shown on the webhook (a turned-off flow); without, it is a rate-limit pause. */
  | { action: "pause"; untilMs: number; reason?: string; probes?: number }
  | { action: "disable"; reason: string };

export interface ErrorLogEntry {
  kind: string;
  action: string;
}

export type DeliveryDecision = {
  message: MessageAction;
  channel: ChannelAction;
  errorLog: ErrorLogEntry | null;
  userMessage: string;
};

/**
 * Exponential backoff with full jitter: uniform in [0, min(cap, base * factor^(attempts-1))), so that
 * many messages failing together (an outage) do not come back together; never below MIN_RETRY_DELAY_MS.
 */
export function backoffDelayMs(attempts: number, random: () => number, retry: RetryConfig): number {
  const exponent = Math.max(0, attempts - 1);
  const ceiling = Math.min(retry.capMs, retry.baseMs * retry.factor ** exponent);
  const r = random();
  const unit = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0;
  return Math.max(MIN_RETRY_DELAY_MS, Math.floor(unit * ceiling));
}

const STATUS_LABELS: Readonly<Record<number, string>> = {
  401: "Unauthorized",
  403: "Forbidden",
  405: "Method Not Allowed",
  409: "Conflict",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
};

/**
 * Refusals legacy connectors explain in words: named after them, they are not an "Unknown Error"
 * (Autotask's name for a 400 whose reason cannot be read).
 */
const KNOWN_REFUSALS: ReadonlyArray<readonly [RegExp, string]> = [
  [/bad payload received by generic incoming webhook/i, "Bad Payload"],
  [/summary or text is required/i, "Summary or Text Required"],
];

/** The answerer's own words, quoted after our sentence, so that punctuation in them cannot garble ours. */
function said(text: string, who: string = "Teams"): string {
  return text === "" ? "" : ` ${who} said: "${text}"`;
}

export function decideDelivery(c: Classification, ctx: DeliveryContext): DeliveryDecision {
  const who = ctx.speaker ?? "Teams";
  switch (c.kind) {
    case "accepted":
    case "flow_off":
    case "flow_deleted":
    case "flow_unauthorized": {
      const decision = decideFlowAnswer(c, ctx);
      if (decision !== null) return decision;
      throw new Error(`no decision for ${c.kind}`);
    }

    case "delivered":
      return {
        message: { action: "delivered" },
        channel: { action: "reset_bad_requests" },
        errorLog: null,
        userMessage: "Delivered to Teams.",
      };

    case "gone": {
      const what =
        c.reason === "connector_removed"
          ? "The connector was removed in Teams (HTTP 410)"
          : "The Teams channel or its webhook no longer exists (HTTP 404)";
      return {
        message: { action: "fail", reason: `${what}.${said(c.text, who)}` },
        channel: { action: "disable", reason: `${what}.${said(c.text, who)}` },
        errorLog: {
          kind: c.status === 410 ? "410 Invalid Webhook" : "404 Channel Not Found",
          action: "Message failed; channel disabled",
        },
        userMessage: `${what}; the channel has been disabled.`,
      };
    }

    case "throttled": {
      const pause = Math.min(
        Math.max(c.retryAfterMs ?? ctx.throttlePauseMs, MIN_THROTTLE_PAUSE_MS),
        ctx.retry.maxAgeMs,
      );
      const until = ctx.nowMs + pause;
      const at = formatUtcTime(until);
      return {
        message: { action: "wait", atMs: until },
        channel: { action: "pause", untilMs: until },
        errorLog: { kind: "429 Rate Limited", action: `Paused until ${at}; message will be retried` },
        userMessage: `${who} is rate limiting this channel (HTTP 429); the message is queued and will be sent after ${at}.`,
      };
    }

    case "too_large":
      return {
        message: {
          action: "fail",
          reason: `${who} refused the message as too large (HTTP 413).${said(c.text, who)}`,
        },
        channel: { action: "none" },
        errorLog: { kind: "413 Payload Too Large", action: "Message failed" },
        userMessage: `${who} refused the message as too large (HTTP 413); keep messages under 28 KB.`,
      };

    case "bad_request":
    case "redirect":
      return refusal(c, ctx);

    case "transient":
      return transient(c, ctx);
  }
}

/** Refusals Teams did not explain (and redirects, which are never followed) count toward disabling. */
function refusal(
  c: Extract<Classification, { kind: "bad_request" | "redirect" }>,
  ctx: DeliveryContext,
): DeliveryDecision {
  const who = ctx.speaker ?? "Teams";
  const consecutive = ctx.consecutiveBadRequests + 1;
  const disable = consecutive > MAX_CONSECUTIVE_BAD_REQUESTS;
  const what =
    c.kind === "redirect"
      ? `${who} answered with a redirect (HTTP ${c.status}), which is never followed; check the webhook URL`
      : c.status >= 200 && c.status < 300
        ? `${who} answered HTTP ${c.status} without confirming the message`
        : `${who} refused the message (HTTP ${c.status})`;
  const label =
    c.kind === "redirect"
      ? "Redirect"
      : (KNOWN_REFUSALS.find(([pattern]) => pattern.test(c.text))?.[1] ??
        (c.status === 400 ? "Unknown Error" : (STATUS_LABELS[c.status] ?? "Unknown Error")));
  const streak = `${consecutive} refusals in a row`;
  return {
    message: { action: "fail", reason: `${what}.${said(c.text, who)}` },
    channel: disable
      ? { action: "disable", reason: `${what} (${streak}).${said(c.text, who)}` }
      : { action: "count_bad_request", consecutive },
    errorLog: {
      kind: `${c.status} ${label}`,
      action: disable ? `Message failed; channel disabled after ${streak}` : "Message failed",
    },
    userMessage: disable
      ? `${what}; the channel has been disabled after ${streak}.${said(c.text, who)}`
      : `${what}.${said(c.text, who)}`,
  };
}

function transient(
  c: Extract<Classification, { kind: "transient" }>,
  ctx: DeliveryContext,
): DeliveryDecision {
  const who = ctx.speaker ?? "Teams";
  const cause = c.cause ?? (c.status === null ? "network_error" : "status");
  const detail = c.text === "" ? "" : ` (${c.text})`;
  const what =
    cause === "timeout"
      ? `${who} did not answer in time${detail}`
      : cause === "network_error"
        ? `${who} could not be reached${detail}`
        : `${who} answered HTTP ${c.status}`;
  const quoted = cause === "status" ? said(c.text, who) : "";
  const kind =
    cause === "timeout"
      ? "Timeout"
      : cause === "network_error"
        ? "Network Error"
        : c.status === 408
          ? "408 Request Timeout"
          : c.status !== null && c.status >= 500 && c.status < 600
            ? `${c.status} Server Error`
            : `${c.status} Unexpected Status`;

  const delay = Math.max(backoffDelayMs(ctx.attempts, ctx.random, ctx.retry), c.retryAfterMs ?? 0);
  const ageMs = ctx.nowMs - ctx.queuedAtMs;
  if (ageMs + delay > ctx.retry.maxAgeMs) {
    const gaveUp = `gave up after ${ctx.attempts} ${ctx.attempts === 1 ? "attempt" : "attempts"} over ${formatDuration(ageMs)}`;
    return {
      message: { action: "fail", reason: `${what}; ${gaveUp}.${quoted}` },
      channel: { action: "none" },
      errorLog: { kind, action: `Message failed; ${gaveUp}` },
      userMessage: `${what}; ${gaveUp}.${quoted}`,
    };
  }
  const atMs = ctx.nowMs + delay;
  const next = ctx.attempts + 1;
  return {
    message: { action: "retry", atMs },
    channel: { action: "none" },
    errorLog: { kind, action: `Retrying in ${formatDuration(delay)} (attempt ${next})` },
    userMessage: `${what}; the message is queued and will be retried at ${formatUtcTime(atMs)} (attempt ${next}).${quoted}`,
  };
}
