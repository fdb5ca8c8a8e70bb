import { getPlan, listTenants, setTenantPlan } from "@herald/db";
import type { AppContext } from "../../context.ts";
import { DomainError } from "../../errors.ts";
import { forgetTenantLicenses } from "../licenses/authenticate.ts";

export function getTenants({
  ctx,
  limit,
  after,
}: {
  ctx: AppContext;
  limit: number;
  after?: string | undefined;
}) {
  return listTenants(ctx.sql, { limit, after });
}

/** Moves a tenant to a plan. Operators use it for self-hosting ("unlimited") and for deals outside Stripe. */
export async function assignPlan({
  ctx,
  tenantId,
  plan,
}: {
  ctx: AppContext;
  tenantId: string;
  plan: string;
}) {
  const planRow = await getPlan(ctx.sql, { name: plan });
  if (!planRow)
    throw new DomainError("not_found", `No plan named "${plan}"; list plans with GET /admin/v1/plans.`);
  const trialEndsAt = planRow.trialDays
    ? new Date(ctx.clock.now().getTime() + planRow.trialDays * 86_400_000)
    : null;
  const updated = await setTenantPlan(ctx.sql, {
    tenantId,
    plan,
    subscriptionStatus: planRow.trialDays ? "trialing" : "active",
    trialEndsAt,
  });
  if (!updated) throw new DomainError("not_found", `No tenant with id ${tenantId}.`);
  forgetTenantLicenses(ctx, tenantId);
}
