// Usage statistics from counters kept on write: never a scan of messages.
import {
  dailyUsage,
  getMonthlyMessages,
  getTenant,
  sumUsage,
  type UsageTotals,
  usageByWebhook,
  webhookCounts,
} from "@herald/db";
import { type AppContext, utcDay, utcMonth } from "../../context.ts";
import { found } from "../../errors.ts";
import { requireInstance } from "../instances/index.ts";

/** The breakdown lists the busiest webhooks of the month, not every one an account ever had. */
const WEBHOOK_BREAKDOWN_LIMIT = 100;

function period(totals: UsageTotals, webhooks: { registered: number; active: number }) {
  return {
    messagesAccepted: totals.messagesAccepted,
    messagesSent: totals.messagesSent,
    messagesAcceptedByFlow: totals.messagesAcceptedByFlow,
    messagesPostedByConnector: totals.messagesSent - totals.messagesAcceptedByFlow,
    messagesFailed: totals.messagesFailed,
    messagesThrottled: totals.messagesThrottled,
    webhooksAdded: totals.webhooksAdded,
    webhooks: webhooks.registered,
    webhooksActive: webhooks.active,
  };
}

export async function getUsage({
  ctx,
  tenantId,
  instanceId,
  series,
  breakdown,
}: {
  ctx: AppContext;
  tenantId: string;
  instanceId?: string | undefined;
  series?: "daily" | undefined;
  breakdown?: "webhooks" | undefined;
}) {
  if (instanceId) await requireInstance(ctx, tenantId, instanceId);
  const now = ctx.clock.now();
  const thisMonth = utcMonth(now);
  const lastMonthDate = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const lastMonth = utcMonth(lastMonthDate);
  const nextMonth = utcMonth(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)));
  const scope = { tenantId, instanceId };
  const [tenant, current, previous, total, webhooks, accountWebhooks, monthCounter, daily, byWebhook] =
    await Promise.all([
      getTenant(ctx.sql, { tenantId }),
      sumUsage(ctx.sql, { ...scope, from: thisMonth, to: nextMonth }),
      sumUsage(ctx.sql, { ...scope, from: lastMonth, to: thisMonth }),
      sumUsage(ctx.sql, scope),
      webhookCounts(ctx.sql, scope),
      // The quota is the account's, whatever instance the figures are narrowed to.
      instanceId ? webhookCounts(ctx.sql, { tenantId }) : Promise.resolve(undefined),
      getMonthlyMessages(ctx.sql, { tenantId, month: thisMonth }),
      series === "daily"
        ? dailyUsage(ctx.sql, {
            ...scope,
            from: utcDay(new Date(now.getTime() - 29 * 86_400_000)),
            to: utcDay(new Date(now.getTime() + 86_400_000)),
          })
        : Promise.resolve(undefined),
      breakdown === "webhooks"
        ? usageByWebhook(ctx.sql, {
            ...scope,
            from: thisMonth,
            to: nextMonth,
            limit: WEBHOOK_BREAKDOWN_LIMIT,
          })
        : Promise.resolve(undefined),
    ]);
  const plan = found(tenant, "tenant", tenantId).planDetails;
  return {
    thisMonth: { ...period(current, webhooks), from: thisMonth, to: nextMonth },
    lastMonth: {
      ...period(previous, { registered: previous.webhooksAdded, active: previous.webhooksAdded }),
      from: lastMonth,
      to: thisMonth,
    },
    total: period(total, webhooks),
    quota: {
      plan: plan.name,
      webhooks: { used: (accountWebhooks ?? webhooks).registered, limit: plan.webhookLimit },
      messagesThisMonth: {
        used: monthCounter,
        limit: plan.monthlyMessageLimit,
        billOverage: plan.billOverage,
      },
      trialEndsAt: tenant?.trialEndsAt?.toISOString() ?? null,
      subscriptionStatus: tenant?.subscriptionStatus ?? "unknown",
    },
    ...(daily ? { series: daily } : {}),
    ...(byWebhook ? { webhooks: byWebhook } : {}),
  };
}
