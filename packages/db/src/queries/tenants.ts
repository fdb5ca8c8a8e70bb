import type { Queryable } from "../client.ts";
import type { PlanRow } from "./plans.ts";

export interface TenantRow {
  id: string;
  name: string;
  plan: string;
  subscriptionStatus: string;
  trialEndsAt: Date | null;
  currentPeriodEnd: Date | null;
  stripeCustomerId: string | null;
  stripeSubscriptionId: string | null;
  createdAt: Date;
}

export interface TenantWithPlan extends TenantRow {
  planDetails: PlanRow;
}

export async function insertTenant(
  sql: Queryable,
  params: { id: string; name: string; plan: string; trialEndsAt: Date | null; subscriptionStatus: string },
): Promise<void> {
  await sql`INSERT INTO tenants (id, name, plan, trial_ends_at, subscription_status)
            VALUES (${params.id}, ${params.name}, ${params.plan}, ${params.trialEndsAt}, ${params.subscriptionStatus})`;
}

export async function getTenant(
  sql: Queryable,
  params: { tenantId: string },
): Promise<TenantWithPlan | undefined> {
  const [row] = await sql<(TenantRow & { planJson: PlanRow })[]>`
    SELECT t.id, t.name, t.plan, t.subscription_status, t.trial_ends_at, t.current_period_end,
           t.stripe_customer_id, t.stripe_subscription_id, t.created_at,
           json_build_object('name', p.name, 'displayName', p.display_name, 'webhookLimit', p.webhook_limit,
             'monthlyMessageLimit', p.monthly_message_limit, 'billOverage', p.bill_overage, 'trialDays', p.trial_days,
             'requestsPerSecond', p.requests_per_second, 'stripePriceId', p.stripe_price_id,
             'stripeMeteredPriceId', p.stripe_metered_price_id) AS plan_json
    FROM tenants t JOIN plans p ON p.name = t.plan
    WHERE t.id = ${params.tenantId}`;
  if (!row) return undefined;
  const { planJson, ...tenant } = row;
  return { ...tenant, planDetails: planJson };
}

/** Serialises quota-changing work of one tenant (webhook registration) inside a transaction. */
export async function lockTenant(sql: Queryable, params: { tenantId: string }): Promise<boolean> {
  const rows = await sql`SELECT 1 FROM tenants WHERE id = ${params.tenantId} FOR UPDATE`;
  return rows.length === 1;
}

export async function listTenants(sql: Queryable, params: { limit: number; after?: string | undefined }) {
  return sql<TenantRow[]>`
    SELECT id, name, plan, subscription_status, trial_ends_at, current_period_end,
           stripe_customer_id, stripe_subscription_id, created_at
    FROM tenants WHERE ${params.after ? sql`id > ${params.after}` : sql`true`}
    ORDER BY id LIMIT ${params.limit}`;
}

export async function setTenantPlan(
  sql: Queryable,
  params: {
    tenantId: string;
    plan: string;
    subscriptionStatus?: string | undefined;
    trialEndsAt?: Date | null;
  },
): Promise<boolean> {
  const rows = await sql`
    UPDATE tenants SET plan = ${params.plan},
      subscription_status = COALESCE(${params.subscriptionStatus ?? null}, subscription_status),
      trial_ends_at = ${params.trialEndsAt === undefined ? sql`trial_ends_at` : params.trialEndsAt},
      updated_at = now()
    WHERE id = ${params.tenantId} RETURNING id`;
  return rows.length === 1;
}
