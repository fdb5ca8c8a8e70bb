// sendMessage's webhook lookups, cached for at most WEBHOOK_CACHE_TTL_MS. A webhook inactivated or
// deleted within that bound may still have a message accepted; the worker checks the webhook again
// before it posts, so such a message is reported failed, never sent.
import { getWebhook, type WebhookRow } from "@herald/db";
import type { AppContext } from "../../context.ts";

export const WEBHOOK_CACHE_TTL_MS = 2_000;
const MAX_ENTRIES = 20_000;

interface Entry {
  row: WebhookRow | undefined;
  fetchedAt: number;
}
const cache = new WeakMap<AppContext, Map<string, Entry>>();

export async function cachedWebhook(ctx: AppContext, tenantId: string, webhookId: string) {
  let entries = cache.get(ctx);
  if (!entries) {
    entries = new Map();
    cache.set(ctx, entries);
  }
  const key = `${tenantId}/${webhookId}`;
  const hit = entries.get(key);
  if (hit && Date.now() - hit.fetchedAt < WEBHOOK_CACHE_TTL_MS) return hit.row;
  const row = await getWebhook(ctx.sql, { tenantId, webhookId });
  if (entries.size >= MAX_ENTRIES) entries.clear();
  entries.set(key, { row, fetchedAt: Date.now() });
  return row;
}

/** Forgets a webhook at once on this replica (edits made here are seen immediately). */
export function forgetWebhook(ctx: AppContext, tenantId: string, webhookId: string): void {
  cache.get(ctx)?.delete(`${tenantId}/${webhookId}`);
}
