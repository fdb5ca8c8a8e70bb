import type { AppContext } from "../../context.ts";
import type { Session } from "../auth/session.ts";
import { ensureCustomer } from "./customer.ts";
import { callStripe, requireStripe } from "./stripe.ts";

/** A Stripe Billing Portal session: invoices, payment method, plan changes and cancellation. */
export async function createPortalSession({
  ctx,
  session,
  returnBase,
}: {
  ctx: AppContext;
  session: Session;
  returnBase: string;
}): Promise<{ url: string }> {
  const stripe = requireStripe(ctx);
  const customer = await ensureCustomer(ctx, stripe, session);
  const portal = await callStripe(stripe, "open the billing portal", () =>
    stripe.billingPortal.sessions.create({ customer, return_url: `${returnBase}/console/billing` }),
  );
  return { url: portal.url };
}
