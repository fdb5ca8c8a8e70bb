// The usage dashboard: this month, last month, total, the quota and a daily series.
import { z } from "@hono/zod-openapi";
import { Quota } from "./common.ts";

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
export type UsagePeriod = z.infer<typeof Period>;

export const UsageQuery = z.object({
  instanceId: z.string().max(64).optional(),
  series: z.enum(["daily"]).optional(),
  breakdown: z.enum(["webhooks"]).optional(),
});
export type UsageQuery = z.input<typeof UsageQuery>;

export const UsageDay = z.object({
  day: z.string(),
  messagesAccepted: z.number().int(),
  messagesSent: z.number().int(),
  messagesFailed: z.number().int(),
  messagesThrottled: z.number().int(),
  webhooksAdded: z.number().int(),
});
export type UsageDay = z.infer<typeof UsageDay>;

export const Usage = z
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
    series: z.array(UsageDay).optional(),
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
export type Usage = z.infer<typeof Usage>;
