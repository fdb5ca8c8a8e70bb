import { checkQuota, parseRatePolicy } from "@herald/core";
import {
  addUsage,
  countWebhooks,
  getTenant,
  getWebhook,
  insertBotWebhook,
  insertWebhook,
  lockTenant,
} from "@herald/db";
import { utcDay } from "../../context.ts";
import { DomainError, found } from "../../errors.ts";
import { entraAppForWebhook } from "../entra-apps/index.ts";
import { type InstanceScope, requireInstance } from "../instances/index.ts";
import { prepareBotChannel, type TeamsChannelInput } from "./bot-channel.ts";
import { prepareWebhookUrl } from "./url.ts";

export interface CreateWebhookInput {
  name: string;
  /** A Teams webhook URL, or: */
  url?: string | undefined;
  /** a channel of a linked team, reached through Herald's bot (a webhook of kind bot). */
  teamsChannel?: TeamsChannelInput | undefined;
  description?: string | undefined;
  entraAppId?: string | null | undefined;
  ratePolicy?: string | null | undefined;
}

/** A webhook's own rate policy text, checked now so that a typo is a 400, not a channel that never sends. */
export function checkedRatePolicy(text: string | null | undefined): string | null | undefined {
  if (text === undefined || text === null) return text;
  const parsed = parseRatePolicy(text);
  if (!parsed.ok)
    throw new DomainError("invalid_request", `ratePolicy: ${parsed.error}`, { field: "ratePolicy" });
  return text;
}

/** Teams' limits for a bot are per thread and per tenant; a tenant may not loosen them for its channel. */
export function refuseBotRatePolicy(ratePolicy: string | null | undefined): void {
  if (typeof ratePolicy !== "string") return;
  throw new DomainError(
    "invalid_request",
    "ratePolicy: a bot webhook follows Teams' bot limits (7 per second, 60 per 30 s and 1,800 per hour per thread, 50 per second per Teams organization); leave ratePolicy out.",
    { field: "ratePolicy" },
  );
}

/** Registers a Teams webhook URL and hands out its webhook ID. Each one counts against the plan's webhook quota. */
export async function createWebhook({
  ctx,
  tenantId,
  instanceId,
  input,
}: InstanceScope & { input: CreateWebhookInput }) {
  await requireInstance(ctx, tenantId, instanceId);
  if (input.teamsChannel !== undefined) refuseBotRatePolicy(input.ratePolicy);
  const ratePolicy = checkedRatePolicy(input.ratePolicy);
  if (input.entraAppId) await entraAppForWebhook(ctx, tenantId, instanceId, input.entraAppId);
  const webhookId = ctx.ids.id("wh");
  await ctx.sql.begin(async (tx) => {
    // The tenant row lock makes count-then-insert race-free across replicas.
    await lockTenant(tx, { tenantId });
    const tenant = found(await getTenant(tx, { tenantId }), "tenant", tenantId);
    const used = await countWebhooks(tx, { tenantId });
    const quota = checkQuota("webhooks", used, tenant.planDetails.webhookLimit, 1, tenant.plan);
    if (!quota.allowed) {
      throw new DomainError("quota_exhausted", quota.message, {
        used,
        limit: quota.limit,
        plan: tenant.plan,
      });
    }
    const common = {
      id: webhookId,
      tenantId,
      instanceId,
      name: input.name,
      description: input.description ?? null,
      entraAppId: input.entraAppId ?? null,
      ratePolicy: ratePolicy ?? null,
    };
    if (input.teamsChannel !== undefined) {
      const target = await prepareBotChannel(ctx, tx, {
        tenantId,
        instanceId,
        teamsChannel: input.teamsChannel,
      });
      await insertBotWebhook(tx, { ...common, ...target });
    } else {
      if (input.url === undefined) {
        throw new DomainError(
          "invalid_request",
          "Give the webhook's url, or a teamsChannel {teamId, channelId}.",
          {
            field: "url",
          },
        );
      }
      await insertWebhook(tx, { ...common, ...(await prepareWebhookUrl(ctx, tx, input.url)) });
    }
    await addUsage(tx, [
      { tenantId, instanceId, day: utcDay(ctx.clock.now()), counter: "webhooksAdded", amount: 1 },
    ]);
  });
  return found(await getWebhook(ctx.sql, { tenantId, webhookId }), "webhook", webhookId);
}
