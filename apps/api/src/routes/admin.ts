import {
  Plan,
  PlanChanges,
  PlanList,
  SetPlanRequest,
  TenantList,
  TenantParams,
  TenantsQuery,
} from "@herald/contract";
import { PLAN_NAME_PATTERN, PLAN_NAME_RULE } from "@herald/core";
import type { TenantRow } from "@herald/db";
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppContext } from "../context.ts";
import type { AppEnv } from "../hono-env.ts";
import { assignPlan, getTenants } from "../services/admin/index.ts";
import { getPlans } from "../services/plans/list.ts";
import { putPlan } from "../services/plans/put.ts";
import { errorResponses, json, jsonBody } from "./responses.ts";

const security = [{ Admin: [] }];
const toTenant = (t: TenantRow) => ({
  id: t.id,
  name: t.name,
  plan: t.plan,
  subscriptionStatus: t.subscriptionStatus,
  trialEndsAt: t.trialEndsAt?.toISOString() ?? null,
  createdAt: t.createdAt.toISOString(),
});

const listPlansRoute = createRoute({
  method: "get",
  path: "/admin/v1/plans",
  operationId: "listPlans",
  description: "Every plan, with its limits, trial length, per-key request rate and Stripe prices.",
  summary: "List plans",
  tags: ["Operator"],
  security,
  responses: { 200: json(PlanList, "Plans"), ...errorResponses(401, 404) },
});
const putPlanRoute = createRoute({
  method: "put",
  path: "/admin/v1/plans/{name}",
  operationId: "putPlan",
  summary: "Define or change a plan",
  description:
    "Merges: a setting left out keeps its current value (on a new plan its default: the name as " +
    "display name, no limits, no overage, no trial, no throttle, no Stripe prices); `null` clears a " +
    "setting. `herald plans put` calls the same service with the same semantics.",
  tags: ["Operator"],
  security,
  request: {
    params: z.object({ name: z.string().regex(PLAN_NAME_PATTERN, PLAN_NAME_RULE) }),
    body: jsonBody(PlanChanges),
  },
  responses: { 200: json(Plan, "Plan"), ...errorResponses(400, 401, 404, 415) },
});
const listTenantsRoute = createRoute({
  method: "get",
  path: "/admin/v1/tenants",
  operationId: "listTenants",
  description: "Every tenant, with its plan and subscription state.",
  summary: "List tenants",
  tags: ["Operator"],
  security,
  request: {
    query: TenantsQuery,
  },
  responses: { 200: json(TenantList, "Tenants"), ...errorResponses(401, 404) },
});
const setPlanRoute = createRoute({
  method: "put",
  path: "/admin/v1/tenants/{tenantId}/plan",
  operationId: "setTenantPlan",
  description: "Moves a tenant to a plan at once, without Stripe; its quotas follow the new plan.",
  summary: "Move a tenant to a plan",
  tags: ["Operator"],
  security,
  request: {
    params: TenantParams,
    body: jsonBody(SetPlanRequest),
  },
  responses: { 204: { description: "Done" }, ...errorResponses(400, 401, 404, 415) },
});

export function adminRoutes(ctx: AppContext) {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(listPlansRoute, async (c) => c.json({ items: await getPlans({ ctx }) }, 200));
  app.openapi(putPlanRoute, async (c) => {
    const { plan } = await putPlan({ ctx, name: c.req.valid("param").name, changes: c.req.valid("json") });
    return c.json(plan, 200);
  });
  app.openapi(listTenantsRoute, async (c) => {
    const { limit, after } = c.req.valid("query");
    return c.json({ items: (await getTenants({ ctx, limit, after })).map(toTenant) }, 200);
  });
  app.openapi(setPlanRoute, async (c) => {
    await assignPlan({ ctx, tenantId: c.req.valid("param").tenantId, plan: c.req.valid("json").plan });
    return c.body(null, 204);
  });
  return app;
}
