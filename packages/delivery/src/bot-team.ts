// When Herald's bot can no longer post to a team (the app was uninstalled, or Teams answered a
// roster error), every bot webhook of the team goes down with the reason, in every tenant, and
// what was queued for them fails with it, so no caller waits on a message that cannot be sent.
import {
  addFailedUsage,
  disableTeamWebhooks,
  failQueuedMessages,
  insertErrorLog,
  stateEntry,
} from "@herald/db";
import { type DeliveryContext, utcDay } from "./context.ts";

export async function disableBotTeam(
  ctx: DeliveryContext,
  params: { teamId: string; reason: string; channelId?: string; httpStatus?: number | null },
): Promise<{ webhookIds: string[] }> {
  const day = utcDay(ctx.clock.now());
  const result = await ctx.sql.begin(async (tx) => {
    const disabled = await disableTeamWebhooks(tx, {
      teamId: params.teamId,
      reason: params.reason,
      ...(params.channelId === undefined ? {} : { channelId: params.channelId }),
    });
    const failed = await failQueuedMessages(tx, {
      webhookIds: disabled.map((w) => w.id),
      statusMessage: `Not delivered: the bot channel was disabled. ${params.reason}`,
    });
    const log = disabled.map((w) =>
      stateEntry({
        tenantId: w.tenantId,
        instanceId: w.instanceId,
        webhookId: w.id,
        httpStatus: params.httpStatus ?? null,
        kind: "Channel disabled",
        action: `Bot channel disabled: ${params.reason} ${failed.filter((f) => f.webhookId === w.id).length} queued message(s) failed.`,
      }),
    );
    await insertErrorLog(tx, log);
    await addFailedUsage(tx, failed, day);
    return { disabled, failed };
  });
  ctx.signals.webhooksDisabled(result.disabled);
  for (const f of result.failed) ctx.signals.messageFinished(f.id);
  if (result.failed.length > 0) ctx.metrics.countMessages("failed", result.failed.length);
  return { webhookIds: result.disabled.map((w) => w.id) };
}
