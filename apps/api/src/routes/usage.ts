import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppContext } from "../context.ts";
import type { AppEnv } from "../hono-env.ts";
import { getUsage } from "../services/usage/get.ts";
import { errorResponses, json } from "./schemas.ts";

const Period = z.object({
  messagesAccepted: z.number().int(),
  messagesSent: z.number().int().openapi({
    description: "Delivered: posted by a connector or accepted by a Power Automate flow (the two below).",
  }),
  messagesAcceptedByFlow: z.number().int().openapi({
    description:
      "Accepted by Power Automate (HTTP 202); the flow posts them, where only its owner sees failures.",
  }),
  messagesPostedByConnector: z.number().int(),
  messagesFailed: z.number().int(),
  messagesThrottled: z.number().int(),
  webhooks: z.number().int(),
  webhooksActive: z.number().int(),
  webhooksAdded: z.number().int(),
});
const Quota = z.object({ used: z.number().int(), limit: z.number().int().nullable() });
const Usage = z
  .object({
    thisMonth: Period.extend({ from: z.string(), to: z.string() }),
    lastMonth: Period.extend({ from: z.string(), to: z.string() }),
    total: Period,
    quota: z.object({
      plan: z.string(),
      webhooks: Quota,
      messagesThisMonth: Quota.extend({ billOverage: z.boolean() }),
      trialEndsAt: z.string().nullable(),
      subscriptionStatus: z.string(),
    }),
    series: z
      .array(
        z.object({
          day: z.string(),
          messagesAccepted: z.number().int(),
          messagesSent: z.number().int(),
          messagesFailed: z.number().int(),
          messagesThrottled: z.number().int(),
          webhooksAdded: z.number().int(),
        }),
      )
      .optional(),
    webhooks: z
      .array(
        z.object({
          webhookId: z.string(),
          name: z.string(),
          deleted: z.boolean(),
          messagesSent: z.number().int(),
          messagesFailed: z.number().int(),
          messagesQueued: z.number().int(),
        }),
      )
      .optional()
      .openapi({
        description:
          "With `breakdown=webhooks`: this month's messages per webhook (channel), busiest first, at most 100.",
      }),
  })
  .openapi("Usage");

const usageRoute = createRoute({
  method: "get",
  path: "/v1/usage",
  summary: "Usage: this month, last month, total (and a daily series)",
  tags: ["Console"],
  security: [{ Session: [] }],
  request: {
    query: z.object({
      instanceId: z.string().max(64).optional(),
      series: z.enum(["daily"]).optional(),
      breakdown: z.enum(["webhooks"]).optional(),
    }),
  },
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
