import { getMonthlyMessages, webhookCounts } from "@herald/db";
import { type AppContext, utcMonth } from "../../context.ts";
import { authenticateLicense, LicenseError } from "./authenticate.ts";

export async function validateLicense(ctx: AppContext, licenseKey: string, licenseSecret: string) {
  try {
    const license = await authenticateLicense(ctx, licenseKey, licenseSecret);
    const [messagesThisMonth, webhooks] = await Promise.all([
      getMonthlyMessages(ctx.sql, { tenantId: license.tenantId, month: utcMonth(ctx.clock.now()) }),
      webhookCounts(ctx.sql, { tenantId: license.tenantId }),
    ]);
    return {
      valid: true as const,
      tenant: { id: license.tenantId, name: license.tenantName },
      instance: { id: license.instanceId, name: license.instanceName },
      plan: license.plan,
      quota: {
        webhooks: { used: webhooks.registered, limit: license.webhookLimit },
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
