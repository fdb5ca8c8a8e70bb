import { getBillingState, listPlans, type PlanRow } from "@herald/db";
import type { AppContext } from "../../context.ts";
import { found } from "../../errors.ts";

const planSummary = (p: PlanRow) => ({
  name: p.name,
  displayName: p.displayName,
  webhookLimit: p.webhookLimit,
  monthlyMessageLimit: p.monthlyMessageLimit,
  billOverage: p.billOverage,
  trialDays: p.trialDays,
});

/** What the console's billing page shows: the current plan and state, and the plans one can buy. */
export async function getBilling({ ctx, tenantId }: { ctx: AppContext; tenantId: string }) {
  const [state, plans] = await Promise.all([getBillingState(ctx.sql, { tenantId }), listPlans(ctx.sql)]);
  const tenant = found(state, "tenant", tenantId);
  // tenants.plan references plans(name), so the plan is always there.
  const current = found(
    plans.find((p) => p.name === tenant.plan),
    "plan",
    tenant.plan,
  );
  const enabled = ctx.config.stripe !== undefined;
  return {
    enabled,
    plan: current.name,
    planDetails: planSummary(current),
    subscriptionStatus: tenant.subscriptionStatus,
    trialEndsAt: tenant.trialEndsAt?.toISOString() ?? null,
    currentPeriodEnd: tenant.currentPeriodEnd?.toISOString() ?? null,
    paymentFailedAt: tenant.paymentFailedAt?.toISOString() ?? null,
    hasBillingAccount: tenant.stripeCustomerId !== null,
    // Only plans with a Stripe price can be bought; the rest are the operator's to assign.
    plans: enabled
      ? plans
          .filter((p) => p.stripePriceId !== null)
          .map((p) => ({ ...planSummary(p), current: p.name === tenant.plan }))
      : [],
  };
}
