// sendMessage(webhookId, textMessage): validate, build the final Teams payload for the webhook's
// URL kind, take quota, and store it durably in the outbox. Delivery is the worker's job.
import { buildTeamsPayload, type CardWarning } from "@herald/core";
import { findByIdempotencyKey, type MessageRow } from "@herald/db";
import type { AppContext } from "../../context.ts";
import { requestHash, sameHash } from "../../crypto.ts";
import { DomainError } from "../../errors.ts";
import { botSendPayload } from "../bot/payload.ts";
import type { License } from "../licenses/authenticate.ts";
import type { Enqueuer } from "./enqueue.ts";
import { cachedWebhook } from "./webhook-cache.ts";

export const IDEMPOTENCY_WINDOW_MS = 24 * 3600 * 1000;

export interface SendMessageInput {
  webhookId: string;
  textMessage?: string | undefined;
  card?: Record<string, unknown> | undefined;
  idempotencyKey?: string | undefined;
  source?: string | undefined;
  mentions?: { id: string; name: string }[] | undefined;
  /** Refuse a card that cannot be converted for the webhook without losing part of it. */
  strictConversion?: boolean | undefined;
  /** Bot webhooks: the messageId of an earlier message to the same channel, to reply in its thread. */
  replyTo?: string | undefined;
}

export const MENTIONS_AS_TEXT_NOTE =
  "Legacy connectors cannot mention people: the names were sent as plain text.";

export interface SendTarget {
  tenantId: string;
  instanceId: string;
  bindingKeyId: string | null;
  planName: string;
  monthlyLimit: number | null;
  countsAgainstQuota: boolean;
}

export function targetOfLicense(license: License): SendTarget {
  return {
    tenantId: license.tenantId,
    instanceId: license.instanceId,
    bindingKeyId: license.bindingKeyId,
    planName: license.plan,
    monthlyLimit: license.billOverage ? null : license.monthlyMessageLimit,
    countsAgainstQuota: true,
  };
}

export async function sendMessage({
  ctx,
  enqueuer,
  target,
  input,
}: {
  ctx: AppContext;
  enqueuer: Enqueuer;
  target: SendTarget;
  input: SendMessageInput;
}): Promise<{ message: MessageRow; replayed: boolean; note: string | null; warnings: CardWarning[] }> {
  const mentions = input.mentions ?? [];
  const hash = requestHash([
    input.webhookId,
    input.textMessage ?? null,
    input.card ?? null,
    ...(mentions.length === 0 ? [] : [mentions]),
    ...(input.replyTo === undefined ? [] : [{ replyTo: input.replyTo }]),
  ]);
  if (input.idempotencyKey) {
    const existing = await findByIdempotencyKey(ctx.sql, {
      tenantId: target.tenantId,
      idempotencyKey: input.idempotencyKey,
      windowMs: IDEMPOTENCY_WINDOW_MS,
    });
    if (existing)
      return {
        message: replayOf(existing, hash, input.idempotencyKey),
        replayed: true,
        note: null,
        warnings: [],
      };
  }

  const webhook = await cachedWebhook(ctx, target.tenantId, input.webhookId);
  if (!webhook || webhook.instanceId !== target.instanceId) {
    throw new DomainError(
      "webhook_not_found",
      `No webhook with id ${input.webhookId} in this instance. Copy the Webhook ID from the console's Channels tab.`,
    );
  }
  if (!webhook.active) {
    throw new DomainError(
      "webhook_inactive",
      webhook.disabledReason
        ? `Webhook ${webhook.id} (${webhook.name}) is disabled: ${webhook.disabledReason} Fix it in Teams, then activate it in the console.`
        : `Webhook ${webhook.id} (${webhook.name}) is inactive. Activate it in the console to send messages.`,
    );
  }

  if (input.replyTo !== undefined && webhook.kind !== "bot") {
    throw new DomainError(
      "not_supported",
      `Webhook ${webhook.id} is a ${webhook.kind === "workflows" ? "Workflows" : "legacy connector"} webhook, and webhooks cannot reply in a thread: Teams gives a webhook post no id. Use a bot channel (a webhook created with teamsChannel) for replyTo.`,
      { field: "replyTo" },
    );
  }
  const built =
    webhook.kind === "bot"
      ? {
          ok: true as const,
          mentionsAsText: false,
          warnings: [],
          ...(await botSendPayload(ctx, {
            tenantId: target.tenantId,
            webhook,
            input: { text: input.textMessage, card: input.card, mentions },
            replyTo: input.replyTo,
          })),
        }
      : buildTeamsPayload(
          webhook.kind,
          { text: input.textMessage, card: input.card, mentions },
          { strict: input.strictConversion },
        );
  if (!built.ok) {
    throw new DomainError(
      built.code === "payload_too_large"
        ? "payload_too_large"
        : built.code === "card_not_convertible"
          ? "card_not_convertible"
          : "invalid_request",
      built.message,
      {
        field:
          built.code === "invalid_card"
            ? "card"
            : built.code === "invalid_mentions"
              ? "mentions"
              : "textMessage",
      },
    );
  }
  const note = built.mentionsAsText ? MENTIONS_AS_TEXT_NOTE : null;
  const warnings = built.warnings ?? [];

  const messageId = ctx.ids.id("msg");
  const result = await enqueuer.enqueue({
    message: {
      id: messageId,
      tenantId: target.tenantId,
      instanceId: target.instanceId,
      webhookId: webhook.id,
      channelId: webhook.channelId,
      bindingKeyId: target.bindingKeyId,
      payload: built.body,
      payloadBytes: built.bytes,
      source: input.source ?? null,
      idempotencyKey: input.idempotencyKey ?? null,
      requestHash: hash,
      statusMessage: "Queued for delivery.",
    },
    monthlyLimit: target.monthlyLimit,
    planName: target.planName,
    countsAgainstQuota: target.countsAgainstQuota,
  });
  if (result.outcome === "duplicate" && input.idempotencyKey) {
    // Another request with the same key won the race; answer with its message.
    const existing = await findByIdempotencyKey(ctx.sql, {
      tenantId: target.tenantId,
      idempotencyKey: input.idempotencyKey,
      windowMs: IDEMPOTENCY_WINDOW_MS,
    });
    if (existing)
      return { message: replayOf(existing, hash, input.idempotencyKey), replayed: true, note, warnings };
  }
  // What was just stored, without reading it back: one round trip less on the hot path.
  const now = ctx.clock.now();
  const stored: MessageRow = {
    id: messageId,
    tenantId: target.tenantId,
    instanceId: target.instanceId,
    webhookId: webhook.id,
    channelId: webhook.channelId,
    status: "queued",
    attempts: 0,
    dueAt: now,
    statusMessage: "Queued for delivery.",
    lastHttpStatus: null,
    source: input.source ?? null,
    requestHash: hash,
    createdAt: now,
    lastAttemptAt: null,
    finishedAt: null,
    channelReadyAt: null,
  };
  return { message: stored, replayed: false, note, warnings };
}

function replayOf(existing: MessageRow, hash: Uint8Array, key: string): MessageRow {
  if (existing.requestHash && !sameHash(existing.requestHash, hash)) {
    throw new DomainError(
      "idempotency_conflict",
      `Idempotency key "${key}" was already used for a different message (${existing.id}); use a new key for new content.`,
    );
  }
  return existing;
}
