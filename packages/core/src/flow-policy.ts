// Power Automate Workflows: the default rate policy, what each of Power Automate's refusals does to
// the message and the channel, the probing of a turned-off flow, and the warnings a webhook carries.
import type { Classification } from "./classify.ts";
import type { ChannelAction, DeliveryContext, DeliveryDecision } from "./delivery-policy.ts";
import { formatDuration, formatUtcTime } from "./format.ts";
import type { RatePolicy } from "./rate.ts";
import type { UrlKind } from "./url.ts";

/**
 * Microsoft throttles more than 4 requests a second to one Workflows webhook, and Microsoft 365
 * ("Low") plans allow 4,500 trigger calls per 5 minutes.
 */
export const WORKFLOWS_DEFAULT_RATE = "4/1s,4500/300s";
export const WORKFLOWS_DEFAULT_POLICY: RatePolicy = Object.freeze([
  Object.freeze({ limit: 4, periodMs: 1_000 }),
  Object.freeze({ limit: 4500, periodMs: 300_000 }),
]);

/**
 * How long a turned-off flow is left alone before the next probe: a person turns a flow back on
 * within minutes or not for hours, so the probes start close together and then space out.
 */
export const FLOW_OFF_PROBE_DELAYS_MS: readonly number[] = Object.freeze([
  60_000, 300_000, 1_800_000, 3_600_000,
]);

/** The delay before probe number `probes + 1`; the last step repeats. */
export function flowOffProbeDelayMs(probes: number): number {
  const index = Math.min(Math.max(0, Math.floor(probes)), FLOW_OFF_PROBE_DELAYS_MS.length - 1);
  return FLOW_OFF_PROBE_DELAYS_MS[index] ?? 3_600_000;
}

export const FLOW_OFF_SENTENCE =
  "The flow behind this webhook is turned off in Power Automate; turn it on and Herald resumes.";
export const ACCEPTED_BY_FLOW_SENTENCE =
  "Accepted by Power Automate (HTTP 202); the flow posts it to the channel.";

/** Power Automate's words after ours, quoted, so that its punctuation cannot garble our sentence. */
function paSaid(text: string): string {
  return text === "" ? "" : ` Power Automate said: "${text}"`;
}

type FlowContext = DeliveryContext;

/** Shared by a turned-off flow and a token Entra refused: wait, probing with backoff, until the retry age runs out. */
function pausedWithProbes(
  ctx: FlowContext,
  what: { reason: string; logKind: string; status: number | null; quoted: string },
): DeliveryDecision {
  const probes = ctx.pauseProbes ?? 0;
  const delay = flowOffProbeDelayMs(probes);
  const ageMs = ctx.nowMs - ctx.queuedAtMs;
  const until = ctx.nowMs + delay;
  const at = formatUtcTime(until);
  const pause: ChannelAction = { action: "pause", untilMs: until, reason: what.reason, probes: probes + 1 };
  if (ageMs + delay > ctx.retry.maxAgeMs) {
    const gaveUp = `gave up after ${formatDuration(ageMs)}`;
    return {
      message: { action: "fail", reason: `${what.reason} Not delivered: ${gaveUp}.${what.quoted}` },
      channel: pause,
      errorLog: {
        kind: what.logKind,
        action: `Message failed (${gaveUp}); channel paused, next check at ${at}`,
      },
      userMessage: `${what.reason} Not delivered: ${gaveUp}.`,
    };
  }
  return {
    message: { action: "wait", atMs: until },
    channel: pause,
    errorLog: { kind: what.logKind, action: `Channel paused; message queued; next check at ${at}` },
    userMessage: `${what.reason} The message is queued; Herald checks again at ${at}.`,
  };
}

/** The decision for Power Automate's own answers; null for those any endpoint gives (handled generically). */
export function decideFlowAnswer(c: Classification, ctx: FlowContext): DeliveryDecision | null {
  switch (c.kind) {
    case "accepted":
      return {
        message: { action: "delivered" },
        channel: { action: "reset_bad_requests" },
        errorLog: null,
        userMessage: ACCEPTED_BY_FLOW_SENTENCE.replace("HTTP 202", `HTTP ${c.status}`),
      };
    case "flow_off":
      return pausedWithProbes(ctx, {
        reason: FLOW_OFF_SENTENCE,
        logKind: `${c.status} Flow Turned Off`,
        status: c.status,
        quoted: paSaid(c.text),
      });
    case "flow_deleted": {
      const what = `The flow behind this webhook was deleted in Power Automate (HTTP ${c.status} ${c.code}); create a new Workflows webhook in Teams and move this webhook to its URL.`;
      return {
        message: { action: "fail", reason: `${what}${paSaid(c.text)}` },
        channel: { action: "disable", reason: what },
        errorLog: { kind: `${c.status} Flow Deleted`, action: "Message failed; channel disabled" },
        userMessage: `Not delivered: ${what}`,
      };
    }
    case "flow_unauthorized": {
      const what =
        ctx.withEntraApp === true
          ? `The flow refused the Entra app's token (HTTP ${c.status} ${c.code}); make sure the flow's "Who can trigger the flow" setting admits the Entra app's tenant and object id, then activate the webhook.`
          : `The flow accepts only callers from a Microsoft Entra tenant (HTTP ${c.status} ${c.code}); attach an Entra app of that tenant to this webhook, then activate it.`;
      return {
        message: { action: "fail", reason: `${what}${paSaid(c.text)}` },
        channel: { action: "disable", reason: what },
        errorLog: { kind: `${c.status} Flow Unauthorized`, action: "Message failed; channel disabled" },
        userMessage: `Not delivered: ${what}`,
      };
    }
    default:
      return null;
  }
}

/** Entra refused Herald's token request (a wrong secret, an unknown app…): nothing was posted. */
export function decideTokenRefusal(
  refusal: { code: string; description: string; appName: string },
  ctx: FlowContext,
): DeliveryDecision {
  const reason = `Microsoft Entra refused a token for the Entra app "${refusal.appName}" (${refusal.code}); correct the app's client id or secret in Herald (add the app again and attach it to the webhook), then activate the webhook.`;
  return pausedWithProbes(ctx, {
    reason,
    logKind: `Entra ${refusal.code}`,
    status: null,
    quoted: ` Entra said: "${refusal.description}"`,
  });
}

export interface WebhookWarning {
  code: "connector_retired" | "flow_inactive" | "workflows_url_retired";
  message: string;
}

/** Microsoft turns a flow off after 90 days without a successful run on Microsoft 365 plans; warn 10 days ahead. */
export const FLOW_INACTIVITY_WARNING_MS = 80 * 86_400_000;

/** Added to the reason a connector Teams calls gone is disabled with: why connectors go now, and the way out. */
export const CONNECTOR_RETIRED_HINT =
  "Microsoft retired Office 365 connectors in 2026; create a Workflows webhook in the channel and use Move to Workflows (the webhook ID stays the same).";

export const CONNECTOR_RETIRED_MESSAGE =
  "Microsoft retired Office 365 connectors in 2026: this Incoming Webhook URL no longer posts to Teams. " +
  'In the Teams channel, create a Workflows webhook ("Post to a channel when a webhook request is received"), ' +
  "then choose Move to Workflows here and paste its URL: the webhook ID stays the same, so your apps change nothing.";

/** What a webhook shows beside its state: things the tenant should act on before they fail. */
export function webhookWarnings(w: {
  kind: UrlKind;
  host: string;
  createdAtMs: number;
  lastSuccessAtMs: number | null;
  nowMs: number;
}): WebhookWarning[] {
  const warnings: WebhookWarning[] = [];
  if (w.kind === "legacy") warnings.push({ code: "connector_retired", message: CONNECTOR_RETIRED_MESSAGE });
  if (w.kind === "workflows" && /\.logic\.azure\.com$/i.test(w.host)) {
    warnings.push({
      code: "workflows_url_retired",
      message:
        "This is an older logic.azure.com Workflows URL, which stopped working in Microsoft's public cloud on 2025-11-30 (sovereign clouds may still serve it). Copy the flow's current URL from Power Automate and paste it here.",
    });
  }
  const since = w.lastSuccessAtMs ?? w.createdAtMs;
  if (w.kind === "workflows" && w.nowMs - since >= FLOW_INACTIVITY_WARNING_MS) {
    const last =
      w.lastSuccessAtMs === null
        ? "has had no successful post"
        : `last succeeded ${formatUtcTime(w.lastSuccessAtMs)}`;
    warnings.push({
      code: "flow_inactive",
      message: `This webhook ${last} for ${Math.floor((w.nowMs - since) / 86_400_000)} days. Microsoft turns off flows after 90 days without a successful run on Microsoft 365 plans; send a message (or Test this connection) to keep the flow on.`,
    });
  }
  return warnings;
}
