// What Teams meant: turns an HTTP answer (or the lack of one) into a delivery outcome.
import { parseRetryAfter } from "./retry-after.ts";
import { collapseText } from "./text.ts";
import type { UrlKind } from "./url.ts";

export type TeamsAnswer =
  | { type: "response"; status: number; body: string; retryAfter?: string | null }
  | { type: "network_error"; error: string }
  | { type: "timeout"; error: string };

export type TransientCause = "status" | "network_error" | "timeout";

/** Power Automate's own refusals, named by the JSON error code of its answer. */
export type FlowRefusal =
  /** 400 WorkflowTriggerIsNotEnabled: the flow is turned off. */
  | "flow_off"
  /** 404 WorkflowNotFound / WorkflowTriggerVersionNotFound: the flow was deleted. */
  | "flow_deleted"
  /** 401/403 DirectApiAuthorizationRequired, MisMatchingOAuthClaims…: the caller is not one the flow accepts. */
  | "flow_unauthorized";

export type Classification =
  | { kind: "delivered" }
  /** Power Automate accepted the request (202); the flow posts it, or fails where only its owner sees. */
  | { kind: "accepted"; status: number }
  | { kind: FlowRefusal; status: number; code: string; text: string }
  | { kind: "throttled"; status: number; text: string; retryAfterMs: number | null; code?: string }
  | { kind: "gone"; status: 410 | 404; text: string; reason: "connector_removed" | "channel_not_found" }
  | { kind: "too_large"; status: 413; text: string }
  | { kind: "bad_request"; status: number; text: string; code?: string }
  | {
      kind: "transient";
      status: number | null;
      text: string;
      /** Absent means: a network error when status is null, an HTTP status otherwise. */
      cause?: TransientCause;
      /** A 503 may say when to come back; absent or null when it did not. */
      retryAfterMs?: number | null;
    }
  | { kind: "redirect"; status: number; text: string };

// Legacy connectors answer 200 and report the real outcome in the body:
// "Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 429 with ContextId ..."
const EMBEDDED_ERROR = /HTTP error (\d{3})\b/i;

export function classifyTeamsAnswer(kind: UrlKind, answer: TeamsAnswer, nowMs: number): Classification {
  switch (answer.type) {
    case "network_error":
      return { kind: "transient", status: null, text: collapseText(answer.error), cause: "network_error" };
    case "timeout":
      return { kind: "transient", status: null, text: collapseText(answer.error), cause: "timeout" };
    case "response":
      return classifyResponse(kind, answer, nowMs);
  }
}

function classifyResponse(
  kind: UrlKind,
  answer: { status: number; body: string; retryAfter?: string | null },
  nowMs: number,
): Classification {
  const { status, body } = answer;
  const text = collapseText(body);
  const retryAfterMs = () => parseRetryAfter(answer.retryAfter, nowMs);
  if (kind === "workflows") return classifyFlowAnswer(status, body, text, retryAfterMs);
  if (status < 200 || status >= 300) return classifyStatus(status, text, retryAfterMs);

  if (status === 200 && /^\d+$/.test(body.trim())) return { kind: "delivered" };
  const embedded = EMBEDDED_ERROR.exec(body);
  const embeddedStatus = embedded ? Number(embedded[1]) : null;
  if (embeddedStatus !== null && (embeddedStatus < 200 || embeddedStatus >= 300)) {
    return classifyStatus(embeddedStatus, text, retryAfterMs);
  }
  // A legacy 2xx that is neither "1" nor a recognisable error did not post anything we can vouch for.
  return { kind: "bad_request", status, text };
}

const FLOW_CODES: Readonly<Record<string, FlowRefusal>> = {
  workflowtriggerisnotenabled: "flow_off",
  workflownotfound: "flow_deleted",
  workflowtriggerversionnotfound: "flow_deleted",
  workflowtriggernotfound: "flow_deleted",
  directapiauthorizationrequired: "flow_unauthorized",
  mismatchingoauthclaims: "flow_unauthorized",
  directapiinvalidauthorizationscheme: "flow_unauthorized",
  invalidauthenticationtoken: "flow_unauthorized",
};

/** `{"error":{"code","message"}}`, Power Automate's error body; null when the body is not one. */
export function powerAutomateError(body: string): { code: string; message: string } | null {
  if (!body.trimStart().startsWith("{")) return null;
  try {
    const parsed: unknown = JSON.parse(body);
    const error = (parsed as { error?: unknown } | null)?.error as
      | { code?: unknown; message?: unknown }
      | undefined;
    if (typeof error?.code !== "string") return null;
    return { code: error.code, message: typeof error.message === "string" ? error.message : "" };
  } catch {
    return null;
  }
}

/**
 * Power Automate answers by status and names the reason in a JSON error code. The code decides
 * where it is known (a turned-off flow answers 400, which by status alone would count toward
 * disabling the channel); otherwise the status does, as for any HTTP endpoint. Any 2xx means
 * only that the request was accepted: the flow runs afterwards.
 */
function classifyFlowAnswer(
  status: number,
  body: string,
  text: string,
  retryAfterMs: () => number | null,
): Classification {
  if (status >= 200 && status < 300) return { kind: "accepted", status };
  const error = powerAutomateError(body);
  const said = error === null ? text : collapseText(`${error.code}: ${error.message}`);
  const refusal = error === null ? undefined : FLOW_CODES[error.code.toLowerCase()];
  if (refusal !== undefined && error !== null && status >= 400 && status < 500) {
    return { kind: refusal, status, code: error.code, text: said };
  }
  const classified = classifyStatus(status, said, retryAfterMs);
  if (error !== null && (classified.kind === "throttled" || classified.kind === "bad_request")) {
    return { ...classified, code: error.code };
  }
  return classified;
}

function classifyStatus(status: number, text: string, retryAfterMs: () => number | null): Classification {
  if (status === 429) return { kind: "throttled", status, text, retryAfterMs: retryAfterMs() };
  if (status === 410) return { kind: "gone", status, text, reason: "connector_removed" };
  if (status === 404) return { kind: "gone", status, text, reason: "channel_not_found" };
  if (status === 413) return { kind: "too_large", status, text };
  if (status === 408) return { kind: "transient", status, text, cause: "status" };
  if (status >= 300 && status < 400) return { kind: "redirect", status, text };
  if (status >= 400 && status < 500) return { kind: "bad_request", status, text };
  if (status >= 500 && status < 600) {
    return { kind: "transient", status, text, cause: "status", retryAfterMs: retryAfterMs() };
  }
  // 1xx as a final answer or a number outside HTTP: a broken hop on the way, worth another try.
  return { kind: "transient", status, text, cause: "status" };
}
