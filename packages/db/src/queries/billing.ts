// Stripe bookkeeping: events applied once, subscription state on tenants, overage meter reports.
// Webhook events name a Stripe customer, not a tenant, so the lookups here start from Stripe's ids.
import type { Queryable } from "../client.ts";
import type { PlanRow } from "./plans.ts";

export interface BillingState {
  tenantId: string;
  tenantName: string;
  plan: string;
  subscriptionStatus: string;
  trialEndsAt: Date | null;
  currentPeriodEnd: Date | null;
  paymentFailedAt: Date | null;
  stripeCustomerId: string | null;
  stripeSubscriptionId: string | null;
}

export async function getBillingState(
  sql: Queryable,
  params: { tenantId: string },
): Promise<BillingState | undefined> {
  const [row] = await sql<BillingState[]>`
    SELECT id AS tenant_id, name AS tenant_name, plan, subscription_status, trial_ends_at, current_period_end,
           payment_failed_at, stripe_customer_id, stripe_subscription_id
    FROM tenants WHERE id = ${params.tenantId}`;
  return row;
}

export async function findTenantByStripeCustomer(
  sql: Queryable,
  params: { customerId: string },
): Promise<BillingState | undefined> {
  const [row] = await sql<BillingState[]>`
    SELECT id AS tenant_id, name AS tenant_name, plan, subscription_status, trial_ends_at, current_period_end,
           payment_failed_at, stripe_customer_id, stripe_subscription_id
    FROM tenants WHERE stripe_customer_id = ${params.customerId}`;
  return row;
}

/** Links a Stripe customer to a tenant unless one is linked already; returns the customer id that holds. */
export async function linkStripeCustomer(
  sql: Queryable,
  params: { tenantId: string; customerId: string },
): Promise<string | null> {
  await sql`UPDATE tenants SET stripe_customer_id = ${params.customerId}, updated_at = now()
            WHERE id = ${params.tenantId} AND stripe_customer_id IS NULL`;
  const [row] = await sql<{ stripeCustomerId: string | null }[]>`
    SELECT stripe_customer_id FROM tenants WHERE id = ${params.tenantId}`;
  return row?.stripeCustomerId ?? null;
}

/**
 * Claims a Stripe event id. False when it was claimed before (a replay): the caller applies
 * nothing. A concurrent delivery of the same event waits here until the first one commits.
 */
export async function claimStripeEvent(
  sql: Queryable,
  params: { id: string; type: string; createdAt: Date },
): Promise<boolean> {
  const rows = await sql`
    INSERT INTO stripe_events (id, type, created_at) VALUES (${params.id}, ${params.type}, ${params.createdAt})
    ON CONFLICT (id) DO NOTHING RETURNING id`;
  return rows.length === 1;
}

export async function settleStripeEvent(
  sql: Queryable,
  params: { id: string; tenantId: string | null; outcome: string },
): Promise<void> {
  await sql`UPDATE stripe_events SET tenant_id = ${params.tenantId}, outcome = ${params.outcome}
            WHERE id = ${params.id}`;
}

export async function findPlanByStripePrice(
  sql: Queryable,
  params: { priceIds: string[] },
): Promise<PlanRow | undefined> {
  if (params.priceIds.length === 0) return undefined;
  const [row] = await sql<PlanRow[]>`
    SELECT name, display_name, webhook_limit, monthly_message_limit, bill_overage, trial_days,
           requests_per_second, stripe_price_id, stripe_metered_price_id
    FROM plans WHERE stripe_price_id = ANY(${params.priceIds}::text[])
    ORDER BY name LIMIT 1`;
  return row;
}

/**
 * Applies a subscription's state to a tenant unless a newer Stripe event was applied already.
 * plan null keeps the current plan. Returns false when the event was stale.
 */
export async function applySubscriptionState(
  sql: Queryable,
  params: {
    tenantId: string;
    plan: string | null;
    status: string;
    subscriptionId: string;
    currentPeriodEnd: Date | null;
    trialEndsAt: Date | null;
    eventAt: Date;
  },
): Promise<boolean> {
  const rows = await sql`
    UPDATE tenants SET
      plan = COALESCE(${params.plan}, plan),
      subscription_status = ${params.status},
      stripe_subscription_id = ${params.subscriptionId},
      current_period_end = ${params.currentPeriodEnd},
      trial_ends_at = ${params.trialEndsAt},
      payment_failed_at = CASE WHEN ${params.status} IN ('active', 'trialing') THEN NULL ELSE payment_failed_at END,
      stripe_event_at = ${params.eventAt},
      updated_at = now()
    WHERE id = ${params.tenantId} AND (stripe_event_at IS NULL OR stripe_event_at <= ${params.eventAt})
    RETURNING id`;
  return rows.length === 1;
}

/** A failed invoice payment: an active subscription becomes past_due until Stripe says otherwise. */
export async function markPaymentFailed(
  sql: Queryable,
  params: { tenantId: string; eventAt: Date },
): Promise<boolean> {
  const rows = await sql`
    UPDATE tenants SET
      payment_failed_at = ${params.eventAt},
      subscription_status = CASE WHEN subscription_status IN ('active', 'trialing') THEN 'past_due'
                                 ELSE subscription_status END,
      stripe_event_at = ${params.eventAt},
      updated_at = now()
    WHERE id = ${params.tenantId} AND (stripe_event_at IS NULL OR stripe_event_at <= ${params.eventAt})
    RETURNING id`;
  return rows.length === 1;
}

export interface OverageCandidate {
  tenantId: string;
  month: string;
  stripeCustomerId: string;
  overage: number;
  reported: number;
}

/**
 * Tenants whose plan bills overage and who used more than the plan includes in one of `months`,
 * with what was reported for that month so far. A plan without a limit includes nothing.
 */
export async function overageCandidates(
  sql: Queryable,
  params: { months: string[]; tenantId?: string | undefined },
): Promise<OverageCandidate[]> {
  return sql<OverageCandidate[]>`
    SELECT u.tenant_id, to_char(u.month, 'YYYY-MM-DD') AS month, t.stripe_customer_id,
           u.messages - COALESCE(p.monthly_message_limit, 0) AS overage,
           COALESCE((SELECT sum(r.quantity) FROM meter_reports r
                     WHERE r.tenant_id = u.tenant_id AND r.month = u.month), 0)::int AS reported
    FROM usage_monthly u JOIN tenants t ON t.id = u.tenant_id JOIN plans p ON p.name = t.plan
    WHERE u.month = ANY(${params.months}::date[]) AND p.bill_overage AND t.stripe_customer_id IS NOT NULL
      AND ${params.tenantId ? sql`u.tenant_id = ${params.tenantId}` : sql`true`}
      AND u.messages > COALESCE(p.monthly_message_limit, 0)
    ORDER BY u.tenant_id, u.month`;
}

export interface MeterReport {
  identifier: string;
  tenantId: string;
  month: string;
  quantity: number;
  stripeCustomerId: string;
  eventName: string;
  occurredAt: Date;
  reportedAt: Date | null;
  attempts: number;
}

const reportColumns = (sql: Queryable) =>
  sql`identifier, tenant_id, to_char(month, 'YYYY-MM-DD') AS month, quantity, stripe_customer_id, event_name,
      occurred_at, reported_at, attempts`;

/** Numbers the next report of a tenant on a day; call under the tenant's row lock. */
export async function nextMeterReportSeq(
  sql: Queryable,
  params: { tenantId: string; day: string },
): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM meter_reports
    WHERE tenant_id = ${params.tenantId} AND identifier LIKE ${`${params.tenantId}:${params.day}:%`}`;
  return (row?.n ?? 0) + 1;
}

export async function insertMeterReport(
  sql: Queryable,
  report: Omit<MeterReport, "reportedAt" | "attempts">,
): Promise<void> {
  await sql`
    INSERT INTO meter_reports (identifier, tenant_id, month, quantity, stripe_customer_id, event_name, occurred_at)
    VALUES (${report.identifier}, ${report.tenantId}, ${report.month}::date, ${report.quantity},
            ${report.stripeCustomerId}, ${report.eventName}, ${report.occurredAt})`;
}

export async function pendingMeterReports(sql: Queryable, params: { limit: number }): Promise<MeterReport[]> {
  return sql<MeterReport[]>`
    SELECT ${reportColumns(sql)} FROM meter_reports WHERE reported_at IS NULL
    ORDER BY created_at, identifier LIMIT ${params.limit}`;
}

export async function listMeterReports(sql: Queryable, params: { tenantId: string }): Promise<MeterReport[]> {
  return sql<MeterReport[]>`
    SELECT ${reportColumns(sql)} FROM meter_reports WHERE tenant_id = ${params.tenantId}
    ORDER BY created_at, identifier`;
}

export async function markMeterReportSent(sql: Queryable, params: { identifier: string }): Promise<void> {
  await sql`UPDATE meter_reports SET reported_at = now(), attempts = attempts + 1, last_error = NULL
            WHERE identifier = ${params.identifier} AND reported_at IS NULL`;
}

export async function markMeterReportFailed(
  sql: Queryable,
  params: { identifier: string; error: string },
): Promise<void> {
  await sql`UPDATE meter_reports SET attempts = attempts + 1, last_error = ${params.error.slice(0, 1000)}
            WHERE identifier = ${params.identifier}`;
}
