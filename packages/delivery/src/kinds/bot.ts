// Herald's own Teams bot: new threads, replies, updates and deletes through the Bot Connector,
// confirmed with Teams' message ids. The channel task reserves the per-thread windows (a Herald
// channel is one Teams channel); this module adds the per-Teams-tenant window, which every channel
// of the tenant and every replica share, and records the ids Teams gave each post.
import {
  type BotClassification,
  type BotConnectorRequest,
  type BotEnvelope,
  botConnectorRequest,
  buildBotActivity,
  classifyBotAnswer,
  DEFAULT_RETRY,
  type DeliveryDecision,
  decideBotDelivery,
  decideDelivery,
  parseBotEnvelope,
  webhookClassificationOfBot,
} from "@herald/core";
import {
  type BotMessageRow,
  type BotTargetRow,
  botTargetsOf,
  type ClaimedChannel,
  type DueMessage,
  getBotMessages,
  markBotMessage,
  recordBotMessage,
  settleTenantSend,
} from "@herald/db";
import { disableBotTeam } from "../bot-team.ts";
import type { ChannelTaskEnv, SendOutcome } from "../channel-task.ts";
import { recordSend } from "../outcome.ts";
import { takeTenantSlot } from "../tenant-window.ts";
import type { EndpointKind } from "./index.ts";

/** How long a send waits for the tenant window before it hands the message back to the queue. */
const MAX_TENANT_WAIT_MS = 3_000;

type Prepared =
  | {
      ok: true;
      request: BotConnectorRequest;
      envelope: BotEnvelope;
      target: BotTargetRow;
      named: BotMessageRow | null;
    }
  | { ok: false; reason: string };

async function prepare(env: ChannelTaskEnv, message: DueMessage): Promise<Prepared> {
  const { ctx } = env;
  if (ctx.config.bot === undefined) {
    return {
      ok: false,
      reason:
        "Herald's Teams bot is not configured on this server (HERALD_BOT_APP_ID and HERALD_BOT_APP_SECRET).",
    };
  }
  const envelope = message.payload === null ? null : parseBotEnvelope(message.payload);
  if (envelope === null) return { ok: false, reason: "The message body was purged or is not a bot message." };
  const [target] = await botTargetsOf(ctx.sql, { webhookIds: [message.webhookId] });
  if (target === undefined)
    return { ok: false, reason: "The webhook's Teams team is no longer known to Herald." };
  const botTarget = { serviceUrl: target.serviceUrl, channelId: target.channelId };
  if (envelope.op === "post") {
    return {
      ok: true,
      envelope,
      target,
      named: null,
      request: botConnectorRequest(botTarget, {
        operation: "post",
        activity: JSON.stringify(envelope.activity),
      }),
    };
  }
  const namedId = envelope.op === "reply" ? envelope.replyTo : envelope.target;
  const [named] = await getBotMessages(ctx.sql, { tenantId: message.tenantId, messageIds: [namedId] });
  if (named === undefined || named.rootActivityId === "") {
    return {
      ok: false,
      reason: `Message ${namedId} was never posted to Teams (it failed, or Teams did not name it), so it cannot be ${envelope.op === "reply" ? "replied to" : envelope.op === "update" ? "updated" : "deleted"}.`,
    };
  }
  if (named.teamsChannelId !== target.channelId) {
    return { ok: false, reason: `Message ${namedId} was posted to another Teams channel.` };
  }
  if (named.deletedAt !== null) return { ok: false, reason: `Message ${namedId} was deleted in Teams.` };
  if (envelope.op === "reply") {
    return {
      ok: true,
      envelope,
      target,
      named,
      request: botConnectorRequest(botTarget, {
        operation: "reply",
        activity: JSON.stringify(envelope.activity),
        rootActivityId: named.rootActivityId,
      }),
    };
  }
  if (named.activityId === null)
    return { ok: false, reason: `Teams did not name message ${namedId}, so it cannot be changed.` };
  const request =
    envelope.op === "update"
      ? botConnectorRequest(botTarget, {
          operation: "update",
          activity: JSON.stringify(envelope.activity),
          rootActivityId: named.rootActivityId,
          activityId: named.activityId,
        })
      : botConnectorRequest(botTarget, {
          operation: "delete",
          rootActivityId: named.rootActivityId,
          activityId: named.activityId,
        });
  return { ok: true, envelope, target, named, request };
}

const deliverBotMessage: NonNullable<EndpointKind["deliver"]> = async (
  env,
  channel,
  message,
  health,
  attempted,
  now,
) => {
  const { badRequests } = health;
  const { ctx } = env;
  const prepared = await prepare(env, message);
  const config = ctx.config.bot;
  if (!prepared.ok || config === undefined) {
    const reason = prepared.ok ? "Herald's Teams bot is not configured on this server." : prepared.reason;
    return record(env, channel, message, badRequests, attempted, failure(reason), null, "bad_request", null);
  }
  const inputs = {
    attempts: message.attempts + 1,
    queuedAtMs: message.createdAt.getTime(),
    consecutiveBadRequests: badRequests,
    random: Math.random,
    retry: { ...DEFAULT_RETRY, maxAgeMs: ctx.config.retryMaxAgeMs },
    throttlePauseMs: 60_000,
    operation: prepared.envelope.op,
  };
  const tenantSlot = await takeTenantSlot(
    {
      sql: ctx.sql,
      guardMs: ctx.config.rateGuardMs,
      running: env.running,
      onWait: () => ctx.metrics.countRateLimitWait("window"),
    },
    {
      teamsTenantId: prepared.target.teamsTenantId,
      timeoutMs: ctx.config.sendTimeoutMs,
      maxWaitMs: MAX_TENANT_WAIT_MS,
    },
  );
  if (tenantSlot === null) {
    const nowMs = now();
    const decision = decideBotDelivery(
      { kind: "throttled", status: 429, code: null, text: "", retryAfterMs: 1_000 },
      { ...inputs, nowMs },
    );
    return record(
      env,
      channel,
      message,
      badRequests,
      attempted,
      {
        ...decision,
        errorLog: null,
        channel: { action: "none" },
        message: { action: "retry", atMs: nowMs + 1_000 },
        userMessage:
          "Waiting for Teams' limit of 50 requests per second for this Teams organization; the message is queued.",
      },
      null,
      "throttled",
      null,
    );
  }
  const client = ctx.bot;
  if (client === undefined) throw new Error("a bot webhook is due but this runtime has no bot client");
  const answer = await client.send(prepared.request, ctx.config.sendTimeoutMs);
  await settleTenantSend(ctx.sql, { teamsTenantId: prepared.target.teamsTenantId, slot: tenantSlot });
  if (answer.type === "refused") {
    const decision: DeliveryDecision = {
      message: { action: "fail", reason: answer.reason },
      channel: { action: "disable", reason: answer.reason },
      errorLog: { kind: "serviceUrl Not Allowed", action: "Message failed; channel disabled" },
      userMessage: answer.reason,
    };
    return record(env, channel, message, 0, attempted, decision, null, "refused", null);
  }
  const nowMs = now();
  const classification = classifyBotAnswer(answer, nowMs);
  const decision = decideBotDelivery(classification, { ...inputs, nowMs });
  if (classification.kind === "delivered") await remember(env, message, prepared, classification);
  const httpStatus = answer.type === "response" ? answer.status : null;
  const outcome = await record(
    env,
    channel,
    message,
    badRequests,
    attempted,
    decision,
    httpStatus,
    classification.kind,
    classification,
  );
  if (decision.disableTeam !== null) {
    await disableBotTeam(ctx, { teamId: prepared.target.teamId, reason: decision.disableTeam, httpStatus });
  }
  return outcome;
};

function failure(reason: string): DeliveryDecision {
  return {
    message: { action: "fail", reason },
    channel: { action: "none" },
    errorLog: { kind: "Not Sendable", action: "Message failed" },
    userMessage: reason,
  };
}

/** Keeps what Teams called the post (for replies, updates and deletes naming it later). */
async function remember(
  env: ChannelTaskEnv,
  message: DueMessage,
  prepared: Extract<Prepared, { ok: true }>,
  c: Extract<BotClassification, { kind: "delivered" }>,
): Promise<void> {
  const { sql } = env.ctx;
  const { envelope, target, named } = prepared;
  if (envelope.op === "post" || envelope.op === "reply") {
    const root =
      envelope.op === "reply"
        ? (named?.rootActivityId ?? "")
        : (c.conversationId?.split(";messageid=")[1] ?? c.activityId ?? "");
    await recordBotMessage(sql, {
      messageId: message.id,
      tenantId: message.tenantId,
      webhookId: message.webhookId,
      teamsChannelId: target.channelId,
      activityId: c.activityId,
      rootActivityId: root,
    });
    return;
  }
  await markBotMessage(sql, {
    tenantId: message.tenantId,
    messageId: envelope.target,
    change: envelope.op === "update" ? "updated" : "deleted",
  });
}

async function record(
  env: ChannelTaskEnv,
  channel: ClaimedChannel,
  message: DueMessage,
  badRequests: number,
  attempted: boolean,
  decision: DeliveryDecision,
  httpStatus: number | null,
  classification: string,
  bot: BotClassification | null,
): Promise<SendOutcome> {
  return recordSend(env, {
    channelId: channel.id,
    message,
    decision,
    httpStatus,
    teamsText: bot !== null && "text" in bot ? bot.text : null,
    classification,
    previousBadRequests: badRequests,
    attempted,
    confirmation: decision.message.action === "delivered" ? "posted" : undefined,
  });
}

export const bot: EndpointKind = {
  name: "bot",
  ratePolicy: (config) => config.botPolicy,
  buildPayload: (input) => {
    const built = buildBotActivity(input);
    if (!built.ok) return built;
    const body = JSON.stringify({ op: "post", activity: built.payload });
    return { ...built, body, bytes: Buffer.byteLength(body) };
  },
  classify: (answer, nowMs) => webhookClassificationOfBot(classifyBotAnswer(answer, nowMs)),
  // The channel task calls send(); these two give the answer its broad meaning for other callers.
  decide: decideDelivery,
  deliver: deliverBotMessage,
};
