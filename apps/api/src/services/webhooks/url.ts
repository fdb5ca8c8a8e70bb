import { checkWebhookUrl, maskWebhookUrl } from "@herald/core";
import type { Queryable } from "@herald/db";
import { upsertChannel } from "@herald/db";
import type { AppContext } from "../../context.ts";
import { DomainError } from "../../errors.ts";

/** Checks a URL against HERALD_WEBHOOK_HOSTS and returns what a webhook row stores about it (never the URL in clear). */
export async function prepareWebhookUrl(ctx: AppContext, sql: Queryable, raw: string) {
  const check = checkWebhookUrl(raw, ctx.config.webhookHosts);
  if (!check.ok) throw new DomainError("webhook_url_not_allowed", check.reason, { field: "url" });
  const { ciphertext, keyId } = ctx.keys.encryptUrl(check.url);
  const channelId = await upsertChannel(sql, { urlHash: ctx.keys.channelHash(check.url), kind: check.kind });
  return {
    channelId,
    urlCiphertext: ciphertext,
    urlKeyId: keyId,
    urlMask: maskWebhookUrl(check.url),
    kind: check.kind,
  };
}
