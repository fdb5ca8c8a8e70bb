// The SendMessageResponse, with the Teams message id when the message went to a bot channel.
import type { MessageRow } from "@herald/db";
import type { AppContext } from "../../context.ts";
import { presentMessage } from "../messages/present.ts";
import { cachedWebhook } from "../messages/webhook-cache.ts";
import { teamsMessageIdOf } from "./edit.ts";

export async function presentBotAware(ctx: AppContext, tenantId: string, row: MessageRow) {
  const presented = presentMessage(row);
  const webhook = await cachedWebhook(ctx, tenantId, row.webhookId);
  if (webhook?.kind !== "bot") return presented;
  const teamsMessageId = await teamsMessageIdOf(ctx, tenantId, row.id);
  return { httpStatus: presented.httpStatus, body: { ...presented.body, teamsMessageId } };
}
