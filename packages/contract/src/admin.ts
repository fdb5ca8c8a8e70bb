// The operator API: plans and tenants.
import { z } from "@hono/zod-openapi";
import { itemsOf } from "./common.ts";

const limit = z.number().int().min(0).nullable();
const stripePrice = z.string().min(1).max(255).nullable();

export const Plan = z
  .object({
    name: z.string(),
    displayName: z.string(),
    webhookLimit: limit,
    monthlyMessageLimit: limit,
    billOverage: z.boolean(),
    trialDays: z.number().int().min(1).nullable(),
    requestsPerSecond: z.number().int().min(1).nullable(),
    stripePriceId: z.string().nullable(),
    stripeMeteredPriceId: z.string().nullable(),
  })
  .openapi("Plan");
export type Plan = z.infer<typeof Plan>;
export const PlanList = itemsOf(Plan);
export type PlanList = z.infer<typeof PlanList>;

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
  .partial()
  .openapi("PlanInput");
export type PlanChanges = z.infer<typeof PlanChanges>;

export const Tenant = z
  .object({
    id: z.string(),
    name: z.string(),
    plan: z.string(),
    subscriptionStatus: z.string(),
    trialEndsAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("Tenant");
export type Tenant = z.infer<typeof Tenant>;
export const TenantList = itemsOf(Tenant);
export type TenantList = z.infer<typeof TenantList>;

export const TenantsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  after: z.string().max(64).optional(),
});
/** What a caller may pass: every parameter optional (the server applies the defaults). */
export type TenantsQuery = Partial<z.output<typeof TenantsQuery>>;
export const TenantParams = z.object({ tenantId: z.string().max(64) });
export const SetPlanRequest = z.object({ plan: z.string().min(1).max(63) });
export type SetPlanRequest = z.input<typeof SetPlanRequest>;
