// PATCH and DELETE of a posted bot message: queued on its channel behind earlier work, like a
// send, and reported like one. Webhook kinds cannot do either: Teams gives a webhook post no id.
import type { MessageInput } from "@herald/core";
import { parseBotEnvelope } from "@herald/core";
import { getBotMessages, getMessage, getMessagePayload, type MessageRow } from "@herald/db";
import type { AppContext } from "../../context.ts";
import { requestHash } from "../../crypto.ts";
import { DomainError, found } from "../../errors.ts";
import type { Enqueuer } from "../messages/enqueue.ts";
import type { SendTarget } from "../messages/send.ts";
import { cachedWebhook } from "../messages/webhook-cache.ts";
import { activityOrThrow } from "./payload.ts";

export type BotEdit = { op: "update"; input: MessageInput } | { op: "delete" };

export async function editBotMessage({
  ctx,
  enqueuer,
  target,
  messageId,
  edit,
}: {
  ctx: AppContext;
  enqueuer: Enqueuer;
  target: SendTarget;
  messageId: string;
  edit: BotEdit;
}): Promise<{ message: MessageRow; edited: string }> {
  const original = found(
    await getMessage(ctx.sql, { tenantId: target.tenantId, messageId }),
    "message",
    messageId,
  );
  const webhook = await cachedWebhook(ctx, target.tenantId, original.webhookId);
  if (webhook === undefined || webhook.instanceId !== target.instanceId) {
    throw new DomainError("not_found", `No message with id ${messageId} in this instance.`);
  }
  const verb = edit.op === "update" ? "edit" : "delete";
  if (webhook.kind !== "bot") {
    throw new DomainError(
      "not_supported",
      `Message ${messageId} went to a ${webhook.kind === "workflows" ? "Workflows" : "legacy connector"} webhook, and webhooks cannot ${verb} a posted message: Teams gives a webhook post no id. Send through a bot channel (a webhook created with teamsChannel) to ${verb} messages later.`,
    );
  }
  const payload = await getMessagePayload(ctx.sql, { tenantId: target.tenantId, messageId });
  const envelope = payload ? parseBotEnvelope(payload) : null;
  if (envelope?.op === "update" || envelope?.op === "delete") {
    throw new DomainError(
      "not_supported",
      `Message ${messageId} is an ${envelope.op} of ${envelope.target}; ${verb} ${envelope.target} instead.`,
    );
  }
  if (original.status === "failed") {
    throw new DomainError(
      "invalid_request",
      `Message ${messageId} was not posted to Teams (it failed), so there is nothing to ${verb}.`,
    );
  }
  if (!webhook.active) {
    throw new DomainError(
      "webhook_inactive",
      `Webhook ${webhook.id} (${webhook.name}) is ${webhook.disabledReason ? `disabled: ${webhook.disabledReason}` : "inactive"}`,
    );
  }
  const body =
    edit.op === "update"
      ? JSON.stringify({ op: "update", target: messageId, activity: activityOrThrow(edit.input) })
      : JSON.stringify({ op: "delete", target: messageId });
  const id = ctx.ids.id("msg");
  await enqueuer.enqueue({
    message: {
      id,
      tenantId: target.tenantId,
      instanceId: target.instanceId,
      webhookId: webhook.id,
      channelId: webhook.channelId,
      bindingKeyId: target.bindingKeyId,
      payload: body,
      payloadBytes: Buffer.byteLength(body),
      source: null,
      idempotencyKey: null,
      requestHash: requestHash([edit.op, messageId, body]),
      statusMessage: edit.op === "update" ? "Update queued." : "Delete queued.",
    },
    monthlyLimit: target.monthlyLimit,
    planName: target.planName,
    countsAgainstQuota: target.countsAgainstQuota,
  });
  const now = ctx.clock.now();
  return {
    edited: messageId,
    message: {
      ...original,
      id,
      status: "queued",
      attempts: 0,
      dueAt: now,
      statusMessage: edit.op === "update" ? "Update queued." : "Delete queued.",
      lastHttpStatus: null,
      source: null,
      requestHash: null,
      createdAt: now,
      lastAttemptAt: null,
      finishedAt: null,
      channelReadyAt: null,
    },
  };
}

/** The Teams id of a bot message (or, for an update or delete, of the message it changed). */
export async function teamsMessageIdOf(
  ctx: AppContext,
  tenantId: string,
  messageId: string,
): Promise<string | null> {
  const payload = await getMessagePayload(ctx.sql, { tenantId, messageId });
  const envelope = payload ? parseBotEnvelope(payload) : null;
  const named = envelope?.op === "update" || envelope?.op === "delete" ? envelope.target : messageId;
  const [row] = await getBotMessages(ctx.sql, { tenantId, messageIds: [named] });
  return row?.activityId ?? null;
}
