import { getBillingState, getUser, linkStripeCustomer } from "@herald/db";
import type Stripe from "stripe";
import type { AppContext } from "../../context.ts";
import { found } from "../../errors.ts";
import type { Session } from "../auth/session.ts";
import { callStripe } from "./stripe.ts";

/**
 * The tenant's Stripe customer, created on first need. The idempotency key makes two concurrent
 * first requests get one customer from Stripe; the conditional link keeps whichever landed first.
 */
export async function ensureCustomer(ctx: AppContext, stripe: Stripe, session: Session): Promise<string> {
  const state = found(
    await getBillingState(ctx.sql, { tenantId: session.tenantId }),
    "tenant",
    session.tenantId,
  );
  if (state.stripeCustomerId) return state.stripeCustomerId;
  const user = await getUser(ctx.sql, { tenantId: session.tenantId, userId: session.userId });
  const customer = await callStripe(stripe, "create a customer", () =>
    stripe.customers.create(
      {
        name: state.tenantName,
        ...(user ? { email: user.email } : {}),
        metadata: { tenantId: session.tenantId },
      },
      { idempotencyKey: `herald-customer-${session.tenantId}` },
    ),
  );
  return (
    (await linkStripeCustomer(ctx.sql, { tenantId: session.tenantId, customerId: customer.id })) ??
    customer.id
  );
}
