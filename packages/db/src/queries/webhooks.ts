import { CONNECTION_TEST_SOURCE } from "@herald/core";
import type { Queryable } from "../client.ts";

export interface WebhookRow {
  id: string;
  tenantId: string;
  instanceId: string;
  channelId: string;
  name: string;
  description: string | null;
  urlMask: string;
  kind: "legacy" | "workflows" | "bot";
  /** Bot webhooks: the Teams team and channel they post to (no URL). */
  teamsTeamId: string | null;
  teamsChannelId: string | null;
  active: boolean;
  disabledReason: string | null;
  disabledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  pausedUntil: Date | null;
  consecutiveBadRequests: number;
  entraAppId: string | null;
  /** The webhook's own rate policy text, overriding its kind's default; null: the default. */
  ratePolicy: string | null;
  /** Why the channel is paused (a turned-off flow, a token Entra refused); null for a rate-limit pause. */
  pauseReason: string | null;
  lastSuccessAt: Date | null;
  consecutiveFailures: number;
}

const columns = (sql: Queryable) =>
  sql`w.id, w.tenant_id, w.instance_id, w.channel_id, w.name, w.description, w.url_mask, w.kind, w.active,
      w.disabled_reason, w.disabled_at, w.created_at, w.updated_at, c.paused_until, c.consecutive_bad_requests,
      w.entra_app_id, w.rate_policy, c.pause_reason, c.last_success_at, c.consecutive_failures,
      w.teams_team_id, w.teams_channel_id`;

/** Returns the channel (one per distinct URL) for a URL hash, creating it on first use. */
export async function upsertChannel(
  sql: Queryable,
  params: { urlHash: Uint8Array; kind: string },
): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    INSERT INTO channels (url_hash, kind) VALUES (${Buffer.from(params.urlHash)}, ${params.kind})
    ON CONFLICT (url_hash) DO UPDATE SET kind = EXCLUDED.kind
    RETURNING id`;
  if (!row) throw new Error("channel upsert returned no row");
  return String(row.id);
}

/** What every new webhook row names, whether it posts to a URL or (kind bot) to a Teams channel. */
export type NewWebhook = Pick<
  WebhookRow,
  "id" | "tenantId" | "instanceId" | "channelId" | "name" | "description" | "urlMask"
>;

export async function insertWebhook(
  sql: Queryable,
  params: NewWebhook & {
    urlCiphertext: Uint8Array;
    urlKeyId: string;
    kind: string;
    entraAppId?: string | null | undefined;
    ratePolicy?: string | null | undefined;
  },
): Promise<void> {
  await sql`
    INSERT INTO webhooks (id, tenant_id, instance_id, channel_id, name, description, url_ciphertext, url_key_id,
                          url_mask, kind, entra_app_id, rate_policy)
    VALUES (${params.id}, ${params.tenantId}, ${params.instanceId}, ${params.channelId}, ${params.name},
            ${params.description}, ${Buffer.from(params.urlCiphertext)}, ${params.urlKeyId}, ${params.urlMask},
            ${params.kind}, ${params.entraAppId ?? null}, ${params.ratePolicy ?? null})`;
}

export async function countWebhooks(sql: Queryable, params: { tenantId: string }): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM webhooks WHERE tenant_id = ${params.tenantId} AND deleted_at IS NULL`;
  return row?.n ?? 0;
}

export async function listWebhooks(sql: Queryable, params: { tenantId: string; instanceId: string }) {
  return sql<WebhookRow[]>`
    SELECT ${columns(sql)} FROM webhooks w JOIN channels c ON c.id = w.channel_id
    WHERE w.tenant_id = ${params.tenantId} AND w.instance_id = ${params.instanceId} AND w.deleted_at IS NULL
    ORDER BY w.created_at, w.id`;
}

export async function getWebhook(
  sql: Queryable,
  params: { tenantId: string; webhookId: string },
): Promise<WebhookRow | undefined> {
  const [row] = await sql<WebhookRow[]>`
    SELECT ${columns(sql)} FROM webhooks w JOIN channels c ON c.id = w.channel_id
    WHERE w.tenant_id = ${params.tenantId} AND w.id = ${params.webhookId} AND w.deleted_at IS NULL`;
  return row;
}

export async function updateWebhook(
  sql: Queryable,
  params: {
    tenantId: string;
    webhookId: string;
    name?: string | undefined;
    description?: string | null | undefined;
    active?: boolean | undefined;
    entraAppId?: string | null | undefined;
    ratePolicy?: string | null | undefined;
    url?:
      | { channelId: string; urlCiphertext: Uint8Array; urlKeyId: string; urlMask: string; kind: string }
      | undefined;
  },
): Promise<boolean> {
  const u = params.url;
  const rows = await sql`
    UPDATE webhooks SET
      name = COALESCE(${params.name ?? null}, name),
      description = ${params.description === undefined ? sql`description` : params.description},
      active = COALESCE(${params.active ?? null}, active),
      disabled_reason = ${params.active === true ? null : sql`disabled_reason`},
      disabled_at = ${params.active === true ? null : sql`disabled_at`},
      channel_id = ${u ? u.channelId : sql`channel_id`},
      url_ciphertext = ${u ? Buffer.from(u.urlCiphertext) : sql`url_ciphertext`},
      url_key_id = ${u ? u.urlKeyId : sql`url_key_id`},
      url_mask = ${u ? u.urlMask : sql`url_mask`},
      kind = ${u ? u.kind : sql`kind`},
      entra_app_id = ${params.entraAppId === undefined ? sql`entra_app_id` : params.entraAppId},
      rate_policy = ${params.ratePolicy === undefined ? sql`rate_policy` : params.ratePolicy},
      updated_at = now()
    WHERE tenant_id = ${params.tenantId} AND id = ${params.webhookId} AND deleted_at IS NULL
    RETURNING id`;
  return rows.length === 1;
}

export async function softDeleteWebhook(sql: Queryable, params: { tenantId: string; webhookId: string }) {
  const rows = await sql`
    UPDATE webhooks SET deleted_at = now(), active = false, updated_at = now()
    WHERE tenant_id = ${params.tenantId} AND id = ${params.webhookId} AND deleted_at IS NULL RETURNING id`;
  return rows.length === 1;
}

/**
 * The tenant's live webhooks that post to a channel: they go down together when Teams says the URL
 * is gone. Another tenant's webhooks on the same URL are left to their own answers from Teams, so
 * that no tenant's sends switch off, or reveal, another's.
 */
export async function disableChannelWebhooks(
  sql: Queryable,
  params: { tenantId: string; channelId: string; reason: string },
): Promise<{ id: string; tenantId: string; instanceId: string }[]> {
  return sql<{ id: string; tenantId: string; instanceId: string }[]>`
    UPDATE webhooks SET active = false, disabled_reason = ${params.reason}, disabled_at = now(), updated_at = now()
    WHERE channel_id = ${params.channelId} AND tenant_id = ${params.tenantId} AND deleted_at IS NULL AND active
    RETURNING id, tenant_id, instance_id`;
}

/** Alerts posted in the last 24 hours and distinct sources over 30 days, per webhook of an instance. */
export async function webhookActivity(sql: Queryable, params: { tenantId: string; instanceId: string }) {
  return sql<{ webhookId: string; alertsPosted24h: number; activeWorkflows: number }[]>`
    SELECT w.id AS webhook_id,
      (SELECT count(*)::int FROM messages m WHERE m.webhook_id = w.id AND m.status = 'delivered'
         AND m.source IS DISTINCT FROM ${CONNECTION_TEST_SOURCE}
         AND m.finished_at > now() - interval '24 hours') AS alerts_posted24h,
      (SELECT count(DISTINCT m.source)::int FROM messages m WHERE m.webhook_id = w.id AND m.source IS NOT NULL
         AND m.source <> ${CONNECTION_TEST_SOURCE}
         AND m.created_at > now() - interval '30 days') AS active_workflows
    FROM webhooks w
    WHERE w.tenant_id = ${params.tenantId} AND w.instance_id = ${params.instanceId} AND w.deleted_at IS NULL`;
}

/**
 * A webhook moved to another URL takes its queued messages along (same webhook ID, same queue), so
 * they go to the new endpoint. Answers the moved messages, whose payloads may need rebuilding for
 * the new kind.
 */
export async function moveQueuedMessages(
  sql: Queryable,
  params: { tenantId: string; webhookId: string; channelId: string },
): Promise<{ id: string; payload: string | null }[]> {
  const moved = await sql<{ id: string; payload: string | null }[]>`
    UPDATE messages SET channel_id = ${params.channelId}
    WHERE tenant_id = ${params.tenantId} AND webhook_id = ${params.webhookId} AND status = 'queued'
      AND channel_id <> ${params.channelId}
    RETURNING id, payload`;
  if (moved.length > 0) {
    await sql`UPDATE channels SET ready_at = COALESCE(ready_at, now()) WHERE id = ${params.channelId}`;
  }
  return moved;
}

export async function replaceQueuedPayloads(
  sql: Queryable,
  params: { items: { id: string; payload: string; payloadBytes: number }[] },
): Promise<void> {
  for (const item of params.items) {
    await sql`UPDATE messages SET payload = ${item.payload}, payload_bytes = ${item.payloadBytes}
              WHERE id = ${item.id} AND status = 'queued'`;
  }
}
