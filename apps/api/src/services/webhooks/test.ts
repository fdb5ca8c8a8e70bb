// iLert's "Test this connection": posts Herald's fixed test text through the normal delivery path
// (so it honours the rate windows) and reports Teams' answer. Test messages do not count against
// the quota; so that they cannot stand in for sending, the text is fixed, the tenant's subscription
// must be active, and each webhook may be tested a few times a minute.
import { CONNECTION_TEST_SOURCE } from "@herald/core";
import { getTenant } from "@herald/db";
import type { AppContext } from "../../context.ts";
import { DomainError } from "../../errors.ts";
import { inactiveSubscription } from "../licenses/authenticate.ts";
import type { Enqueuer } from "../messages/enqueue.ts";
import { presentMessage } from "../messages/present.ts";
import { sendMessage } from "../messages/send.ts";
import { waitForOutcome } from "../messages/wait.ts";
import { hit, type Throttle } from "../throttle.ts";
import { requireWebhook } from "./manage.ts";

export const CONNECTION_TESTS_PER_WEBHOOK: Throttle = {
  name: "webhook-test",
  windowMs: 60_000,
  limit: 3,
  what: "connection tests of this webhook (3 a minute)",
};
export const CONNECTION_TESTS_PER_TENANT: Throttle = {
  name: "webhook-test-tenant",
  windowMs: 60_000,
  limit: 20,
  what: "connection tests of your account (20 a minute)",
};

export async function testWebhook({
  ctx,
  enqueuer,
  tenantId,
  webhookId,
}: {
  ctx: AppContext;
  enqueuer: Enqueuer;
  tenantId: string;
  webhookId: string;
}) {
  const webhook = await requireWebhook(ctx, tenantId, webhookId);
  const tenant = await getTenant(ctx.sql, { tenantId });
  const inactive =
    tenant &&
    inactiveSubscription(
      {
        tenantName: tenant.name,
        subscriptionStatus: tenant.subscriptionStatus,
        trialEndsAt: tenant.trialEndsAt,
      },
      ctx.clock.now(),
    );
  if (inactive)
    throw new DomainError("forbidden", `Connection tests need an active subscription: ${inactive}`);
  await hit(ctx, CONNECTION_TESTS_PER_WEBHOOK, webhookId);
  await hit(ctx, CONNECTION_TESTS_PER_TENANT, tenantId);
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
      textMessage: `Herald connection test for "${webhook.name}" at ${ctx.clock.now().toISOString()}.`,
      source: CONNECTION_TEST_SOURCE,
    },
  });
  const outcome = await waitForOutcome(ctx, message, 15);
  return { ...presentMessage(outcome).body, httpStatus: outcome.lastHttpStatus };
}
