// Office 365 connector Incoming Webhooks (`*.webhook.office.com/webhookb2/…`): retired by Microsoft
// in 2026 but still served for operators who run their own hosts. Success is HTTP 200 with "1";
// errors often arrive inside a 200 body ("Microsoft Teams endpoint returned HTTP error 429").
import {
  buildTeamsPayload,
  CONNECTOR_RETIRED_HINT,
  classifyTeamsAnswer,
  type DeliveryDecision,
  decideDelivery,
} from "@herald/core";

/** A connector Teams calls gone is disabled with the sentence that says why connectors go now. */
function withRetirement(decision: DeliveryDecision): DeliveryDecision {
  const c = decision.channel;
  if (c.action !== "disable") return decision;
  return { ...decision, channel: { ...c, reason: `${c.reason} ${CONNECTOR_RETIRED_HINT}` } };
}

import type { EndpointKind } from "./index.ts";

export const legacyConnector: EndpointKind = {
  name: "legacy",
  ratePolicy: (config) => config.legacyPolicy,
  buildPayload: (input) => buildTeamsPayload("legacy", input),
  classify: (answer, nowMs) => classifyTeamsAnswer("legacy", answer, nowMs),
  decide: (classification, inputs) => {
    const decision = decideDelivery(classification, inputs);
    return classification.kind === "gone" ? withRetirement(decision) : decision;
  },
};
