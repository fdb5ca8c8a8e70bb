// Power Automate Workflows ("When a Teams webhook request is received"): Adaptive Cards in a
// message envelope; a 202 means the flow accepted the request, not that it posted it. Power
// Automate names its refusals in a JSON error code (a turned-off flow pauses the channel, a deleted
// one disables it), and a flow restricted to a tenant's users takes an Entra bearer token.
import {
  buildTeamsPayload,
  classifyTeamsAnswer,
  type DeliveryContext as DecisionInputs,
  decideDelivery,
  decideTokenRefusal,
  type TeamsAnswer,
} from "@herald/core";
import type { RefusedPost } from "../poster.ts";
import type { Delivery, EndpointKind, SendResult, SendTools } from "./index.ts";

/**
 * With an Entra app, the post carries its token; a 401 from the flow gets one fresh token and one
 * more try before it counts (the cached token may have been revoked or expired on the way).
 * Without an Entra app no Authorization header is ever sent.
 */
async function send(delivery: Delivery, tools: SendTools, inputs: DecisionInputs): Promise<SendResult> {
  const { url, body, message } = delivery;
  const appId = message.entraAppId;
  if (appId === null) return tools.poster.post(url, body);
  const post = async (): Promise<SendResult | { token: string; answer: TeamsAnswer | RefusedPost }> => {
    const token = await tools.tokens.get(message.tenantId, appId);
    if (token.ok) {
      const headers = { authorization: `Bearer ${token.token}` };
      return { token: token.token, answer: await tools.poster.post(url, body, headers) };
    }
    if (!token.refused) return { type: "network_error", error: token.description };
    return {
      type: "decided",
      decision: decideTokenRefusal(token, { ...inputs, speaker: "Power Automate" }),
      classification: "entra_refused",
      text: token.description,
    };
  };
  const first = await post();
  if (!("token" in first)) return first;
  if (first.answer.type !== "response" || first.answer.status !== 401) return first.answer;
  tools.tokens.invalidate(appId, first.token);
  const second = await post();
  return "token" in second ? second.answer : second;
}

export const workflows: EndpointKind = {
  name: "workflows",
  ratePolicy: (config) => config.workflowsPolicy,
  buildPayload: (input) => buildTeamsPayload("workflows", input),
  classify: (answer, nowMs) => classifyTeamsAnswer("workflows", answer, nowMs),
  decide: (classification, inputs) =>
    decideDelivery(classification, { ...inputs, speaker: "Power Automate" }),
  send,
  confirmation: "accepted",
};
