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

/** A plan's settings: everything but its name. */
export type PlanSettings = Omit<PlanRow, "name">;

/**
 * Defines plan `name` or changes it, in one statement so that two operators changing different
 * settings at once both keep theirs. A setting absent from `changes` keeps its stored value; on a
 * new plan it takes the default: the name as display name, no limits, no overage, no trial, no
 * throttle, no Stripe prices.
 */
export async function mergePlan(
  sql: Queryable,
  params: { name: string; changes: Partial<PlanSettings> },
): Promise<{ plan: PlanRow; created: boolean }> {
  const { name, changes: c } = params;
  const keep = (given: unknown, column: string) =>
    given === undefined ? sql`plans.${sql(column)}` : sql`EXCLUDED.${sql(column)}`;
  const [row] = await sql<(PlanRow & { created: boolean })[]>`
    INSERT INTO plans (name, display_name, webhook_limit, monthly_message_limit, bill_overage, trial_days,
                       requests_per_second, stripe_price_id, stripe_metered_price_id)
    VALUES (${name}, ${c.displayName ?? name}, ${c.webhookLimit ?? null}, ${c.monthlyMessageLimit ?? null},
            ${c.billOverage ?? false}, ${c.trialDays ?? null}, ${c.requestsPerSecond ?? null},
            ${c.stripePriceId ?? null}, ${c.stripeMeteredPriceId ?? null})
    ON CONFLICT (name) DO UPDATE SET
      display_name = ${keep(c.displayName, "display_name")},
      webhook_limit = ${keep(c.webhookLimit, "webhook_limit")},
      monthly_message_limit = ${keep(c.monthlyMessageLimit, "monthly_message_limit")},
      bill_overage = ${keep(c.billOverage, "bill_overage")},
      trial_days = ${keep(c.trialDays, "trial_days")},
      requests_per_second = ${keep(c.requestsPerSecond, "requests_per_second")},
      stripe_price_id = ${keep(c.stripePriceId, "stripe_price_id")},
      stripe_metered_price_id = ${keep(c.stripeMeteredPriceId, "stripe_metered_price_id")},
      updated_at = now()
    RETURNING ${planColumns(sql)}, (xmax = 0) AS created`;
  if (!row) throw new Error("plan upsert returned no row");
  const { created, ...plan } = row;
  return { plan, created };
}
