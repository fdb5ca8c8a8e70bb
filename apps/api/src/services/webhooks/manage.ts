import { buildTeamsPayload, type UrlKind } from "@herald/core";
import {
  addFailedUsage,
  failQueuedMessages,
  getWebhook as getWebhookQuery,
  insertErrorLog,
  listWebhooks as listQuery,
  moveQueuedMessages,
  type Queryable,
  replaceQueuedPayloads,
  resetChannel,
  softDeleteWebhook,
  stateEntry,
  updateWebhook as updateQuery,
  webhookActivity,
} from "@herald/db";
import { type AppContext, utcDay } from "../../context.ts";
import { DomainError, found } from "../../errors.ts";
import { entraAppForWebhook } from "../entra-apps/index.ts";
import { type InstanceScope, listInInstance } from "../instances/index.ts";
import { forgetWebhook } from "../messages/webhook-cache.ts";
import { checkedRatePolicy, refuseBotRatePolicy } from "./create.ts";
import { prepareWebhookUrl } from "./url.ts";

/**
 * Queued messages follow their webhook to its new URL. Their payloads were built for the old kind:
 * a connector's MessageCard becomes an Adaptive Card for Workflows (connectors take Adaptive Card
 * messages as they are, so the other way needs nothing).
 */
async function moveQueue(
  tx: Queryable,
  params: { tenantId: string; webhookId: string; channelId: string; from: UrlKind; to: UrlKind },
) {
  const moved = await moveQueuedMessages(tx, params);
  if (params.from === params.to || params.to !== "workflows") return;
  const items = moved.flatMap((m) => {
    if (m.payload === null) return [];
    let card: unknown;
    try {
      card = JSON.parse(m.payload);
    } catch {
      return [];
    }
    if (typeof card !== "object" || card === null || Array.isArray(card)) return [];
    const built = buildTeamsPayload("workflows", { card: card as Record<string, unknown> });
    return built.ok ? [{ id: m.id, payload: built.body, payloadBytes: built.bytes }] : [];
  });
  await replaceQueuedPayloads(tx, { items });
}

export async function requireWebhook(ctx: AppContext, tenantId: string, webhookId: string) {
  return found(
    await getWebhookQuery(ctx.sql, { tenantId, webhookId }),
    "webhook",
    webhookId,
    "webhook_not_found",
  );
}

export async function listWebhooks(scope: InstanceScope) {
  const [rows, activity] = await listInInstance(scope, (sql, params) =>
    Promise.all([listQuery(sql, params), webhookActivity(sql, params)]),
  );
  const byId = new Map(activity.map((a) => [a.webhookId, a]));
  return rows.map((row) => ({
    ...row,
    alertsPosted24h: byId.get(row.id)?.alertsPosted24h ?? 0,
    activeWorkflows: byId.get(row.id)?.activeWorkflows ?? 0,
  }));
}

export interface UpdateWebhookInput {
  name?: string | undefined;
  url?: string | undefined;
  description?: string | null | undefined;
  active?: boolean | undefined;
  entraAppId?: string | null | undefined;
  ratePolicy?: string | null | undefined;
}

export async function updateWebhook({
  ctx,
  tenantId,
  webhookId,
  input,
}: {
  ctx: AppContext;
  tenantId: string;
  webhookId: string;
  input: UpdateWebhookInput;
}) {
  const before = await requireWebhook(ctx, tenantId, webhookId);
  if (before.kind === "bot" && input.url !== undefined) {
    throw new DomainError(
      "invalid_request",
      "A bot webhook posts to a Teams channel and has no URL; create a new webhook for a URL instead.",
      { field: "url" },
    );
  }
  if (before.kind === "bot") refuseBotRatePolicy(input.ratePolicy);
  const ratePolicy = checkedRatePolicy(input.ratePolicy);
  if (input.entraAppId) await entraAppForWebhook(ctx, tenantId, before.instanceId, input.entraAppId);
  const failedIds: string[] = [];
  await ctx.sql.begin(async (tx) => {
    const url = input.url === undefined ? undefined : await prepareWebhookUrl(ctx, tx, input.url);
    await updateQuery(tx, { tenantId, webhookId, ...input, ratePolicy, url });
    const channelId = url?.channelId ?? before.channelId;
    if (url !== undefined && url.channelId !== before.channelId && before.kind !== "bot") {
      await moveQueue(tx, { tenantId, webhookId, channelId: url.channelId, from: before.kind, to: url.kind });
      await insertErrorLog(tx, [
        stateEntry({
          tenantId,
          instanceId: before.instanceId,
          webhookId,
          kind:
            before.kind === url.kind
              ? "Webhook URL changed"
              : `Moved to ${url.kind === "workflows" ? "Workflows" : "a connector"}`,
          action: `Webhook now posts to ${url.urlMask}; same webhook ID, queued messages follow`,
        }),
      ]);
    }
    if (input.active === true) {
      // Re-activation is a fresh start: the pause and the bad-request count go, and it is logged.
      const { cleared } = await resetChannel(tx, { channelId, tenantId });
      if (!before.active) {
        await insertErrorLog(tx, [
          stateEntry({
            tenantId,
            instanceId: before.instanceId,
            webhookId,
            kind: "Channel reactivated",
            // Whose sends a kept pause came from is not this tenant's to learn.
            action: cleared
              ? "Channel activated; pause and error counters cleared"
              : "Channel activated; a pause Teams put on this URL stays until it ends",
          }),
        ]);
      }
    }
    if (input.active === false && before.active) {
      const failed = await failQueuedMessages(tx, {
        webhookIds: [webhookId],
        statusMessage: "The webhook was inactivated in the console before this message could be delivered.",
      });
      await addFailedUsage(tx, failed, utcDay(ctx.clock.now()));
      failedIds.push(...failed.map((m) => m.id));
      await insertErrorLog(tx, [
        stateEntry({
          tenantId,
          instanceId: before.instanceId,
          webhookId,
          kind: "Channel inactivated",
          action: `Channel inactivated in the console; ${failed.length} queued message(s) failed`,
        }),
      ]);
    }
  });
  ctx.metrics.countMessages("failed", failedIds.length);
  for (const id of failedIds) ctx.signals.messageFinished(id);
  forgetWebhook(ctx, tenantId, webhookId);
  return requireWebhook(ctx, tenantId, webhookId);
}

export async function deleteWebhook({
  ctx,
  tenantId,
  webhookId,
}: {
  ctx: AppContext;
  tenantId: string;
  webhookId: string;
}) {
  await requireWebhook(ctx, tenantId, webhookId);
  const failed = await ctx.sql.begin(async (tx) => {
    await softDeleteWebhook(tx, { tenantId, webhookId });
    const rows = await failQueuedMessages(tx, {
      webhookIds: [webhookId],
      statusMessage: "The webhook was deleted before this message could be delivered.",
    });
    await addFailedUsage(tx, rows, utcDay(ctx.clock.now()));
    return rows;
  });
  ctx.metrics.countMessages("failed", failed.length);
  forgetWebhook(ctx, tenantId, webhookId);
  for (const m of failed) ctx.signals.messageFinished(m.id);
}
