// Outcome recording: turns a delivery decision into database state, in one transaction (the
// message, the channel's health, webhooks disabled with their queued messages failed, the error
// log and usage counters), or into a plain outcome the worker batches with other channels'.
import { CONNECTION_TEST_SOURCE, type DeliveryDecision } from "@herald/core";
import {
  addFailedUsage,
  addUsage,
  type Batcher,
  type DueMessage,
  disableChannelWebhooks,
  type ErrorLogEntry,
  failQueuedMessages,
  insertErrorLog,
  markMessageWaiting,
  type OutcomeWithUsage,
  recordMessageOutcome,
  setChannelHealth,
  stateEntry,
  type UsageIncrement,
} from "@herald/db";
import { type DeliveryContext, utcDay } from "./context.ts";

export interface AppliedDecision {
  finishedMessageIds: string[];
}

/** One send's decision and what Teams answered, as applyDecision and recordSend record it. */
export interface DecidedSend {
  channelId: string;
  message: DueMessage;
  decision: DeliveryDecision;
  httpStatus: number | null;
  teamsText: string | null;
  classification: string;
  previousBadRequests: number;
  /** Count the attempt with the outcome (a channel without windows; see reserveSends). */
  attempted?: boolean;
  /** How a delivered message was confirmed (posted by a connector, accepted by a flow). */
  confirmation?: "posted" | "accepted" | undefined;
}

export async function applyDecision(ctx: DeliveryContext, params: DecidedSend): Promise<AppliedDecision> {
  const { channelId, message, decision } = params;
  const day = utcDay(ctx.clock.now());
  const usage: UsageIncrement[] = [];
  // Connection tests are delivered like any message but are not usage.
  const metered = message.source !== CONNECTION_TEST_SOURCE;
  const count = (
    counter: UsageIncrement["counter"],
    m: { tenantId: string; instanceId: string; id: string },
  ) => {
    if (m.id !== message.id || metered)
      usage.push({ tenantId: m.tenantId, instanceId: m.instanceId, day, counter, amount: 1 });
  };
  const finished: string[] = [];
  const disabledWebhooks: { id: string; tenantId: string }[] = [];

  await ctx.sql.begin(async (tx) => {
    const m = decision.message;
    switch (m.action) {
      case "delivered":
        await recordMessageOutcome(tx, {
          id: message.id,
          status: "delivered",
          statusMessage: decision.userMessage,
          lastHttpStatus: params.httpStatus,
          attempted: params.attempted,
          confirmation: params.confirmation,
        });
        count("messagesSent", message);
        if (params.confirmation === "accepted") count("messagesAcceptedByFlow", message);
        finished.push(message.id);
        break;
      case "retry":
      case "wait":
        await recordMessageOutcome(tx, {
          id: message.id,
          status: "queued",
          statusMessage: decision.userMessage,
          lastHttpStatus: params.httpStatus,
          dueAt: m.action === "retry" ? new Date(m.atMs) : undefined,
          attempted: params.attempted,
        });
        if (m.action === "wait") count("messagesThrottled", message);
        break;
      case "fail":
        await recordMessageOutcome(tx, {
          id: message.id,
          status: "failed",
          statusMessage: decision.userMessage,
          lastHttpStatus: params.httpStatus,
          attempted: params.attempted,
        });
        count("messagesFailed", message);
        finished.push(message.id);
        break;
    }

    const log: ErrorLogEntry[] = [];
    if (decision.errorLog) {
      log.push({
        tenantId: message.tenantId,
        instanceId: message.instanceId,
        webhookId: message.webhookId,
        messageId: message.id,
        httpStatus: params.httpStatus,
        kind: decision.errorLog.kind,
        classification: params.classification,
        teamsText: params.teamsText,
        action: decision.errorLog.action,
      });
    }

    const c = decision.channel;
    // A failure or a retry (not a rate-limit wait) is a failure in a row; a success clears the count on release.
    const failedNow = m.action === "fail" || m.action === "retry";
    if (failedNow && c.action === "none") {
      await setChannelHealth(tx, { channelId, failed: true });
    }
    if (c.action === "reset_bad_requests" && params.previousBadRequests !== 0) {
      await setChannelHealth(tx, { channelId, consecutiveBadRequests: 0 });
    } else if (c.action === "count_bad_request") {
      await setChannelHealth(tx, { channelId, consecutiveBadRequests: c.consecutive, failed: failedNow });
    } else if (c.action === "pause") {
      await setChannelHealth(tx, {
        channelId,
        pausedUntil: new Date(c.untilMs),
        pause: { reason: c.reason ?? null, probes: c.probes ?? 0 },
        failed: m.action !== "wait" || c.reason !== undefined,
      });
    } else if (c.action === "disable") {
      await setChannelHealth(tx, {
        channelId,
        consecutiveBadRequests: 0,
        pausedUntil: null,
        pause: { reason: null, probes: 0 },
        failed: true,
      });
      const disabled = await disableChannelWebhooks(tx, {
        tenantId: message.tenantId,
        channelId,
        reason: c.reason,
      });
      disabledWebhooks.push(...disabled);
      const failed = await failQueuedMessages(tx, {
        webhookIds: disabled.map((w) => w.id),
        statusMessage: `Not delivered: the channel was disabled. ${c.reason}`,
      });
      for (const f of failed) {
        count("messagesFailed", f);
        finished.push(f.id);
      }
      for (const w of disabled) {
        const failedHere = failed.filter((f) => f.webhookId === w.id).length;
        const cause = log[0];
        // The webhook whose message caused the disabling has one event, the error entry: it says
        // what else failed with it rather than a second row repeating the reason.
        if (w.id === message.webhookId && cause?.webhookId === w.id) {
          if (failedHere > 0)
            cause.action = `${cause.action}; ${failedHere} queued message${failedHere === 1 ? "" : "s"} failed with it`;
          continue;
        }
        log.push(
          stateEntry({
            tenantId: w.tenantId,
            instanceId: w.instanceId,
            webhookId: w.id,
            httpStatus: params.httpStatus,
            kind: "Channel disabled",
            action: `Channel alerts disabled: ${c.reason} ${failedHere === 0 ? "No queued message failed" : `${failedHere} queued message${failedHere === 1 ? "" : "s"} failed`}.`,
          }),
        );
      }
    }
    await insertErrorLog(tx, log);
    await addUsage(tx, usage);
  });
  countOutcome(
    ctx,
    message,
    decision,
    usage.map((u) => u.counter),
  );
  ctx.signals.webhooksDisabled(disabledWebhooks);
  return { finishedMessageIds: finished };
}

/**
 * The decision as a plain outcome the worker can batch with other channels' (recordOutcomes), or
 * null when it needs applyDecision's transaction: a channel health change or an error log entry.
 */
export function plainOutcome(params: {
  message: DueMessage;
  decision: DeliveryDecision;
  httpStatus: number | null;
  previousBadRequests: number;
  attempted: boolean;
  confirmation?: "posted" | "accepted" | undefined;
}): OutcomeWithUsage | null {
  const { message, decision } = params;
  const c = decision.channel;
  const channelUnchanged =
    c.action === "none" || (c.action === "reset_bad_requests" && params.previousBadRequests === 0);
  if (!channelUnchanged || decision.errorLog) return null;
  const m = decision.message;
  const metered = message.source !== CONNECTION_TEST_SOURCE;
  const counter =
    !metered || m.action === "retry"
      ? null
      : m.action === "delivered"
        ? "messagesSent"
        : m.action === "fail"
          ? "messagesFailed"
          : "messagesThrottled";
  return {
    id: message.id,
    tenantId: message.tenantId,
    instanceId: message.instanceId,
    status: m.action === "delivered" ? "delivered" : m.action === "fail" ? "failed" : "queued",
    statusMessage: decision.userMessage,
    lastHttpStatus: params.httpStatus,
    dueAt: m.action === "retry" ? new Date(m.atMs) : undefined,
    attempted: params.attempted,
    confirmation: params.confirmation,
    counter,
  };
}

/** Prometheus counters, after the commit so a rolled-back decision counts nothing. */
export function countOutcome(
  ctx: DeliveryContext,
  message: DueMessage,
  decision: DeliveryDecision,
  counters: readonly UsageIncrement["counter"][],
) {
  const { metrics } = ctx;
  // The usage counters already hold every finished message, including those failed with a disabled channel.
  for (const counter of counters) {
    if (counter === "messagesSent") metrics.countMessages("delivered");
    else if (counter === "messagesFailed") metrics.countMessages("failed");
  }
  const action = decision.message.action;
  const nowMs = ctx.clock.now().getTime();
  if (action === "delivered") metrics.observeDelivery("delivered", message.createdAt, nowMs);
  else if (action === "fail") metrics.observeDelivery("failed", message.createdAt, nowMs);
  else if (action === "retry") metrics.countMessages("retrying");
  else metrics.countRateLimitWait("teams");
}

/** A message whose webhook was deleted or made inactive after it was queued fails with that reason. */
export async function failUnsendable(ctx: DeliveryContext, message: DueMessage): Promise<void> {
  const reason = message.webhookDeleted
    ? "Not delivered: the webhook was deleted."
    : `Not delivered: the webhook is inactive.${message.disabledReason ? ` ${message.disabledReason}` : ""}`;
  await ctx.sql.begin(async (tx) => {
    await recordMessageOutcome(tx, {
      id: message.id,
      status: "failed",
      statusMessage: reason,
      lastHttpStatus: null,
    });
    await addFailedUsage(tx, [message], utcDay(ctx.clock.now()));
  });
  ctx.metrics.countMessages("failed");
  ctx.signals.messageFinished(message.id);
}

/** The message waits for the channel's rate windows; its status says until when. */
export async function markWaiting(
  ctx: DeliveryContext,
  message: Pick<DueMessage, "id">,
  atMs: number,
): Promise<void> {
  await markMessageWaiting(ctx.sql, {
    id: message.id,
    statusMessage: `Waiting for Teams' rate limit on this channel; it allows the next post at ${new Date(atMs).toISOString()}.`,
    at: new Date(atMs),
  });
}

/** What the channel task learns from one recorded send. */
export interface SendOutcome {
  badRequests: number;
  pauseUntil: number | null;
  disabled: boolean;
  delivered: boolean;
}

/**
 * Records one send's decision: a plain outcome goes into the statement shared with other channels
 * (the common case: delivered, or a plain retry), anything else through applyDecision's transaction;
 * waiting callers are told, and the channel task learns the channel's next state.
 */
export async function recordSend(
  env: { ctx: DeliveryContext; statements: { outcomes: Batcher<OutcomeWithUsage, undefined> } },
  params: DecidedSend & {
    attempted: boolean;
    confirmation: "posted" | "accepted" | undefined;
    /** For the log line of a send that made an error-log entry. */
    elapsedMs?: number;
  },
): Promise<SendOutcome> {
  const { ctx } = env;
  const { message, decision, httpStatus, previousBadRequests } = params;
  const plain = plainOutcome({
    message,
    decision,
    httpStatus,
    previousBadRequests,
    attempted: params.attempted,
    confirmation: params.confirmation,
  });
  if (plain) {
    await env.statements.outcomes.submit(plain);
    countOutcome(ctx, message, decision, plain.counter ? [plain.counter] : []);
    if (plain.status !== "queued") {
      ctx.signals.messageFinished(message.id, {
        status: plain.status,
        statusMessage: plain.statusMessage,
        lastHttpStatus: plain.lastHttpStatus,
      });
    }
  } else {
    const applied = await applyDecision(ctx, params);
    for (const id of applied.finishedMessageIds) ctx.signals.messageFinished(id);
    if (decision.errorLog) {
      ctx.logger.warn(
        {
          messageId: message.id,
          webhookId: message.webhookId,
          status: httpStatus,
          kind: decision.errorLog.kind,
          ...(params.elapsedMs === undefined ? {} : { ms: params.elapsedMs }),
        },
        decision.errorLog.action,
      );
    }
  }
  const c = decision.channel;
  return {
    badRequests:
      c.action === "count_bad_request" ? c.consecutive : c.action === "none" ? previousBadRequests : 0,
    pauseUntil: c.action === "pause" ? c.untilMs : null,
    disabled: c.action === "disable",
    delivered: decision.message.action === "delivered",
  };
}
