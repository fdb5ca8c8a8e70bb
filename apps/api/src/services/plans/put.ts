// Defines or changes a plan. The one plan-administration verb: `PUT /admin/v1/plans/{name}` and
// `herald plans put` both call it, so an operator gets the same stored plan from either.
//
// Semantics: a merge. A setting left out keeps its current value (on a new plan, its default: the
// name as display name, no limits, no overage, no trial, no throttle, no Stripe prices); `null`
// clears a setting. Omitting a field therefore never lifts a quota or drops a price by accident.
import { isPlanName, PLAN_NAME_RULE } from "@herald/core";
import { mergePlan, type PlanRow } from "@herald/db";
import { z } from "@hono/zod-openapi";
import type { AppContext } from "../../context.ts";
import { DomainError, invalidRequest } from "../../errors.ts";

const limit = z.number().int().min(0).nullable();
const stripePrice = z.string().min(1).max(255).nullable();

/** The settings a put may give; each one optional (kept when absent), most of them nullable (cleared). */
export const PlanChanges = z
  .object({
    displayName: z.string().trim().min(1).max(200),
    webhookLimit: limit.openapi({ description: "Webhooks a tenant may register; null: no limit." }),
    monthlyMessageLimit: limit.openapi({ description: "Messages per calendar month (UTC); null: no limit." }),
    billOverage: z
      .boolean()
      .openapi({ description: "Bill messages beyond the monthly limit instead of refusing them." }),
    trialDays: z.number().int().min(1).nullable().openapi({ description: "Trial length; null: no trial." }),
    requestsPerSecond: z
      .number()
      .int()
      .min(1)
      .nullable()
      .openapi({ description: "Activity-API requests per second per binding key; null: not throttled." }),
    stripePriceId: stripePrice,
    stripeMeteredPriceId: stripePrice,
  })
  .partial();
export type PlanChanges = z.infer<typeof PlanChanges>;

export async function putPlan({
  ctx,
  name,
  changes,
}: {
  ctx: AppContext;
  name: string;
  changes: PlanChanges;
}): Promise<{ plan: PlanRow; created: boolean }> {
  if (!isPlanName(name)) {
    throw new DomainError("invalid_request", `Invalid plan name "${name}": ${PLAN_NAME_RULE}.`, {
      fields: [{ field: "name", problem: PLAN_NAME_RULE }],
    });
  }
  const parsed = PlanChanges.safeParse(changes);
  if (!parsed.success) throw invalidRequest(parsed.error.issues);
  return mergePlan(ctx.sql, { name, changes: parsed.data });
}
