// The outbox payload of a bot message: the activity, wrapped with its operation and the Herald
// message it names. A reply must name an earlier Herald message to the same Teams channel.
import { type BotEnvelope, buildBotActivity, type MessageInput, parseBotEnvelope } from "@herald/core";
import { getMessage, getMessagePayload, type WebhookRow } from "@herald/db";
import type { AppContext } from "../../context.ts";
import { DomainError } from "../../errors.ts";

export type BuiltBotPayload = { body: string; bytes: number };

function built(envelope: BotEnvelope): BuiltBotPayload {
  const body = JSON.stringify(envelope);
  return { body, bytes: Buffer.byteLength(body) };
}

export function activityOrThrow(input: MessageInput): Record<string, unknown> {
  const activity = buildBotActivity(input);
  if (!activity.ok) {
    throw new DomainError(
      activity.code === "payload_too_large" ? "payload_too_large" : "invalid_request",
      activity.message,
      { field: activity.code === "invalid_card" ? "card" : "textMessage" },
    );
  }
  return activity.payload;
}

/** A new thread, or with replyTo a reply in the thread of an earlier message to the same channel. */
export async function botSendPayload(
  ctx: AppContext,
  params: { tenantId: string; webhook: WebhookRow; input: MessageInput; replyTo: string | undefined },
): Promise<BuiltBotPayload> {
  const activity = activityOrThrow(params.input);
  if (params.replyTo === undefined) return built({ op: "post", activity });
  const root = await getMessage(ctx.sql, { tenantId: params.tenantId, messageId: params.replyTo });
  if (root === undefined || root.channelId !== params.webhook.channelId) {
    throw new DomainError(
      "invalid_request",
      `replyTo must be the messageId of an earlier message to this Teams channel; ${params.replyTo} is not one.`,
      { field: "replyTo" },
    );
  }
  if (root.status === "failed") {
    throw new DomainError(
      "invalid_request",
      `Message ${params.replyTo} was not posted to Teams (it failed), so there is no thread to reply in.`,
      { field: "replyTo" },
    );
  }
  return built({ op: "reply", replyTo: await threadStarter(ctx, params.tenantId, params.replyTo), activity });
}

/** Replying to a reply lands in the same thread: the envelope names what the worker can resolve. */
async function threadStarter(ctx: AppContext, tenantId: string, messageId: string): Promise<string> {
  const payload = await getMessagePayload(ctx.sql, { tenantId, messageId });
  const envelope = payload ? parseBotEnvelope(payload) : null;
  if (envelope?.op === "update" || envelope?.op === "delete") {
    throw new DomainError(
      "invalid_request",
      `Message ${messageId} is an ${envelope.op} of ${envelope.target}; reply to ${envelope.target} instead.`,
      { field: "replyTo" },
    );
  }
  return messageId;
}
