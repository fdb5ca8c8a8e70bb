import { Usage, UsageQuery } from "@herald/contract";
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { AppContext } from "../context.ts";
import type { AppEnv } from "../hono-env.ts";
import { getUsage } from "../services/usage/get.ts";
import { errorResponses, json } from "./responses.ts";

const usageRoute = createRoute({
  method: "get",
  path: "/v1/usage",
  operationId: "getUsage",
  description:
    "This month, last month and in total: messages accepted, sent, failed and rate limited, and webhooks; with the tenant's quota. instanceId narrows the figures (the quota stays the tenant's); series=daily adds the last 30 days day by day, breakdown=webhooks this month's busiest webhooks.",
  summary: "Usage: this month, last month, total (and a daily series)",
  tags: ["Console"],
  security: [{ Session: [] }],
  request: { query: UsageQuery },
  responses: { 200: json(Usage, "Usage"), ...errorResponses(401, 404) },
});

export function usageRoutes(ctx: AppContext) {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(usageRoute, async (c) => {
    const { instanceId, series, breakdown } = c.req.valid("query");
    return c.json(
      await getUsage({ ctx, tenantId: c.get("session").tenantId, instanceId, series, breakdown }),
      200,
    );
  });
  return app;
}
