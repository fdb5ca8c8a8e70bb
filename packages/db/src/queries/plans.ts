import type { Queryable } from "../client.ts";

export interface PlanRow {
  name: string;
  displayName: string;
  webhookLimit: number | null;
  monthlyMessageLimit: number | null;
  billOverage: boolean;
  trialDays: number | null;
  requestsPerSecond: number | null;
  stripePriceId: string | null;
  stripeMeteredPriceId: string | null;
}

const planColumns = (sql: Queryable) =>
  sql`name, display_name, webhook_limit, monthly_message_limit, bill_overage, trial_days,
      requests_per_second, stripe_price_id, stripe_metered_price_id`;

export async function listPlans(sql: Queryable): Promise<PlanRow[]> {
  return sql<PlanRow[]>`SELECT ${planColumns(sql)} FROM plans ORDER BY name`;
}

export async function getPlan(sql: Queryable, params: { name: string }): Promise<PlanRow | undefined> {
  const [row] = await sql<PlanRow[]>`SELECT ${planColumns(sql)} FROM plans WHERE name = ${params.name}`;
  return row;
}

export async function upsertPlan(sql: Queryable, plan: PlanRow): Promise<PlanRow> {
  const [row] = await sql<PlanRow[]>`
    INSERT INTO plans (name, display_name, webhook_limit, monthly_message_limit, bill_overage, trial_days,
                       requests_per_second, stripe_price_id, stripe_metered_price_id)
    VALUES (${plan.name}, ${plan.displayName}, ${plan.webhookLimit}, ${plan.monthlyMessageLimit}, ${plan.billOverage},
            ${plan.trialDays}, ${plan.requestsPerSecond}, ${plan.stripePriceId}, ${plan.stripeMeteredPriceId})
    ON CONFLICT (name) DO UPDATE SET
      display_name = EXCLUDED.display_name, webhook_limit = EXCLUDED.webhook_limit,
      monthly_message_limit = EXCLUDED.monthly_message_limit, bill_overage = EXCLUDED.bill_overage,
      trial_days = EXCLUDED.trial_days, requests_per_second = EXCLUDED.requests_per_second,
      stripe_price_id = EXCLUDED.stripe_price_id, stripe_metered_price_id = EXCLUDED.stripe_metered_price_id,
      updated_at = now()
    RETURNING ${planColumns(sql)}`;
  if (!row) throw new Error("plan upsert returned no row");
  return row;
}
