import { getMessage } from "@herald/db";
import type { AppContext } from "../../context.ts";
import { found } from "../../errors.ts";
import { requireInstance } from "../instances/index.ts";

/** One message of an instance, for the console's message page (the error log links to it). */
export async function getMessageDetail({
  ctx,
  tenantId,
  instanceId,
  messageId,
}: {
  ctx: AppContext;
  tenantId: string;
  instanceId: string;
  messageId: string;
}) {
  await requireInstance(ctx, tenantId, instanceId);
  const row = await getMessage(ctx.sql, { tenantId, messageId });
  return found(row?.instanceId === instanceId ? row : undefined, "message", messageId);
}
