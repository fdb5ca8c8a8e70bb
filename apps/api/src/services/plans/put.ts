// Defines or changes a plan. The one plan-administration verb: `PUT /admin/v1/plans/{name}` and
// `herald plans put` both call it, so an operator gets the same stored plan from either.
//
// Semantics: a merge. A setting left out keeps its current value (on a new plan, its default: the
// name as display name, no limits, no overage, no trial, no throttle, no Stripe prices); `null`
// clears a setting. Omitting a field therefore never lifts a quota or drops a price by accident.

import { PlanChanges } from "@herald/contract";
import { isPlanName, PLAN_NAME_RULE } from "@herald/core";
import { mergePlan, type PlanRow } from "@herald/db";
import type { AppContext } from "../../context.ts";
import { DomainError, invalidRequest } from "../../errors.ts";

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
