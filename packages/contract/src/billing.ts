// Billing: the plan, the subscription's state, Stripe Checkout and Billing Portal, Stripe's webhook.
import { z } from "@hono/zod-openapi";

export const PlanSummary = z.object({
  name: z.string(),
  displayName: z.string(),
  webhookLimit: z.number().int().nullable(),
  monthlyMessageLimit: z.number().int().nullable(),
  billOverage: z.boolean(),
  trialDays: z.number().int().nullable(),
});
export type PlanSummary = z.infer<typeof PlanSummary>;

export const Billing = z
  .object({
    enabled: z.boolean().openapi({ description: "false when this Herald has no Stripe configuration" }),
    plan: z.string().openapi({ description: "The current plan's name" }),
    planDetails: PlanSummary,
    subscriptionStatus: z.string(),
    trialEndsAt: z.string().nullable(),
    currentPeriodEnd: z.string().nullable(),
    paymentFailedAt: z.string().nullable(),
    hasBillingAccount: z.boolean(),
    plans: z.array(PlanSummary.extend({ current: z.boolean() })),
  })
  .openapi("Billing");
export type Billing = z.infer<typeof Billing>;

export const CheckoutRequest = z.object({ plan: z.string().min(1).max(63) });
export type CheckoutRequest = z.input<typeof CheckoutRequest>;
export const CheckoutSession = z.object({ url: z.string(), sessionId: z.string() });
export type CheckoutSession = z.infer<typeof CheckoutSession>;
export const PortalSession = z.object({ url: z.string() });
export type PortalSession = z.infer<typeof PortalSession>;

export const StripeWebhookHeaders = z.object({ "stripe-signature": z.string().optional() });
export const StripeEventReceipt = z.object({
  received: z.literal(true),
  duplicate: z.boolean(),
  outcome: z.string(),
});
export type StripeEventReceipt = z.infer<typeof StripeEventReceipt>;
