import { listPlans, type PlanRow } from "@herald/db";
import type { AppContext } from "../../context.ts";

export function getPlans({ ctx }: { ctx: AppContext }): Promise<PlanRow[]> {
  return listPlans(ctx.sql);
}
