// One channel task: sends a leased channel's due messages in FIFO order while the rate windows of
// its URL allow, records each outcome, and hands the channel back with the time it may send next.
// Everything kind-specific comes from the channel's EndpointKind.
import {
  DEFAULT_RETRY,
  type DeliveryContext as DecisionInputs,
  longestPeriodMs,
  nextSendAt,
  parseRatePolicy,
  type RatePolicy,
  withGuard,
} from "@herald/core";
import type { Batcher, ClaimedChannel, DueMessage, OutcomeWithUsage, SendReservation } from "@herald/db";
import type { DeliveryContext } from "./context.ts";
import type { EntraTokens } from "./entra-tokens.ts";
import { type EndpointKind, endpointKind } from "./kinds/index.ts";
import { applyDecision, failUnsendable, markWaiting, recordSend, type SendOutcome } from "./outcome.ts";
import type { Poster } from "./poster.ts";

/** The statements every send makes, batched across one worker's concurrent channel tasks. */
export interface ChannelStatements {
  readonly reservations: Batcher<SendReservation, { atMs: number; slotId: string | null } | null>;
  readonly settlements: Batcher<string, number>;
  readonly outcomes: Batcher<OutcomeWithUsage, undefined>;
  readonly dueLists: Batcher<string, DueMessage[]>;
  readonly recentSends: Batcher<{ channelId: string; windowMs: number }, number[]>;
  readonly releases: Batcher<{ channelId: string; notBefore: Date | null; delivered?: boolean }, undefined>;
}

export interface ChannelTaskOptions {
  /** Longest pause a task sleeps while holding its lease before it hands the channel back. */
  readonly maxHoldMs: number;
  /** Most messages one task sends before giving other channels their turn. */
  readonly fairnessBudget: number;
}

export interface ChannelTaskEnv {
  readonly ctx: DeliveryContext;
  readonly poster: Poster;
  /** Entra tokens for flows restricted to a tenant's users, shared by the worker's channel tasks. */
  readonly tokens: EntraTokens;
  readonly statements: ChannelStatements;
  readonly options: ChannelTaskOptions;
  /** False once the worker is stopping: the task finishes the send in flight and hands back. */
  readonly running: () => boolean;
  /**
   * Every slot of the worker is taken. A task whose next send must wait for a rate window then
   * hands its channel back at once instead of sleeping in a slot another ready channel could use.
   */
  readonly crowded: () => boolean;
}

export type { SendOutcome } from "./outcome.ts";

/** The kind's policy, or a webhook's own for this URL (checked when it was set; a bad one falls back). */
export function ratePolicyOf(
  kind: EndpointKind,
  ctx: DeliveryContext,
  override: string | null = null,
): RatePolicy {
  const own = override === null ? null : parseRatePolicy(override);
  const base = own?.ok ? own.policy : kind.ratePolicy(ctx.config);
  return base.length > 0 ? withGuard(base, ctx.config.rateGuardMs) : base;
}

export async function serveChannel(env: ChannelTaskEnv, channel: ClaimedChannel): Promise<void> {
  const { ctx, statements } = env;
  // All rate arithmetic and every time written back (retries, pauses) run on the database clock,
  // shared by every replica: the runtime's clock, offset to the database's at the claim.
  const offset = channel.dbNow.getTime() - ctx.clock.now().getTime();
  const now = () => ctx.clock.now().getTime() + offset;
  const kind = endpointKind(channel.kind);
  const policy = ratePolicyOf(kind, ctx, channel.ratePolicy);
  const windowMs = longestPeriodMs(policy);
  let badRequests = channel.consecutiveBadRequests;
  let notBefore: number | null = channel.pausedUntil ? channel.pausedUntil.getTime() : null;
  let sent = 0;
  let delivered = false;
  let pauseProbes = channel.pauseProbes;
  const urls = new Map<string, string>();

  try {
    // The channel's recent sends and its first due messages in one round trip, not two: a
    // synchronous sendMessage waits for both before its post.
    const [sends, firstBatch] = await Promise.all([
      windowMs > 0 ? statements.recentSends.submit({ channelId: channel.id, windowMs }) : Promise.resolve([]),
      notBefore === null || notBefore <= now() ? statements.dueLists.submit(channel.id) : undefined,
    ]);
    let prefetched = firstBatch;
    work: while (env.running() && (notBefore === null || notBefore <= now())) {
      notBefore = null;
      const batch = prefetched ?? (await statements.dueLists.submit(channel.id));
      prefetched = undefined;
      if (batch.length === 0) break;
      for (const message of batch) {
        if (!env.running()) break work;
        if (!message.webhookActive || message.webhookDeleted) {
          await failUnsendable(ctx, message);
          continue;
        }
        if (windowMs > 0) {
          const at = nextSendAt(policy, pruneOld(sends, now(), windowMs), now());
          if (at > now()) {
            ctx.metrics.countRateLimitWait("window");
            if (at - now() > (env.crowded() ? 0 : env.options.maxHoldMs)) {
              notBefore = at;
              await markWaiting(ctx, message, at);
              break work;
            }
            await delay(at - now());
          }
        }
        const reserved = await statements.reservations.submit({
          channelId: channel.id,
          messageId: message.id,
          record: windowMs > 0,
        });
        if (reserved === null) return; // lease lost: another worker serves this channel now
        // Without windows the attempt is counted with the outcome (see reserveSends).
        const outcome = await send(
          env,
          kind,
          channel,
          message,
          { badRequests, pauseProbes },
          windowMs === 0,
          urls,
          now,
        );
        if (reserved.slotId !== null) sends.push(await statements.settlements.submit(reserved.slotId));
        badRequests = outcome.badRequests;
        if (outcome.delivered) {
          delivered = true;
          pauseProbes = 0;
        }
        sent++;
        if (outcome.pauseUntil !== null) {
          notBefore = outcome.pauseUntil;
          break work;
        }
        if (outcome.disabled) break work;
        if (sent >= env.options.fairnessBudget) break work;
      }
    }
  } finally {
    await statements.releases.submit({
      channelId: channel.id,
      notBefore: notBefore === null ? null : new Date(notBefore),
      delivered,
    });
  }
}

async function send(
  env: ChannelTaskEnv,
  kind: EndpointKind,
  channel: ClaimedChannel,
  message: DueMessage,
  health: { badRequests: number; pauseProbes: number },
  attempted: boolean,
  urls: Map<string, string>,
  now: () => number,
): Promise<SendOutcome> {
  if (kind.deliver !== undefined) return kind.deliver(env, channel, message, health, attempted, now);
  const { badRequests } = health;
  const { ctx } = env;
  const started = now();
  if (message.urlCiphertext === null || message.urlKeyId === null) {
    return refuse(ctx, channel, message, "the webhook has no URL.");
  }
  // One decryption per webhook per channel visit, not per message.
  let url = urls.get(message.webhookId);
  if (url === undefined) {
    url = ctx.keys.decryptUrl(message.urlCiphertext, message.urlKeyId);
    urls.set(message.webhookId, url);
  }
  const inputs = (nowMs: number): DecisionInputs => ({
    attempts: message.attempts + 1,
    queuedAtMs: message.createdAt.getTime(),
    nowMs,
    consecutiveBadRequests: badRequests,
    random: Math.random,
    retry: { ...DEFAULT_RETRY, maxAgeMs: ctx.config.retryMaxAgeMs },
    throttlePauseMs: 60_000,
    pauseProbes: health.pauseProbes,
    withEntraApp: message.entraAppId !== null,
  });
  const payload = message.payload;
  const answer =
    payload === null
      ? ({ type: "network_error", error: "message body was purged before delivery" } as const)
      : kind.send
        ? await kind.send(
            { url, body: payload, message },
            { poster: env.poster, tokens: env.tokens },
            inputs(now()),
          )
        : await env.poster.post(url, payload);
  const nowMs = now();
  if (answer.type === "refused") return refuse(ctx, channel, message, answer.reason);
  const classification = answer.type === "decided" ? null : kind.classify(answer, nowMs);
  const decision =
    answer.type === "decided"
      ? answer.decision
      : kind.decide(classification ?? { kind: "delivered" }, inputs(nowMs));
  const httpStatus = answer.type === "response" ? answer.status : null;
  const teamsText =
    answer.type === "decided"
      ? answer.text
      : classification !== null && "text" in classification
        ? classification.text
        : null;
  return recordSend(env, {
    channelId: channel.id,
    message,
    decision,
    httpStatus,
    teamsText,
    classification: answer.type === "decided" ? answer.classification : (classification?.kind ?? "delivered"),
    previousBadRequests: badRequests,
    attempted,
    confirmation: decision.message.action === "delivered" ? (kind.confirmation ?? "posted") : undefined,
    elapsedMs: now() - started,
  });
}

/** Herald itself refused to post (SSRF guard): nothing was sent; the channel is disabled with the reason. */
async function refuse(
  ctx: DeliveryContext,
  channel: ClaimedChannel,
  message: DueMessage,
  reason: string,
): Promise<SendOutcome> {
  const sentence = `Herald refused to post to this webhook URL: ${reason}`;
  const applied = await applyDecision(ctx, {
    channelId: channel.id,
    message,
    decision: {
      message: { action: "fail", reason: sentence },
      channel: { action: "disable", reason: sentence },
      errorLog: { kind: "URL Not Allowed", action: "Message failed; channel disabled" },
      userMessage: sentence,
    },
    httpStatus: null,
    teamsText: null,
    classification: "refused",
    previousBadRequests: 0,
  });
  for (const id of applied.finishedMessageIds) ctx.signals.messageFinished(id);
  ctx.logger.warn({ messageId: message.id, webhookId: message.webhookId }, "post refused by the SSRF guard");
  return { badRequests: 0, pauseUntil: null, disabled: true, delivered: false };
}

function pruneOld(sends: number[], nowMs: number, windowMs: number): number[] {
  let drop = 0;
  while (drop < sends.length && (sends[drop] ?? 0) <= nowMs - windowMs) drop++;
  if (drop > 0) sends.splice(0, drop);
  return sends;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
