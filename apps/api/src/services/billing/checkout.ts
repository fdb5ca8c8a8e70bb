import { getBillingState, getPlan } from "@herald/db";
import type Stripe from "stripe";
import type { AppContext } from "../../context.ts";
import { DomainError, found } from "../../errors.ts";
import type { Session } from "../auth/session.ts";
import { ensureCustomer } from "./customer.ts";
import { callStripe, requireStripe } from "./stripe.ts";

/** Subscription states in which a second Checkout would start a second, parallel subscription. */
const SUBSCRIBED = new Set(["active", "trialing", "past_due", "unpaid", "paused"]);

/**
 * A Stripe Checkout Session for a plan. A plan with trial days starts a trial without a card
 * (Stripe asks for one only when the trial ends); a plan that bills overage adds its metered price.
 */
export async function createCheckoutSession({
  ctx,
  session,
  planName,
  returnBase,
}: {
  ctx: AppContext;
  session: Session;
  planName: string;
  returnBase: string;
}): Promise<{ url: string; sessionId: string }> {
  const stripe = requireStripe(ctx);
  const plan = await getPlan(ctx.sql, { name: planName });
  if (!plan?.stripePriceId) {
    throw new DomainError(
      "invalid_request",
      plan
        ? `Plan ${planName} cannot be bought online (it has no Stripe price); ask the operator.`
        : `No plan named "${planName}"; GET /v1/billing lists the plans you can choose.`,
      { fields: [{ field: "plan", problem: plan ? "not purchasable" : "unknown plan" }] },
    );
  }
  const state = found(
    await getBillingState(ctx.sql, { tenantId: session.tenantId }),
    "tenant",
    session.tenantId,
  );
  if (state.stripeSubscriptionId && SUBSCRIBED.has(state.subscriptionStatus)) {
    throw new DomainError(
      "already_subscribed",
      `You already have a subscription (plan ${state.plan}, ${state.subscriptionStatus}); change plans in the billing portal (POST /v1/billing/portal).`,
    );
  }
  const customer = await ensureCustomer(ctx, stripe, session);
  const lineItems: Stripe.Checkout.SessionCreateParams.LineItem[] = [
    { price: plan.stripePriceId, quantity: 1 },
  ];
  // Metered prices take no quantity: Stripe bills what the meter events add up to.
  if (plan.billOverage && plan.stripeMeteredPriceId) lineItems.push({ price: plan.stripeMeteredPriceId });
  const metadata = { tenantId: session.tenantId, plan: plan.name };
  const checkout = await callStripe(stripe, "start a checkout", () =>
    stripe.checkout.sessions.create({
      mode: "subscription",
      customer,
      client_reference_id: session.tenantId,
      line_items: lineItems,
      metadata,
      subscription_data: {
        metadata,
        ...(plan.trialDays
          ? {
              trial_period_days: plan.trialDays,
              trial_settings: { end_behavior: { missing_payment_method: "cancel" } },
            }
          : {}),
      },
      ...(plan.trialDays ? { payment_method_collection: "if_required" as const } : {}),
      success_url: `${returnBase}/console/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${returnBase}/console/billing?checkout=canceled`,
    }),
  );
  if (!checkout.url)
    throw new DomainError("billing_provider_error", "Stripe answered a checkout without a URL.");
  return { url: checkout.url, sessionId: checkout.id };
}
