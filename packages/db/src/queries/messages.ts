// The outbox: enqueueing from the api, and what the api reads back about a message.
import type { Queryable } from "../client.ts";

export type MessageStatus = "queued" | "delivered" | "failed";

export interface NewMessage {
  id: string;
  tenantId: string;
  instanceId: string;
  webhookId: string;
  channelId: string;
  bindingKeyId: string | null;
  payload: string;
  payloadBytes: number;
  source: string | null;
  idempotencyKey: string | null;
  requestHash: Uint8Array | null;
  statusMessage: string;
}

export interface MessageRow {
  id: string;
  tenantId: string;
  instanceId: string;
  webhookId: string;
  channelId: string;
  status: MessageStatus;
  attempts: number;
  dueAt: Date;
  statusMessage: string;
  lastHttpStatus: number | null;
  source: string | null;
  requestHash: Uint8Array | null;
  createdAt: Date;
  lastAttemptAt: Date | null;
  finishedAt: Date | null;
  channelReadyAt: Date | null;
  /**
   * How long until the next attempt may be made (due time or the channel's ready time, whichever
   * is later), by the database's clock when the row was read; absent on rows not read back.
   */
  nextAttemptInMs?: number;
}

const columns = (sql: Queryable) =>
  sql`m.id, m.tenant_id, m.instance_id, m.webhook_id, m.channel_id, m.status, m.attempts, m.due_at, m.status_message,
      m.last_http_status, m.source, m.request_hash, m.created_at, m.last_attempt_at, m.finished_at,
      c.ready_at AS channel_ready_at,
      (extract(epoch FROM greatest(m.due_at, coalesce(c.ready_at, m.due_at)) - clock_timestamp()) * 1000)::float8
        AS next_attempt_in_ms`;

/**
 * Inserts messages (skipping any whose idempotency key is already taken; returns the ids inserted)
 * and marks their channels as having work. Call inside a transaction: the channel update comes
 * after the insert and locks the channel row, so a worker releasing the channel either sees the
 * message (it locks the row before reading the queue: releaseChannels) or is overruled by this
 * update.
 */
export async function insertMessages(sql: Queryable, messages: NewMessage[]): Promise<Set<string>> {
  if (messages.length === 0) return new Set();
  const rows = messages.map((m) => ({
    id: m.id,
    tenantId: m.tenantId,
    instanceId: m.instanceId,
    webhookId: m.webhookId,
    channelId: m.channelId,
    bindingKeyId: m.bindingKeyId,
    payload: m.payload,
    payloadBytes: m.payloadBytes,
    source: m.source,
    idempotencyKey: m.idempotencyKey,
    requestHash: m.requestHash ? Buffer.from(m.requestHash) : null,
    statusMessage: m.statusMessage,
    status: "queued",
  }));
  const inserted = await sql<{ id: string }[]>`INSERT INTO messages ${sql(rows)}
  ON CONFLICT (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
  RETURNING id`;
  const ids = new Set(inserted.map((r) => r.id));
  const channelIds = [...new Set(messages.filter((m) => ids.has(m.id)).map((m) => m.channelId))];
  if (channelIds.length > 0) {
    await sql`
      UPDATE channels SET ready_at = COALESCE(ready_at, now())
      WHERE id IN (SELECT id FROM channels WHERE id = ANY(${channelIds}::bigint[]) ORDER BY id FOR UPDATE)`;
  }
  return ids;
}

export interface UnrefusableMessage extends NewMessage {
  /** Counted in the tenant's monthly usage and daily statistics (connection tests are not). */
  metered: boolean;
}

/**
 * Group commit of messages that no quota can refuse (the plan has no monthly limit or bills
 * overage; connection tests), in ONE statement: the insert (skipping taken idempotency keys), the
 * monthly and daily usage of what was inserted, and the channels marked as having work. One
 * round trip and one fixed prepared statement whatever the batch size (arrays, not a VALUES list;
 * `metered` travels as 1/0: postgres.js types a JS array by its first element, so booleans would be
 * sent as bool, not bool[]).
 * The channel update locks the channel row after the insert, as in insertMessages. Returns the
 * ids inserted.
 */
export async function enqueueUnrefusable(
  sql: Queryable,
  params: { messages: UnrefusableMessage[]; month: string; day: string },
): Promise<Set<string>> {
  const ms = params.messages;
  if (ms.length === 0) return new Set();
  const rows = await sql<{ id: string }[]>`
    WITH input AS (
      SELECT * FROM unnest(
        ${ms.map((m) => m.id)}::text[], ${ms.map((m) => m.tenantId)}::text[], ${ms.map((m) => m.instanceId)}::text[],
        ${ms.map((m) => m.webhookId)}::text[], ${ms.map((m) => m.channelId)}::bigint[],
        ${ms.map((m) => m.bindingKeyId)}::text[], ${ms.map((m) => m.payload)}::text[],
        ${ms.map((m) => m.payloadBytes)}::int[], ${ms.map((m) => m.source)}::text[],
        ${ms.map((m) => m.idempotencyKey)}::text[],
        ${ms.map((m) => (m.requestHash ? Buffer.from(m.requestHash).toString("hex") : null))}::text[],
        ${ms.map((m) => m.statusMessage)}::text[], ${ms.map((m) => (m.metered ? 1 : 0))}::int[]
      ) WITH ORDINALITY AS i(id, tenant_id, instance_id, webhook_id, channel_id, binding_key_id, payload,
                             payload_bytes, source, idempotency_key, request_hash, status_message, metered, ord)
    ), ins AS (
      INSERT INTO messages (id, tenant_id, instance_id, webhook_id, channel_id, binding_key_id, payload,
                            payload_bytes, source, idempotency_key, request_hash, status_message, status)
      SELECT id, tenant_id, instance_id, webhook_id, channel_id, binding_key_id, payload, payload_bytes, source,
             idempotency_key, decode(request_hash, 'hex'), status_message, 'queued'
      FROM input ORDER BY ord
      ON CONFLICT (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
      RETURNING id, channel_id
    ), counted AS (
      SELECT i.tenant_id, i.instance_id, count(*)::int AS n
      FROM ins JOIN input i USING (id) WHERE i.metered = 1 GROUP BY i.tenant_id, i.instance_id
    ), monthly AS (
      INSERT INTO usage_monthly AS u (tenant_id, month, messages)
      SELECT tenant_id, ${params.month}::date, sum(n)::int FROM counted GROUP BY tenant_id ORDER BY tenant_id
      ON CONFLICT (tenant_id, month) DO UPDATE SET messages = u.messages + EXCLUDED.messages
    ), daily AS (
      INSERT INTO usage_daily AS d (tenant_id, instance_id, day, messages_accepted, messages_sent, messages_failed,
                                    messages_throttled, webhooks_added)
      SELECT tenant_id, instance_id, ${params.day}::date, n, 0, 0, 0, 0 FROM counted ORDER BY tenant_id, instance_id
      ON CONFLICT (tenant_id, instance_id, day) DO UPDATE SET messages_accepted = d.messages_accepted + EXCLUDED.messages_accepted
    ), ready AS (
      UPDATE channels SET ready_at = COALESCE(ready_at, now())
      WHERE id IN (SELECT id FROM channels WHERE id IN (SELECT channel_id FROM ins) ORDER BY id FOR UPDATE)
    )
    SELECT id FROM ins`;
  return new Set(rows.map((r) => r.id));
}

export async function getMessage(sql: Queryable, params: { tenantId: string; messageId: string }) {
  const [row] = await sql<MessageRow[]>`
    SELECT ${columns(sql)} FROM messages m JOIN channels c ON c.id = m.channel_id
    WHERE m.tenant_id = ${params.tenantId} AND m.id = ${params.messageId}`;
  return row;
}

/** A key older than the idempotency window is released, so the same key may start a new message. */
export async function findByIdempotencyKey(
  sql: Queryable,
  params: { tenantId: string; idempotencyKey: string; windowMs: number },
): Promise<MessageRow | undefined> {
  await sql`
    UPDATE messages SET idempotency_key = NULL
    WHERE tenant_id = ${params.tenantId} AND idempotency_key = ${params.idempotencyKey}
      AND created_at < now() - ${params.windowMs} * interval '1 millisecond'`;
  const [row] = await sql<MessageRow[]>`
    SELECT ${columns(sql)} FROM messages m JOIN channels c ON c.id = m.channel_id
    WHERE m.tenant_id = ${params.tenantId} AND m.idempotency_key = ${params.idempotencyKey}`;
  return row;
}

/** Retention: drops bodies of finished messages; statistics live in usage counters and are unaffected. */
export async function purgeMessageBodies(sql: Queryable, params: { olderThan: Date }): Promise<number> {
  const rows = await sql`
    UPDATE messages SET payload = NULL
    WHERE status <> 'queued' AND payload IS NOT NULL AND finished_at < ${params.olderThan} RETURNING 1`;
  return rows.length;
}
