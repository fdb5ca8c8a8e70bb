// What delivery workers run: claiming channels under a lease, reserving sends against the
// rate windows, recording outcomes and releasing channels. All times come from the database
// clock so that every replica agrees on them.
import type { Queryable, Sql } from "../client.ts";

export interface ClaimedChannel {
  id: string;
  kind: "legacy" | "workflows" | "bot";
  pausedUntil: Date | null;
  consecutiveBadRequests: number;
  /** Probes of a pause with a reason (a turned-off flow) made so far. */
  pauseProbes: number;
  /** A webhook's own rate policy for this URL, overriding the kind's default; null: none. */
  ratePolicy: string | null;
  dbNow: Date;
}

/**
 * Leases up to `limit` channels whose ready time has come; skips channels another worker holds and
 * those this worker is still serving (`busy`), even if their lease lapsed while it was busy.
 */
export async function claimChannels(
  sql: Queryable,
  params: { owner: string; leaseMs: number; limit: number; busy: string[] },
): Promise<ClaimedChannel[]> {
  return sql<ClaimedChannel[]>`
    UPDATE channels c SET locked_until = clock_timestamp() + ${params.leaseMs} * interval '1 millisecond',
                          lock_owner = ${params.owner}
    WHERE c.id IN (
      SELECT id FROM channels
      WHERE ready_at <= clock_timestamp() AND (locked_until IS NULL OR locked_until < clock_timestamp())
        AND NOT (id = ANY(${params.busy}::bigint[]))
      ORDER BY ready_at LIMIT ${params.limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING c.id::text AS id, c.kind, c.paused_until, c.consecutive_bad_requests, c.pause_probes,
      (SELECT min(w.rate_policy) FROM webhooks w
        WHERE w.channel_id = c.id AND w.deleted_at IS NULL AND w.rate_policy IS NOT NULL) AS rate_policy,
      clock_timestamp() AS db_now`;
}

/** When the next channel becomes ready (or a lease lapses): how long an idle worker may sleep. */
export async function nextWakeAt(sql: Queryable): Promise<{ wakeAt: Date | null; dbNow: Date }> {
  const [row] = await sql<{ wakeAt: Date | null; dbNow: Date }[]>`
    SELECT min(GREATEST(ready_at, COALESCE(locked_until, ready_at))) AS wake_at, clock_timestamp() AS db_now
    FROM channels WHERE ready_at IS NOT NULL`;
  return row ?? { wakeAt: null, dbNow: new Date() };
}

/**
 * The recent sends (epoch ms, oldest first) of many channels in one statement, each within its own
 * longest rate window: what a channel task needs before its first post.
 */
export async function recentSendsOf(
  sql: Queryable,
  items: readonly { channelId: string; windowMs: number }[],
): Promise<number[][]> {
  if (items.length === 0) return [];
  const rows = await sql<{ ord: string; ms: string }[]>`
    SELECT c.ord::text AS ord, (extract(epoch FROM s.sent_at) * 1000)::bigint::text AS ms
    FROM unnest(${items.map((i) => i.channelId)}::bigint[], ${items.map((i) => i.windowMs)}::bigint[])
      WITH ORDINALITY AS c(id, window_ms, ord)
    JOIN channel_sends s ON s.channel_id = c.id AND s.sent_at > clock_timestamp() - c.window_ms * interval '1 millisecond'
    ORDER BY c.ord, s.sent_at`;
  const lists: number[][] = items.map(() => []);
  for (const { ord, ms } of rows) lists[Number(ord) - 1]?.push(Number(ms));
  return lists;
}

export interface DueMessage {
  id: string;
  tenantId: string;
  instanceId: string;
  webhookId: string;
  payload: string | null;
  attempts: number;
  createdAt: Date;
  webhookActive: boolean;
  webhookDeleted: boolean;
  disabledReason: string | null;
  /** Null for bot webhooks, which have no URL. */
  urlCiphertext: Uint8Array | null;
  urlKeyId: string | null;
  source: string | null;
  /** The Entra app whose token goes with the post (flows restricted to a tenant's users); null: none. */
  entraAppId: string | null;
}

export interface MessageOutcome {
  id: string;
  status: "queued" | "delivered" | "failed";
  statusMessage: string;
  lastHttpStatus: number | null;
  dueAt?: Date | undefined;
  /** Count the attempt now: the post went to a channel without windows (see reserveSends). */
  attempted?: boolean | undefined;
  /** How a delivered message was confirmed: posted by a connector, or accepted by a flow. */
  confirmation?: "posted" | "accepted" | undefined;
}

export async function recordMessageOutcome(sql: Queryable, o: MessageOutcome): Promise<void> {
  await sql`
    UPDATE messages SET status = ${o.status}, status_message = ${o.statusMessage}, last_http_status = ${o.lastHttpStatus},
      due_at = COALESCE(${o.dueAt ?? null}::timestamptz, due_at),
      attempts = attempts + ${o.attempted ? 1 : 0},
      last_attempt_at = CASE WHEN ${o.attempted ? 1 : 0} = 1 THEN clock_timestamp() ELSE last_attempt_at END,
      finished_at = ${o.status === "queued" ? null : sql`clock_timestamp()`},
      confirmation = COALESCE(${o.confirmation ?? null}, confirmation)
    WHERE id = ${o.id}`;
}

/**
 * A message that waits for its channel's rate windows: its status says until when, and the
 * channel's ready time moves there in the same statement, so a caller reading the message never
 * sees the new wait beside the channel's previous ready time. The release that follows writes
 * the same time (releaseChannels takes the later of it and the queue's due times).
 */
export async function markMessageWaiting(
  sql: Queryable,
  params: { id: string; statusMessage: string; at: Date },
): Promise<void> {
  await sql`
    WITH waiting AS (
      UPDATE messages SET status_message = ${params.statusMessage}, last_http_status = NULL
      WHERE id = ${params.id} AND status = 'queued'
      RETURNING channel_id)
    UPDATE channels SET ready_at = GREATEST(COALESCE(ready_at, ${params.at.toISOString()}::timestamptz),
                                            ${params.at.toISOString()}::timestamptz)
    WHERE id = (SELECT channel_id FROM waiting)`;
}

export async function setChannelHealth(
  sql: Queryable,
  params: {
    channelId: string;
    consecutiveBadRequests?: number | undefined;
    pausedUntil?: Date | null | undefined;
    /** With pausedUntil: why (shown on the webhook) and the probes made; null and 0 for a rate-limit pause. */
    pause?: { reason: string | null; probes: number } | undefined;
    /** Adds one to the failures in a row (a message failed or was put back for a retry). */
    failed?: boolean | undefined;
  },
) {
  await sql`
    UPDATE channels SET
      consecutive_bad_requests = COALESCE(${params.consecutiveBadRequests ?? null}::int, consecutive_bad_requests),
      paused_until = ${params.pausedUntil === undefined ? sql`paused_until` : params.pausedUntil},
      pause_reason = ${params.pause === undefined ? sql`pause_reason` : params.pause.reason},
      pause_probes = ${params.pause === undefined ? sql`pause_probes` : params.pause.probes},
      consecutive_failures = consecutive_failures + ${params.failed ? 1 : 0}
    WHERE id = ${params.channelId}`;
}

export interface FailedMessage {
  id: string;
  tenantId: string;
  instanceId: string;
  webhookId: string;
}

/** Fails what is still queued for the given webhooks (their channel was disabled or they were deleted). */
export async function failQueuedMessages(
  sql: Queryable,
  params: { webhookIds: string[]; statusMessage: string },
): Promise<FailedMessage[]> {
  if (params.webhookIds.length === 0) return [];
  return sql<FailedMessage[]>`
    UPDATE messages SET status = 'failed', status_message = ${params.statusMessage}, finished_at = clock_timestamp()
    WHERE webhook_id = ANY(${params.webhookIds}) AND status = 'queued'
    RETURNING id, tenant_id, instance_id, webhook_id`;
}

/**
 * Makes a channel ready now (re-activation or new work): clears a pause and the bad-request count.
 * With `tenantId` (a tenant re-activating its webhook), the pause and count are cleared only when
 * no other tenant's webhook posts to the URL: a pause Teams imposed because of another tenant's
 * sends is not one tenant's to lift. Answers whether the pause and count were cleared.
 */
export async function resetChannel(
  sql: Queryable,
  params: { channelId: string; tenantId?: string },
): Promise<{ cleared: boolean }> {
  const shared = params.tenantId
    ? sql`EXISTS (SELECT 1 FROM webhooks w WHERE w.channel_id = channels.id AND w.tenant_id <> ${params.tenantId}
                 AND w.deleted_at IS NULL)`
    : sql`false`;
  const rows = await sql<{ cleared: boolean }[]>`
    UPDATE channels SET
      paused_until = CASE WHEN ${shared} THEN paused_until ELSE NULL END,
      consecutive_bad_requests = CASE WHEN ${shared} THEN consecutive_bad_requests ELSE 0 END,
      pause_reason = CASE WHEN ${shared} THEN pause_reason ELSE NULL END,
      pause_probes = CASE WHEN ${shared} THEN pause_probes ELSE 0 END,
      ready_at = CASE WHEN EXISTS (SELECT 1 FROM messages m WHERE m.channel_id = channels.id AND m.status = 'queued')
                      THEN now() ELSE ready_at END
    WHERE id = ${params.channelId}
    RETURNING NOT ${shared} AS cleared`;
  return { cleared: rows[0]?.cleared ?? false };
}

/** Belt and braces: a channel with queued messages but no ready time gets one. Returns how many. */
export async function sweepStrandedChannels(sql: Queryable): Promise<number> {
  const rows = await sql`
    UPDATE channels c SET ready_at = now()
    WHERE c.ready_at IS NULL AND EXISTS (SELECT 1 FROM messages m WHERE m.channel_id = c.id AND m.status = 'queued')
    RETURNING 1`;
  return rows.length;
}

export async function pruneSends(sql: Queryable, params: { olderThanMs: number }): Promise<number> {
  const rows = await sql`
    DELETE FROM channel_sends WHERE sent_at < clock_timestamp() - ${params.olderThanMs} * interval '1 millisecond'
    RETURNING 1`;
  return rows.length;
}

export async function queueStats(sql: Queryable) {
  const [row] = await sql<{ queued: number; oldestQueuedAt: Date | null }[]>`
    SELECT count(*)::int AS queued, min(created_at) AS oldest_queued_at FROM messages WHERE status = 'queued'`;
  return row ?? { queued: 0, oldestQueuedAt: null };
}

export interface SendReservation {
  channelId: string;
  messageId: string;
  /** Record a send slot (the channel has rate windows). */
  record: boolean;
}

/**
 * Before a post leaves: extends the worker's lease on the channel and, for a channel with rate
 * windows, records the send slot (its time counts against the windows from now on) and the
 * attempt, in one statement for many channels (the delivery worker batches the reservations of
 * its concurrent channel tasks). Nothing is recorded for a channel whose lease is no longer this
 * worker's: its answer is null, and nothing must be sent. A channel without windows has its
 * attempt counted with the outcome (recordOutcomes, recordMessageOutcome with attempted), one
 * update of the message row less per send; a crash mid-post then leaves that attempt uncounted.
 * Answers in the order given.
 */
export async function reserveSends(
  sql: Queryable,
  params: { owner: string; leaseMs: number; items: SendReservation[] },
): Promise<({ atMs: number; slotId: string | null } | null)[]> {
  const items = params.items;
  if (items.length === 0) return [];
  const rows = await sql<{ ord: string; leased: boolean; slotId: string | null; ms: string | null }[]>`
    WITH r AS (
      SELECT * FROM unnest(${items.map((i) => i.channelId)}::bigint[], ${items.map((i) => i.messageId)}::text[],
                           ${items.map((i) => (i.record ? 1 : 0))}::int[])
        WITH ORDINALITY AS r(channel_id, message_id, record, ord)
    ), lease AS (
      UPDATE channels c SET locked_until = clock_timestamp() + ${params.leaseMs} * interval '1 millisecond'
      WHERE c.id IN (
        -- Locked in id order, as every multi-channel statement does, so two batches never deadlock.
        SELECT id FROM channels WHERE id IN (SELECT channel_id FROM r) AND lock_owner = ${params.owner}
        ORDER BY id FOR UPDATE)
      RETURNING c.id
    ), slot AS (
      INSERT INTO channel_sends (channel_id, sent_at)
      SELECT r.channel_id, clock_timestamp() FROM r JOIN lease ON lease.id = r.channel_id WHERE r.record = 1
      RETURNING id, channel_id, sent_at
    ), attempt AS (
      UPDATE messages m SET attempts = m.attempts + 1, last_attempt_at = clock_timestamp()
      FROM r JOIN lease ON lease.id = r.channel_id WHERE m.id = r.message_id AND r.record = 1
      RETURNING m.id, m.last_attempt_at
    )
    SELECT r.ord::text AS ord, (lease.id IS NOT NULL) AS leased, slot.id::text AS slot_id,
      (extract(epoch FROM COALESCE(slot.sent_at, attempt.last_attempt_at, clock_timestamp())) * 1000)::bigint::text AS ms
    FROM r LEFT JOIN lease ON lease.id = r.channel_id
      LEFT JOIN slot ON slot.channel_id = r.channel_id AND r.record = 1
      LEFT JOIN attempt ON attempt.id = r.message_id
    ORDER BY r.ord`;
  return rows.map((row) =>
    row.leased && row.ms !== null ? { atMs: Number(row.ms), slotId: row.slotId } : null,
  );
}

/**
 * Moves send slots to now, once Teams has answered. A request reached Teams between its
 * reservation and the answer; counting the slot at the answer (an upper bound of its arrival),
 * while the next send is reserved before it leaves (a lower bound of its arrival), keeps every
 * window intact at Teams' door whatever the network latency and its jitter. Answers each slot's
 * time, in the order given.
 */
export async function settleSendSlots(sql: Queryable, params: { slotIds: string[] }): Promise<number[]> {
  if (params.slotIds.length === 0) return [];
  // A slot swept away meanwhile still counts, at the database's now.
  const rows = await sql<{ id: string; ms: string }[]>`
    WITH settled AS (
      UPDATE channel_sends SET sent_at = clock_timestamp() WHERE id = ANY(${params.slotIds}::bigint[])
      RETURNING id::text AS id, (extract(epoch FROM sent_at) * 1000)::bigint::text AS ms)
    SELECT id, ms FROM settled
    UNION ALL SELECT 'now', (extract(epoch FROM clock_timestamp()) * 1000)::bigint::text`;
  const byId = new Map(rows.map((r) => [r.id, Number(r.ms)]));
  const nowMs = byId.get("now") ?? 0;
  return params.slotIds.map((id) => byId.get(id) ?? nowMs);
}

export interface OutcomeWithUsage extends MessageOutcome {
  tenantId: string;
  instanceId: string;
  /** The usage counter this outcome adds one to, if any (connection tests add none). */
  counter: "messagesSent" | "messagesFailed" | "messagesThrottled" | null;
}

/** Counted with messagesSent when a flow, not a connector, took the message. */
function acceptedByFlow(o: OutcomeWithUsage): number {
  return o.counter === "messagesSent" && o.confirmation === "accepted" ? 1 : 0;
}

/**
 * Many messages' outcomes and their daily usage in one statement (the delivery worker batches the
 * plain outcomes of its concurrent channel tasks: no channel health change, no error log entry).
 */
export async function recordOutcomes(
  sql: Queryable,
  params: { outcomes: OutcomeWithUsage[]; day: string },
): Promise<void> {
  const os = params.outcomes;
  if (os.length === 0) return;
  const usage = new Map<
    string,
    { tenantId: string; instanceId: string; sent: number; failed: number; throttled: number; flow: number }
  >();
  for (const o of os) {
    if (o.counter === null) continue;
    const key = `${o.tenantId}|${o.instanceId}`;
    const u = usage.get(key) ?? {
      tenantId: o.tenantId,
      instanceId: o.instanceId,
      sent: 0,
      failed: 0,
      throttled: 0,
      flow: 0,
    };
    u.flow += acceptedByFlow(o);
    if (o.counter === "messagesSent") u.sent++;
    else if (o.counter === "messagesFailed") u.failed++;
    else u.throttled++;
    usage.set(key, u);
  }
  const us = [...usage.values()];
  await sql`
    WITH o AS (
      SELECT * FROM unnest(${os.map((o) => o.id)}::text[], ${os.map((o) => o.status)}::text[],
                           ${os.map((o) => o.statusMessage)}::text[], ${os.map((o) => o.lastHttpStatus)}::int[],
                           ${os.map((o) => o.dueAt?.toISOString() ?? null)}::text[],
                           ${os.map((o) => (o.attempted ? 1 : 0))}::int[],
                           ${os.map((o) => o.confirmation ?? null)}::text[])
        AS o(id, status, status_message, last_http_status, due_at, attempted, confirmation)
    ), upd AS (
      UPDATE messages m SET status = o.status, status_message = o.status_message, last_http_status = o.last_http_status,
        due_at = COALESCE(o.due_at::timestamptz, m.due_at),
        attempts = m.attempts + o.attempted,
        last_attempt_at = CASE WHEN o.attempted = 1 THEN clock_timestamp() ELSE m.last_attempt_at END,
        finished_at = CASE WHEN o.status = 'queued' THEN NULL ELSE clock_timestamp() END,
        confirmation = COALESCE(o.confirmation, m.confirmation)
      FROM o WHERE m.id = o.id
      RETURNING m.id
    ), u AS (
      SELECT * FROM unnest(${us.map((u) => u.tenantId)}::text[], ${us.map((u) => u.instanceId)}::text[],
                           ${us.map((u) => u.sent)}::int[], ${us.map((u) => u.failed)}::int[],
                           ${us.map((u) => u.throttled)}::int[], ${us.map((u) => u.flow)}::int[])
        AS u(tenant_id, instance_id, sent, failed, throttled, flow)
    ), daily AS (
      INSERT INTO usage_daily AS d (tenant_id, instance_id, day, messages_accepted, messages_sent, messages_failed,
                                    messages_throttled, webhooks_added, messages_accepted_by_flow)
      SELECT tenant_id, instance_id, ${params.day}::date, 0, sent, failed, throttled, 0, flow FROM u
      ORDER BY tenant_id, instance_id
      ON CONFLICT (tenant_id, instance_id, day) DO UPDATE SET
        messages_sent = d.messages_sent + EXCLUDED.messages_sent,
        messages_accepted_by_flow = d.messages_accepted_by_flow + EXCLUDED.messages_accepted_by_flow,
        messages_failed = d.messages_failed + EXCLUDED.messages_failed,
        messages_throttled = d.messages_throttled + EXCLUDED.messages_throttled
    )
    SELECT count(*) FROM upd`;
}

/**
 * Each channel's queued messages that are due, oldest first (FIFO per channel), for many channels
 * in one statement; answers each channel's list, in the order given.
 */
export async function dueMessagesOf(
  sql: Queryable,
  params: { channelIds: string[]; limit: number },
): Promise<DueMessage[][]> {
  if (params.channelIds.length === 0) return [];
  const rows = await sql<(DueMessage & { ord: string })[]>`
    SELECT c.ord::text AS ord, x.*
    FROM unnest(${params.channelIds}::bigint[]) WITH ORDINALITY AS c(id, ord)
    CROSS JOIN LATERAL (
      SELECT m.id, m.tenant_id, m.instance_id, m.webhook_id, m.payload, m.attempts, m.created_at, m.source,
             w.active AS webhook_active, (w.deleted_at IS NOT NULL) AS webhook_deleted, w.disabled_reason,
             w.url_ciphertext, w.url_key_id, w.entra_app_id
      FROM messages m JOIN webhooks w ON w.id = m.webhook_id
      WHERE m.channel_id = c.id AND m.status = 'queued' AND m.due_at <= clock_timestamp()
      ORDER BY m.seq LIMIT ${params.limit}
    ) x
    ORDER BY c.ord`;
  const lists: DueMessage[][] = params.channelIds.map(() => []);
  for (const { ord, ...message } of rows) lists[Number(ord) - 1]?.push(message);
  return lists;
}

/**
 * Ends a worker's leases, many channels in one transaction. The row locks are taken first (in id
 * order) and the queue is read in a later statement, so an enqueue that committed meanwhile is
 * seen, and one that comes later overrides ready_at. Channels this owner no longer holds are left
 * alone.
 */
export async function releaseChannels(
  sql: Sql,
  params: {
    owner: string;
    /** delivered: the visit had a success, which is the channel's health (last success, no failures in a row). */
    items: { channelId: string; notBefore: Date | null; delivered?: boolean | undefined }[];
  },
): Promise<void> {
  const items = params.items;
  if (items.length === 0) return;
  await sql.begin(async (tx) => {
    const locked = await tx<{ id: string }[]>`
      SELECT id::text AS id FROM channels
      WHERE id = ANY(${items.map((i) => i.channelId)}::bigint[]) AND lock_owner = ${params.owner}
      ORDER BY id FOR UPDATE`;
    if (locked.length === 0) return;
    const mine = new Set(locked.map((r) => r.id));
    const held = items.filter((i) => mine.has(i.channelId));
    await tx`
      UPDATE channels c SET locked_until = NULL, lock_owner = NULL,
        ready_at = (SELECT CASE WHEN min(m.due_at) IS NULL THEN NULL
                       ELSE GREATEST(min(m.due_at), COALESCE(r.not_before::timestamptz, min(m.due_at)),
                                     COALESCE(c.paused_until, min(m.due_at))) END
                    FROM messages m WHERE m.channel_id = c.id AND m.status = 'queued'),
        last_success_at = CASE WHEN r.delivered = 1 THEN clock_timestamp() ELSE c.last_success_at END,
        consecutive_failures = CASE WHEN r.delivered = 1 THEN 0 ELSE c.consecutive_failures END,
        pause_reason = CASE WHEN r.delivered = 1 THEN NULL ELSE c.pause_reason END,
        pause_probes = CASE WHEN r.delivered = 1 THEN 0 ELSE c.pause_probes END
      FROM unnest(${held.map((i) => i.channelId)}::bigint[], ${held.map((i) => i.notBefore?.toISOString() ?? null)}::text[],
                  ${held.map((i) => (i.delivered === true ? 1 : 0))}::int[])
        AS r(id, not_before, delivered)
      WHERE c.id = r.id`;
  });
}
