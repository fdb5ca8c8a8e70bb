// sendMessage's webhook lookups, cached for at most WEBHOOK_CACHE_TTL_MS. A webhook inactivated or
// deleted within that bound may still have a message accepted; the worker checks the webhook again
// before it posts, so such a message is reported failed, never sent.
import { getWebhook, type WebhookRow } from "@herald/db";
import type { AppContext } from "../../context.ts";
import { RuntimeCache } from "../runtime-cache.ts";

export const WEBHOOK_CACHE_TTL_MS = 2_000;
const cache = new RuntimeCache<WebhookRow | undefined>(WEBHOOK_CACHE_TTL_MS, 20_000);

export async function cachedWebhook(ctx: AppContext, tenantId: string, webhookId: string) {
  const key = `${tenantId}/${webhookId}`;
  const hit = cache.fresh(ctx, key);
  if (hit) return hit.value;
  const row = await getWebhook(ctx.sql, { tenantId, webhookId });
  cache.set(ctx, key, row);
  return row;
}

/** Forgets a webhook at once on this replica (edits made here are seen immediately). */
export function forgetWebhook(ctx: AppContext, tenantId: string, webhookId: string): void {
  cache.delete(ctx, `${tenantId}/${webhookId}`);
}
