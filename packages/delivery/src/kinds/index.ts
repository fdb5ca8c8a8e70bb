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
import { longestPeriodMs } from "@herald/core";
import type { ClaimedChannel, DueMessage } from "@herald/db";
import type { ChannelTaskEnv, SendOutcome } from "../channel-task.ts";
import type { DeliveryConfig } from "../context.ts";
import type { EntraTokens } from "../entra-tokens.ts";
import type { Poster, RefusedPost } from "../poster.ts";
import { bot } from "./bot.ts";
import { legacyConnector } from "./legacy.ts";
import { workflows } from "./workflows.ts";

/** One post of one message: where, what, and whose message it is. */
export interface Delivery {
  readonly url: string;
  readonly body: string;
  readonly message: DueMessage;
}

/** What a kind may use to post. */
export interface SendTools {
  readonly poster: Poster;
  readonly tokens: EntraTokens;
}

/**
 * A send that ended before the endpoint could answer, with the kind's own decision (Entra refused
 * the token a restricted flow needs: nothing was posted).
 */
export interface DecidedWithoutAnswer {
  type: "decided";
  decision: DeliveryDecision;
  /** The error log's classification ("entra_refused"). */
  classification: string;
  /** The refusing service's own words, for the error log. */
  text: string;
}

export type SendResult = TeamsAnswer | RefusedPost | DecidedWithoutAnswer;

export type EndpointKindName = UrlKind | "bot";

export interface EndpointKind {
  readonly name: EndpointKindName;
  /** Teams' limits for one URL of this kind, before the operator's guard is added. */
  ratePolicy(config: DeliveryConfig): RatePolicy;
  /** The final request body for a message, built once when the message is accepted. */
  buildPayload(input: MessageInput): PayloadResult;
  /** What the endpoint's answer (or the lack of one) means. */
  classify(answer: TeamsAnswer, nowMs: number): Classification;
  /** The message's and the channel's next step, the error-log line and the caller's sentence. */
  decide(classification: Classification, inputs: DecisionInputs): DeliveryDecision;
  /** Posts one message the way the endpoint wants it; absent: a plain JSON POST. */
  send?(delivery: Delivery, tools: SendTools, inputs: DecisionInputs): Promise<SendResult>;
  /** How a delivered message was confirmed: posted to the channel (default) or accepted by a flow. */
  readonly confirmation?: "posted" | "accepted";
  /**
   * A kind that is not a webhook URL delivers a message itself (the bot: its own routes, token,
   * Teams ids and per-tenant window) and records the outcome; webhook kinds leave that to the task.
   */
  deliver?(
    env: ChannelTaskEnv,
    channel: ClaimedChannel,
    message: DueMessage,
    health: { badRequests: number; pauseProbes: number },
    attempted: boolean,
    /** The task's clock, offset to the database's (see serveChannel). */
    now: () => number,
  ): Promise<SendOutcome>;
}

const KINDS: Readonly<Record<EndpointKindName, EndpointKind>> = {
  legacy: legacyConnector,
  workflows,
  bot,
};

export function endpointKind(kind: EndpointKindName): EndpointKind {
  return KINDS[kind];
}

/** The longest rate window of any kind: how long a URL's sends must be remembered. */
export function longestWindowMs(config: DeliveryConfig): number {
  return Math.max(0, ...Object.values(KINDS).map((kind) => longestPeriodMs(kind.ratePolicy(config))));
}
