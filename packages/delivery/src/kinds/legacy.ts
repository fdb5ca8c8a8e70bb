// Office 365 connector Incoming Webhooks (`*.webhook.office.com/webhookb2/…`): retired by Microsoft
// in 2026 but still served for operators who run their own hosts. Success is HTTP 200 with "1";
// errors often arrive inside a 200 body ("Microsoft Teams endpoint returned HTTP error 429").
import {
  buildTeamsPayload,
  classifyTeamsAnswer,
  decideDelivery,
  LEGACY_CONNECTOR_POLICY,
} from "@herald/core";
import type { EndpointKind } from "./index.ts";

export const legacyConnector: EndpointKind = {
  name: "legacy",
  ratePolicy: () => LEGACY_CONNECTOR_POLICY,
  buildPayload: (input) => buildTeamsPayload("legacy", input),
  classify: (answer, nowMs) => classifyTeamsAnswer("legacy", answer, nowMs),
  decide: decideDelivery,
};
