// What each Stripe event does to a tenant. Runs inside the transaction that claimed the event id,
// so an event is applied at most once; the newest-event guard in the queries skips stale ones.
import {
  applySubscriptionState,
  type BillingState,
  findPlanByStripePrice,
  findTenantByStripeCustomer,
  getBillingState,
  linkStripeCustomer,
  markPaymentFailed,
  type Queryable,
} from "@herald/db";
import type Stripe from "stripe";
import type { AppContext } from "../../context.ts";

export type EventOutcome = "applied" | "stale" | "ignored" | "unknown_customer";

export interface AppliedEvent {
  tenantId: string | null;
  outcome: EventOutcome;
}

/** Subscription states that end access; an update of an old subscription in one never wins over a newer one. */
const ENDED = new Set(["canceled", "incomplete_expired"]);

export async function applyStripeEvent(
  ctx: AppContext,
  tx: Queryable,
  event: Stripe.Event,
): Promise<AppliedEvent> {
  const eventAt = new Date(event.created * 1000);
  switch (event.type) {
    case "checkout.session.completed":
      return checkoutCompleted(tx, event.data.object);
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.deleted":
      return subscriptionChanged(ctx, tx, event.data.object, eventAt);
    case "invoice.payment_failed":
      return paymentFailed(tx, event.data.object, eventAt);
    default:
      return { tenantId: null, outcome: "ignored" };
  }
}

const idOf = (ref: string | { id: string } | null | undefined): string | null =>
  ref == null ? null : typeof ref === "string" ? ref : ref.id;

/** The tenant a Stripe customer belongs to; our metadata links it when the customer is new to us. */
async function tenantFor(
  tx: Queryable,
  customerId: string | null,
  tenantIdHint: string | null | undefined,
): Promise<BillingState | undefined> {
  if (customerId) {
    const linked = await findTenantByStripeCustomer(tx, { customerId });
    if (linked) return linked;
  }
  if (!tenantIdHint) return undefined;
  const tenant = await getBillingState(tx, { tenantId: tenantIdHint });
  if (!tenant) return undefined;
  if (customerId && !tenant.stripeCustomerId) {
    await linkStripeCustomer(tx, { tenantId: tenant.tenantId, customerId });
  }
  // A tenant already linked to another customer is not taken over by metadata alone.
  if (customerId && tenant.stripeCustomerId && tenant.stripeCustomerId !== customerId) return undefined;
  return tenant;
}

async function checkoutCompleted(tx: Queryable, session: Stripe.Checkout.Session): Promise<AppliedEvent> {
  const tenant = await tenantFor(
    tx,
    idOf(session.customer),
    session.client_reference_id ?? session.metadata?.tenantId,
  );
  if (!tenant) return { tenantId: null, outcome: "unknown_customer" };
  // The plan itself follows from customer.subscription.created, which carries the price.
  return { tenantId: tenant.tenantId, outcome: "applied" };
}

async function subscriptionChanged(
  ctx: AppContext,
  tx: Queryable,
  subscription: Stripe.Subscription,
  eventAt: Date,
): Promise<AppliedEvent> {
  const tenant = await tenantFor(tx, idOf(subscription.customer), subscription.metadata?.tenantId);
  if (!tenant) return { tenantId: null, outcome: "unknown_customer" };
  if (
    tenant.stripeSubscriptionId &&
    tenant.stripeSubscriptionId !== subscription.id &&
    ENDED.has(subscription.status)
  ) {
    // An earlier subscription ending does not touch the one the tenant has now.
    return { tenantId: tenant.tenantId, outcome: "ignored" };
  }
  const priceIds = subscription.items.data.map((item) => item.price.id);
  const plan = await findPlanByStripePrice(tx, { priceIds });
  if (!plan) {
    ctx.logger.warn(
      { tenantId: tenant.tenantId, subscriptionId: subscription.id, priceIds },
      "stripe subscription has no price of a Herald plan; the plan is left unchanged",
    );
  }
  const applied = await applySubscriptionState(tx, {
    tenantId: tenant.tenantId,
    plan: plan?.name ?? null,
    status: subscription.status,
    subscriptionId: subscription.id,
    currentPeriodEnd: periodEnd(subscription),
    trialEndsAt: subscription.trial_end ? new Date(subscription.trial_end * 1000) : null,
    eventAt,
  });
  return { tenantId: tenant.tenantId, outcome: applied ? "applied" : "stale" };
}

/** The billing period now lives on subscription items; older API versions kept it on the subscription. */
function periodEnd(subscription: Stripe.Subscription): Date | null {
  const ends = subscription.items.data.map((item) => item.current_period_end);
  const legacy = (subscription as { current_period_end?: unknown }).current_period_end;
  if (typeof legacy === "number") ends.push(legacy);
  return ends.length > 0 ? new Date(Math.max(...ends) * 1000) : null;
}

async function paymentFailed(tx: Queryable, invoice: Stripe.Invoice, eventAt: Date): Promise<AppliedEvent> {
  const tenant = await tenantFor(tx, idOf(invoice.customer), undefined);
  if (!tenant) return { tenantId: null, outcome: "unknown_customer" };
  const subscriptionId = idOf(invoice.parent?.subscription_details?.subscription);
  if (subscriptionId && tenant.stripeSubscriptionId && subscriptionId !== tenant.stripeSubscriptionId) {
    return { tenantId: tenant.tenantId, outcome: "ignored" };
  }
  const applied = await markPaymentFailed(tx, { tenantId: tenant.tenantId, eventAt });
  return { tenantId: tenant.tenantId, outcome: applied ? "applied" : "stale" };
}
