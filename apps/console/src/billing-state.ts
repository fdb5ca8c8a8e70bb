// What the billing page says about the subscription: one situation, one sentence, one next step.
import type { Billing } from "./context.ts";
import { daysUntil, formatDate } from "./format.ts";

/** A trial this close to its end is announced as ending. */
export const TRIAL_ENDING_DAYS = 3;

export type BillingSituation =
  | { kind: "operator"; headline: string }
  | { kind: "trial"; daysLeft: number; ending: boolean; headline: string; next: string }
  | { kind: "trial_ended"; headline: string; next: string }
  | { kind: "active"; headline: string }
  | { kind: "past_due"; headline: string; next: string }
  | { kind: "ended"; headline: string; next: string };

const days = (n: number) => (n === 1 ? "1 day" : `${n} days`);

/**
 * The tenant's situation, from the api's billing answer: without Stripe the operator assigns plans;
 * with Stripe, plans with a price can be bought here, and without any the operator still decides.
 */
export function billingSituation(billing: Billing, now: Date): BillingSituation {
  const canBuy = billing.enabled && billing.plans.some((p) => !p.current);
  const buy = canBuy
    ? "Choose a plan below to keep sending."
    : "Ask your Herald operator to assign a plan to keep sending.";
  if (!billing.enabled) {
    return {
      kind: "operator",
      headline: `Your plan is ${billing.planDetails.displayName}. Plans on this Herald are assigned by its operator; there is nothing to pay here.`,
    };
  }
  const status = billing.subscriptionStatus;
  if (status === "past_due" || status === "unpaid" || (billing.paymentFailedAt && status !== "canceled")) {
    const when = billing.paymentFailedAt ? ` on ${formatDate(billing.paymentFailedAt)}` : "";
    return {
      kind: "past_due",
      headline: `Payment overdue: the last payment failed${when}.`,
      next: billing.hasBillingAccount
        ? "Update your payment method under Manage billing to keep sending."
        : "Contact your Herald operator to settle the payment.",
    };
  }
  if (status === "canceled" || status === "incomplete_expired") {
    return { kind: "ended", headline: "Your subscription has ended.", next: buy };
  }
  if (status === "trialing" && billing.trialEndsAt) {
    const daysLeft = daysUntil(billing.trialEndsAt, now);
    const end = formatDate(billing.trialEndsAt);
    if (daysLeft === 0) return { kind: "trial_ended", headline: `Your trial ended on ${end}.`, next: buy };
    return {
      kind: "trial",
      daysLeft,
      ending: daysLeft <= TRIAL_ENDING_DAYS,
      headline: `${days(daysLeft)} left in your trial (it ends on ${end}).`,
      next: canBuy
        ? "Choose a plan below to keep sending after that."
        : "After that, sending stops until your Herald operator assigns a plan.",
    };
  }
  return {
    kind: "active",
    headline: billing.currentPeriodEnd
      ? `Your subscription is active; it renews on ${formatDate(billing.currentPeriodEnd)}.`
      : "Your subscription is active.",
  };
}
