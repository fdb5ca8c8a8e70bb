// The answers Teams and Power Automate give, as plain data the server writes out.

import type { Behavior, WebhookKind } from "./types.ts";

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
  delayMs: number;
}

/** "hang" and "reset" give no HTTP answer at all. */
export type Outcome = Answer | "hang" | "reset";

const TEXT = { "content-type": "text/plain; charset=utf-8" };
const HTML = { "content-type": "text/html; charset=utf-8" };
const JSON_TYPE = { "content-type": "application/json; charset=utf-8" };
const NONE: Record<string, string> = {};

/** The body legacy connectors answer (with HTTP 200 or the real status) when Teams refuses a message. */
export function teamsEndpointError(status: number): string {
  return `Microsoft Teams endpoint returned HTTP error ${status} with ContextId tcid=0,server=msgapi-production-eus-azsc2-4-170,cv=deadbeef.0..`;
}

export const BAD_PAYLOAD = "Bad payload received by generic incoming webhook.";
export const SUMMARY_REQUIRED = "Summary or Text is required.";
export const CONNECTOR_GONE = "Connector configuration not found or it has been removed.";
export const CHANNEL_NOT_FOUND = "Webhook channel not found: the channel may have been deleted.";
export const REDIRECT_LOCATION = "http://127.0.0.1:1/elsewhere";
export const GARBAGE = "<html>oops</html>";

function answer(status: number, body: string, headers: Record<string, string>): Answer {
  return { status, headers, body, delayMs: 0 };
}

export const LEGACY_DELIVERED = answer(200, "1", TEXT);
export const WORKFLOWS_ACCEPTED = answer(202, "", NONE);
export const LEGACY_THROTTLED = answer(200, teamsEndpointError(429), TEXT);

/** The answer of a legacy connector to a message that is too large (Teams answers 200, not 413). */
export const LEGACY_TOO_LARGE = answer(200, teamsEndpointError(413), TEXT);

export function legacyRefused(reason: string): Answer {
  return answer(400, reason, TEXT);
}

/** Power Automate's error shape: {"error":{"code","message"}}. */
export function workflowsError(status: number, code: string, message: string, headers = NONE): Answer {
  return answer(status, JSON.stringify({ error: { code, message } }), { ...JSON_TYPE, ...headers });
}

export function workflowsThrottled(retryAfterMs: number): Answer {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return workflowsError(429, "TooManyRequests", `Rate limit is exceeded. Try again in ${seconds} seconds.`, {
    "retry-after": String(seconds),
  });
}

/** A forced answer; "ok" is not one (it depends on the payload) and is handled by the caller. */
export function forcedOutcome(behavior: Exclude<Behavior, "ok">, kind: WebhookKind): Outcome {
  if (typeof behavior === "object") {
    return {
      status: behavior.status,
      headers: behavior.headers ?? NONE,
      body: behavior.body ?? "",
      delayMs: behavior.delayMs ?? 0,
    };
  }
  switch (behavior) {
    case "gone":
      return answer(410, CONNECTOR_GONE, TEXT);
    case "channel_not_found":
      return answer(404, CHANNEL_NOT_FOUND, TEXT);
    case "bad_payload":
      return kind === "legacy"
        ? legacyRefused(BAD_PAYLOAD)
        : workflowsError(400, "InvalidRequestContent", BAD_PAYLOAD);
    case "summary_required":
      return kind === "legacy"
        ? legacyRefused(SUMMARY_REQUIRED)
        : workflowsError(400, "InvalidRequestContent", SUMMARY_REQUIRED);
    case "throttle_body":
      return LEGACY_THROTTLED;
    case "throttle_status":
      return kind === "legacy"
        ? answer(429, teamsEndpointError(429), { ...TEXT, "retry-after": "2" })
        : workflowsThrottled(2_000);
    case "too_large":
      return answer(413, teamsEndpointError(413), TEXT);
    case "server_error":
      return answer(500, "Internal Server Error", TEXT);
    case "error_in_body_500":
      return answer(200, teamsEndpointError(500), TEXT);
    case "redirect":
      return answer(302, "", { location: REDIRECT_LOCATION });
    case "garbage":
      return answer(200, GARBAGE, HTML);
    case "hang":
    case "reset":
      return behavior;
  }
}

const NAMED: ReadonlySet<string> = new Set([
  "ok",
  "gone",
  "channel_not_found",
  "bad_payload",
  "summary_required",
  "throttle_body",
  "throttle_status",
  "too_large",
  "server_error",
  "error_in_body_500",
  "redirect",
  "hang",
  "reset",
  "garbage",
]);

/** Checks a behavior that came over the control API; answers the reason it is not one, or null. */
export function behaviorProblem(value: unknown): string | null {
  if (typeof value === "string") return NAMED.has(value) ? null : `unknown behavior '${value}'`;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return "behavior must be a name or {status, body?, headers?, delayMs?}";
  }
  const { status, body, headers, delayMs } = value as Record<string, unknown>;
  if (typeof status !== "number" || !Number.isInteger(status) || status < 200 || status > 599) {
    return "behavior.status must be a final HTTP status (200..599)";
  }
  if (body !== undefined && typeof body !== "string") return "behavior.body must be a string";
  if (delayMs !== undefined && (typeof delayMs !== "number" || delayMs < 0)) {
    return "behavior.delayMs must be a number >= 0";
  }
  if (headers !== undefined) {
    if (typeof headers !== "object" || headers === null || Array.isArray(headers)) {
      return "behavior.headers must be an object of strings";
    }
    if (Object.values(headers).some((v) => typeof v !== "string")) return "behavior.headers must be strings";
  }
  return null;
}
