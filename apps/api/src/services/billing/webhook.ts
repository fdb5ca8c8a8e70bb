// POST /webhooks/stripe: verifies Stripe's signature on the raw body, then applies the event once.
import { claimStripeEvent, settleStripeEvent } from "@herald/db";
import type Stripe from "stripe";
import type { AppContext } from "../../context.ts";
import { DomainError } from "../../errors.ts";
import { forgetTenantLicenses } from "../licenses/authenticate.ts";
import { type AppliedEvent, applyStripeEvent } from "./events.ts";
import { requireStripe } from "./stripe.ts";

export interface WebhookResult {
  received: true;
  duplicate: boolean;
  outcome: AppliedEvent["outcome"] | "duplicate";
}

export async function handleStripeWebhook({
  ctx,
  payload,
  signature,
  requestId,
}: {
  ctx: AppContext;
  payload: string;
  signature: string | undefined;
  requestId: string;
}): Promise<WebhookResult> {
  const stripe = requireStripe(ctx);
  const secret = ctx.config.stripe?.webhookSecret;
  if (!secret) {
    throw new DomainError("not_found", "Stripe webhooks are not enabled: set STRIPE_WEBHOOK_SECRET.");
  }
  const event = await verify(ctx, stripe, payload, signature, secret, requestId);

  const result = await ctx.sql.begin(async (tx) => {
    const claimed = await claimStripeEvent(tx, {
      id: event.id,
      type: event.type,
      createdAt: new Date(event.created * 1000),
    });
    if (!claimed) return null;
    const applied = await applyStripeEvent(ctx, tx, event);
    await settleStripeEvent(tx, { id: event.id, tenantId: applied.tenantId, outcome: applied.outcome });
    return applied;
  });

  if (!result) {
    ctx.logger.info({ eventId: event.id, type: event.type, requestId }, "stripe event replayed; ignored");
    return { received: true, duplicate: true, outcome: "duplicate" };
  }
  // A plan or status change must not wait for the license cache to expire on this replica.
  if (result.tenantId && result.outcome === "applied") forgetTenantLicenses(ctx, result.tenantId);
  const log = result.outcome === "unknown_customer" ? ctx.logger.warn : ctx.logger.info;
  log.call(
    ctx.logger,
    { eventId: event.id, type: event.type, tenantId: result.tenantId, outcome: result.outcome, requestId },
    "stripe event handled",
  );
  return { received: true, duplicate: false, outcome: result.outcome };
}

/** Stripe's own default tolerance for a signature's age, applied both ways. */
const STRIPE_TOLERANCE_SECONDS = 300;

async function verify(
  ctx: AppContext,
  stripe: Stripe,
  payload: string,
  signature: string | undefined,
  secret: string,
  requestId: string,
): Promise<Stripe.Event> {
  if (!signature) {
    ctx.logger.warn({ requestId }, "stripe webhook refused: no Stripe-Signature header");
    throw new DomainError(
      "invalid_request",
      "Missing Stripe-Signature header; only Stripe may call this endpoint.",
    );
  }
  // Stripe's check refuses signatures older than its tolerance but not ones from the future, which a
  // leaked signing secret could mint to stay valid for ever; refuse those with the same margin.
  const signedAt = Number(/(?:^|,)t=(\d+)/.exec(signature)?.[1]);
  if (
    Number.isFinite(signedAt) &&
    signedAt * 1000 > ctx.clock.now().getTime() + STRIPE_TOLERANCE_SECONDS * 1000
  ) {
    ctx.logger.warn({ requestId }, "stripe webhook refused: signed in the future");
    throw new DomainError(
      "invalid_request",
      "The Stripe-Signature timestamp is in the future beyond the tolerance; check the clocks of Stripe and this host.",
    );
  }
  try {
    return await stripe.webhooks.constructEventAsync(payload, signature, secret, STRIPE_TOLERANCE_SECONDS);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    ctx.logger.warn({ requestId, reason }, "stripe webhook refused: signature verification failed");
    throw new DomainError(
      "invalid_request",
      "Stripe signature verification failed; check STRIPE_WEBHOOK_SECRET against the endpoint's signing secret.",
    );
  }
}
