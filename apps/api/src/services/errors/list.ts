import { type ErrorLogRow, listErrorLog } from "@herald/db";
import type { AppContext } from "../../context.ts";
import { requireInstance } from "../instances/index.ts";
import { requireWebhook } from "../webhooks/manage.ts";

export interface ErrorLogPage {
  items: ErrorLogRow[];
  nextCursor: string | null;
}

export async function listErrors({
  ctx,
  tenantId,
  scope,
  page,
}: {
  ctx: AppContext;
  tenantId: string;
  scope: { webhookId: string } | { instanceId: string };
  page: {
    limit: number;
    before?: string | undefined;
    classification?: string | undefined;
    webhookId?: string | undefined;
    messageId?: string | undefined;
  };
}): Promise<ErrorLogPage> {
  if ("webhookId" in scope) await requireWebhook(ctx, tenantId, scope.webhookId);
  else await requireInstance(ctx, tenantId, scope.instanceId);
  const items = await listErrorLog(ctx.sql, {
    tenantId,
    ...scope,
    webhookId: "webhookId" in scope ? scope.webhookId : page.webhookId,
    messageId: page.messageId,
    classification: page.classification,
    before: page.before,
    limit: page.limit,
  });
  return { items, nextCursor: items.length === page.limit ? (items.at(-1)?.id ?? null) : null };
}
