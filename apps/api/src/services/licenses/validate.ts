import { getMonthlyMessages, webhookCounts } from "@herald/db";
import { type AppContext, utcMonth } from "../../context.ts";
import type { QuotaSnapshot } from "../caches.ts";
import { authenticateLicense, LicenseError } from "./authenticate.ts";

function quotaSnapshot(ctx: AppContext, tenantId: string, month: string): Promise<QuotaSnapshot> {
  const key = `${tenantId}/${month}`;
  const hit = ctx.caches.quotaSnapshots.fresh(key);
  if (hit) return hit.value;
  const value = Promise.all([
    getMonthlyMessages(ctx.sql, { tenantId, month }),
    webhookCounts(ctx.sql, { tenantId }),
  ]).then(([messagesThisMonth, webhooks]) => ({ messagesThisMonth, webhooks: webhooks.registered }));
  ctx.caches.quotaSnapshots.set(key, value);
  // A failed read is not remembered: the next caller tries again.
  value.catch(() => ctx.caches.quotaSnapshots.delete(key));
  return value;
}

export async function validateLicense(ctx: AppContext, licenseKey: string, licenseSecret: string) {
  try {
    const license = await authenticateLicense(ctx, licenseKey, licenseSecret);
    const { messagesThisMonth, webhooks } = await quotaSnapshot(
      ctx,
      license.tenantId,
      utcMonth(ctx.clock.now()),
    );
    return {
      valid: true as const,
      tenant: { id: license.tenantId, name: license.tenantName },
      instance: { id: license.instanceId, name: license.instanceName },
      plan: license.plan,
      quota: {
        webhooks: { used: webhooks, limit: license.webhookLimit },
        messagesThisMonth: { used: messagesThisMonth, limit: license.monthlyMessageLimit },
        trialEndsAt: license.trialEndsAt?.toISOString() ?? null,
      },
    };
  } catch (error) {
    if (error instanceof LicenseError)
      return { valid: false as const, reason: error.reason, message: error.message };
    throw error;
  }
}
