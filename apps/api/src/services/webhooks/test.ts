// iLert's "Test this connection": posts a test message through the normal delivery path (so it
// honours the rate windows) and reports Teams' answer. Test messages do not count against quota.
import { CONNECTION_TEST_SOURCE } from "@herald/core";
import type { AppContext } from "../../context.ts";
import type { Enqueuer } from "../messages/enqueue.ts";
import { presentMessage } from "../messages/present.ts";
import { sendMessage } from "../messages/send.ts";
import { waitForOutcome } from "../messages/wait.ts";
import { requireWebhook } from "./manage.ts";

export async function testWebhook({
  ctx,
  enqueuer,
  tenantId,
  webhookId,
  input,
}: {
  ctx: AppContext;
  enqueuer: Enqueuer;
  tenantId: string;
  webhookId: string;
  input: { textMessage?: string | undefined };
}) {
  const webhook = await requireWebhook(ctx, tenantId, webhookId);
  const { message } = await sendMessage({
    ctx,
    enqueuer,
    target: {
      tenantId,
      instanceId: webhook.instanceId,
      bindingKeyId: null,
      planName: "",
      monthlyLimit: null,
      countsAgainstQuota: false,
    },
    input: {
      webhookId,
      textMessage:
        input.textMessage ??
        `Herald connection test for "${webhook.name}" at ${ctx.clock.now().toISOString()}.`,
      source: CONNECTION_TEST_SOURCE,
    },
  });
  const outcome = await waitForOutcome(ctx, message, 15);
  return { ...presentMessage(outcome).body, httpStatus: outcome.lastHttpStatus };
}
