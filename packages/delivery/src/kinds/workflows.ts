// Power Automate Workflows ("When a Teams webhook request is received"): Adaptive Cards in a
// message envelope; a 202 means the flow accepted the request, not that it posted it.
import { buildTeamsPayload, classifyTeamsAnswer, decideDelivery } from "@herald/core";
import type { EndpointKind } from "./index.ts";

export const workflows: EndpointKind = {
  name: "workflows",
  ratePolicy: (config) => config.workflowsPolicy,
  buildPayload: (input) => buildTeamsPayload("workflows", input),
  classify: (answer, nowMs) => classifyTeamsAnswer("workflows", answer, nowMs),
  decide: decideDelivery,
};
