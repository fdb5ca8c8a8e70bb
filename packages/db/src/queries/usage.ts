import { CONNECTION_TEST_SOURCE } from "@herald/core";
import type { Queryable } from "../client.ts";

export type UsageCounter =
  | "messagesAccepted"
  | "messagesSent"
  | "messagesFailed"
  | "messagesThrottled"
  | "messagesAcceptedByFlow"
  | "webhooksAdded";

const counterColumn: Record<UsageCounter, string> = {
  messagesAccepted: "messages_accepted",
  messagesSent: "messages_sent",
  messagesFailed: "messages_failed",
  messagesThrottled: "messages_throttled",
  messagesAcceptedByFlow: "messages_accepted_by_flow",
  webhooksAdded: "webhooks_added",
};

export interface UsageIncrement {
  tenantId: string;
  instanceId: string;
  day: string; // YYYY-MM-DD (UTC)
  counter: UsageCounter;
  amount: number;
}

/**
 * Counts messages that failed outside a delivery attempt (their webhook was deleted, inactivated or
 * disabled, or they could not be sent at all): one messagesFailed each, on `day`.
 */
export async function addFailedUsage(
  sql: Queryable,
  messages: readonly { tenantId: string; instanceId: string }[],
  day: string,
): Promise<void> {
  await addUsage(
    sql,
    messages.map((m) => ({
      tenantId: m.tenantId,
      instanceId: m.instanceId,
      day,
      counter: "messagesFailed",
      amount: 1,
    })),
  );
}

/** Adds to daily counters; increments are merged per row first so one statement touches each row once. */
export async function addUsage(sql: Queryable, increments: UsageIncrement[]): Promise<void> {
  const merged = new Map<string, Record<string, number | string>>();
  for (const inc of increments) {
    const key = `${inc.tenantId}|${inc.instanceId}|${inc.day}`;
    let row = merged.get(key);
    if (!row) {
      row = {
        tenant_id: inc.tenantId,
        instance_id: inc.instanceId,
        day: inc.day,
        messages_accepted: 0,
        messages_sent: 0,
        messages_failed: 0,
        messages_throttled: 0,
        messages_accepted_by_flow: 0,
        webhooks_added: 0,
      };
      merged.set(key, row);
    }
    const column = counterColumn[inc.counter];
    row[column] = Number(row[column] ?? 0) + inc.amount;
  }
  for (const row of [...merged.values()].sort((a, b) =>
    String(a.tenant_id).localeCompare(String(b.tenant_id)),
  )) {
    await sql`
      INSERT INTO usage_daily (tenant_id, instance_id, day, messages_accepted, messages_sent, messages_failed,
                               messages_throttled, webhooks_added, messages_accepted_by_flow)
      VALUES (${row.tenant_id ?? ""}, ${row.instance_id ?? ""}, ${row.day ?? ""}, ${row.messages_accepted ?? 0},
              ${row.messages_sent ?? 0}, ${row.messages_failed ?? 0}, ${row.messages_throttled ?? 0},
              ${row.webhooks_added ?? 0}, ${row.messages_accepted_by_flow ?? 0})
      ON CONFLICT (tenant_id, instance_id, day) DO UPDATE SET
        messages_accepted = usage_daily.messages_accepted + EXCLUDED.messages_accepted,
        messages_sent = usage_daily.messages_sent + EXCLUDED.messages_sent,
        messages_failed = usage_daily.messages_failed + EXCLUDED.messages_failed,
        messages_throttled = usage_daily.messages_throttled + EXCLUDED.messages_throttled,
        webhooks_added = usage_daily.webhooks_added + EXCLUDED.webhooks_added,
        messages_accepted_by_flow = usage_daily.messages_accepted_by_flow + EXCLUDED.messages_accepted_by_flow`;
  }
}

/**
 * Takes `amount` messages from the tenant's monthly allowance if it fits under `limit`
 * (NULL: no limit). One conditional upsert: concurrent callers serialise on the row, so
 * exactly the allowance is handed out. Returns the new count, or null when refused.
 */
export async function takeMonthlyMessages(
  sql: Queryable,
  params: { tenantId: string; month: string; amount: number; limit: number | null },
): Promise<number | null> {
  const [row] = await sql<{ messages: number }[]>`
    INSERT INTO usage_monthly AS u (tenant_id, month, messages)
    SELECT ${params.tenantId}, ${params.month}::date, ${params.amount}
    WHERE ${params.limit}::int IS NULL OR ${params.amount} <= ${params.limit}::int
    ON CONFLICT (tenant_id, month) DO UPDATE SET messages = u.messages + EXCLUDED.messages
      WHERE ${params.limit}::int IS NULL OR u.messages + EXCLUDED.messages <= ${params.limit}::int
    RETURNING u.messages`;
  return row ? row.messages : null;
}

export async function getMonthlyMessages(sql: Queryable, params: { tenantId: string; month: string }) {
  const [row] = await sql<{ messages: number }[]>`
    SELECT messages FROM usage_monthly WHERE tenant_id = ${params.tenantId} AND month = ${params.month}::date`;
  return row?.messages ?? 0;
}

export interface UsageTotals {
  messagesAccepted: number;
  messagesSent: number;
  messagesFailed: number;
  messagesThrottled: number;
  webhooksAdded: number;
  /** Of messagesSent, those a Power Automate flow accepted (the rest a connector posted). */
  messagesAcceptedByFlow: number;
}

/** Sums daily counters over [from, to) (dates as YYYY-MM-DD; undefined = unbounded). */
export async function sumUsage(
  sql: Queryable,
  params: {
    tenantId: string;
    instanceId?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
  },
): Promise<UsageTotals> {
  const [row] = await sql<UsageTotals[]>`
    SELECT COALESCE(sum(messages_accepted), 0)::int AS messages_accepted,
           COALESCE(sum(messages_sent), 0)::int AS messages_sent,
           COALESCE(sum(messages_failed), 0)::int AS messages_failed,
           COALESCE(sum(messages_throttled), 0)::int AS messages_throttled,
           COALESCE(sum(webhooks_added), 0)::int AS webhooks_added,
           COALESCE(sum(messages_accepted_by_flow), 0)::int AS messages_accepted_by_flow
    FROM usage_daily
    WHERE tenant_id = ${params.tenantId}
      AND ${params.instanceId ? sql`instance_id = ${params.instanceId}` : sql`true`}
      AND ${params.from ? sql`day >= ${params.from}::date` : sql`true`}
      AND ${params.to ? sql`day < ${params.to}::date` : sql`true`}`;
  return (
    row ?? {
      messagesAccepted: 0,
      messagesSent: 0,
      messagesFailed: 0,
      messagesThrottled: 0,
      webhooksAdded: 0,
      messagesAcceptedByFlow: 0,
    }
  );
}

export async function dailyUsage(
  sql: Queryable,
  params: { tenantId: string; instanceId?: string | undefined; from: string; to: string },
) {
  return sql<(UsageTotals & { day: string })[]>`
    SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(messages_accepted)::int AS messages_accepted,
           sum(messages_sent)::int AS messages_sent, sum(messages_failed)::int AS messages_failed,
           sum(messages_throttled)::int AS messages_throttled, sum(webhooks_added)::int AS webhooks_added,
           sum(messages_accepted_by_flow)::int AS messages_accepted_by_flow
    FROM usage_daily
    WHERE tenant_id = ${params.tenantId}
      AND ${params.instanceId ? sql`instance_id = ${params.instanceId}` : sql`true`}
      AND day >= ${params.from}::date AND day < ${params.to}::date
    GROUP BY day ORDER BY day`;
}

export async function webhookCounts(
  sql: Queryable,
  params: { tenantId: string; instanceId?: string | undefined },
) {
  const [row] = await sql<{ registered: number; active: number }[]>`
    SELECT count(*)::int AS registered, count(*) FILTER (WHERE active)::int AS active
    FROM webhooks WHERE tenant_id = ${params.tenantId} AND deleted_at IS NULL
      AND ${params.instanceId ? sql`instance_id = ${params.instanceId}` : sql`true`}`;
  return row ?? { registered: 0, active: 0 };
}

/** Gives back allowance taken for a message that was not stored after all (an idempotent replay). */
export async function returnMonthlyMessages(
  sql: Queryable,
  params: { tenantId: string; month: string; amount: number },
) {
  await sql`UPDATE usage_monthly SET messages = GREATEST(0, messages - ${params.amount})
            WHERE tenant_id = ${params.tenantId} AND month = ${params.month}::date`;
}

export interface WebhookUsage {
  webhookId: string;
  name: string;
  deleted: boolean;
  messagesSent: number;
  messagesFailed: number;
  messagesQueued: number;
}

/**
 * Messages per webhook over a period, busiest first. Unlike the totals this reads the messages
 * themselves (bounded by the tenant's creation-time index and the period); connection tests are
 * not usage and are left out.
 */
export async function usageByWebhook(
  sql: Queryable,
  params: { tenantId: string; instanceId?: string | undefined; from: string; to: string; limit: number },
): Promise<WebhookUsage[]> {
  return sql<WebhookUsage[]>`
    SELECT m.webhook_id, w.name, w.deleted_at IS NOT NULL AS deleted,
           count(*) FILTER (WHERE m.status = 'delivered')::int AS messages_sent,
           count(*) FILTER (WHERE m.status = 'failed')::int AS messages_failed,
           count(*) FILTER (WHERE m.status = 'queued')::int AS messages_queued
    FROM messages m JOIN webhooks w ON w.id = m.webhook_id
    WHERE m.tenant_id = ${params.tenantId}
      AND ${params.instanceId ? sql`m.instance_id = ${params.instanceId}` : sql`true`}
      AND m.created_at >= ${params.from}::date AND m.created_at < ${params.to}::date
      AND m.source IS DISTINCT FROM ${CONNECTION_TEST_SOURCE}
    GROUP BY m.webhook_id, w.name, w.deleted_at
    ORDER BY messages_sent DESC, messages_failed DESC, m.webhook_id
    LIMIT ${params.limit}`;
}
