// sendMessage's webhook lookups, cached for at most WEBHOOK_CACHE_TTL_MS (caches.ts). A webhook inactivated or
// deleted within that bound may still have a message accepted; the worker checks the webhook again
// before it posts, so such a message is reported failed, never sent.
import { getWebhook } from "@herald/db";
import type { AppContext } from "../../context.ts";

export async function cachedWebhook(ctx: AppContext, tenantId: string, webhookId: string) {
  const key = `${tenantId}/${webhookId}`;
  const hit = ctx.caches.webhooks.fresh(key);
  if (hit) return hit.value;
  const row = await getWebhook(ctx.sql, { tenantId, webhookId });
  ctx.caches.webhooks.set(key, row);
  return row;
}

/** Forgets a webhook at once on this replica (edits made here are seen immediately). */
export function forgetWebhook(ctx: AppContext, tenantId: string, webhookId: string): void {
  ctx.caches.webhooks.delete(`${tenantId}/${webhookId}`);
}
