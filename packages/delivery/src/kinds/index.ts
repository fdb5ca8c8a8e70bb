// One module per Teams endpoint kind. Everything that differs between kinds (the default rate
// policy, the body Teams expects, what its answers mean, what the caller is told) is behind this
// interface, so the claim loop and the channel task never branch on a kind.
import type {
  Classification,
  DeliveryContext as DecisionInputs,
  DeliveryDecision,
  MessageInput,
  PayloadResult,
  RatePolicy,
  TeamsAnswer,
  UrlKind,
} from "@herald/core";
import type { DeliveryConfig } from "../context.ts";
import { legacyConnector } from "./legacy.ts";
import { workflows } from "./workflows.ts";

export interface EndpointKind {
  readonly name: UrlKind;
  /** Teams' limits for one URL of this kind, before the operator's guard is added. */
  ratePolicy(config: DeliveryConfig): RatePolicy;
  /** The final request body for a message, built once when the message is accepted. */
  buildPayload(input: MessageInput): PayloadResult;
  /** What the endpoint's answer (or the lack of one) means. */
  classify(answer: TeamsAnswer, nowMs: number): Classification;
  /** The message's and the channel's next step, the error-log line and the caller's sentence. */
  decide(classification: Classification, inputs: DecisionInputs): DeliveryDecision;
}

const KINDS: Readonly<Record<UrlKind, EndpointKind>> = {
  legacy: legacyConnector,
  workflows,
};

export function endpointKind(kind: UrlKind): EndpointKind {
  return KINDS[kind];
}
