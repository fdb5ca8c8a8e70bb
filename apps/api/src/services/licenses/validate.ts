import { getMonthlyMessages, webhookCounts } from "@herald/db";
import { type AppContext, utcMonth } from "../../context.ts";
import { RuntimeCache } from "../runtime-cache.ts";
import { authenticateLicense, LicenseError } from "./authenticate.ts";

/**
 * The quota figures in a validation answer are read at most this long ago. Platforms validate a
 * key at every start of every app instance (and some on every call); one read per tenant per
 * second, shared by concurrent callers, keeps that off the database.
 */
export const QUOTA_SNAPSHOT_TTL_MS = 1_000;

interface QuotaSnapshot {
  messagesThisMonth: number;
  webhooks: number;
}
const snapshots = new RuntimeCache<Promise<QuotaSnapshot>>(QUOTA_SNAPSHOT_TTL_MS, 10_000);

function quotaSnapshot(ctx: AppContext, tenantId: string, month: string): Promise<QuotaSnapshot> {
  const key = `${tenantId}/${month}`;
  const hit = snapshots.fresh(ctx, key);
  if (hit) return hit.value;
  const value = Promise.all([
    getMonthlyMessages(ctx.sql, { tenantId, month }),
    webhookCounts(ctx.sql, { tenantId }),
  ]).then(([messagesThisMonth, webhooks]) => ({ messagesThisMonth, webhooks: webhooks.registered }));
  snapshots.set(ctx, key, value);
  // A failed read is not remembered: the next caller tries again.
  value.catch(() => snapshots.delete(ctx, key));
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
