import { describe, expect, it } from "vitest";
import { billingSituation } from "./billing-state.ts";
import type { Billing } from "./context.ts";

const now = new Date("2026-12-01T12:00:00Z");
const trial = {
  name: "trial",
  displayName: "Trial",
  webhookLimit: 2,
  monthlyMessageLimit: 500,
  billOverage: false,
  trialDays: 30,
};
const pro = { ...trial, name: "pro", displayName: "Pro", trialDays: null };
const base: Billing = {
  enabled: true,
  plan: "trial",
  planDetails: trial,
  subscriptionStatus: "trialing",
  trialEndsAt: "2026-12-31T12:00:00Z",
  currentPeriodEnd: null,
  paymentFailedAt: null,
  hasBillingAccount: false,
  plans: [],
};

describe("billingSituation", () => {
  it("without Stripe, says the operator assigns plans and nothing about buying", () => {
    const s = billingSituation({ ...base, enabled: false }, now);
    expect(s.kind).toBe("operator");
    expect(s.headline).toContain("assigned by its operator");
  });

  it("in a trial with plans on sale, points at them; without any, at the operator", () => {
    const onSale = billingSituation({ ...base, plans: [{ ...pro, current: false }] }, now);
    expect(onSale).toMatchObject({ kind: "trial", daysLeft: 30, ending: false });
    expect("next" in onSale && onSale.next).toBe("Choose a plan below to keep sending after that.");
    const none = billingSituation(base, now);
    expect("next" in none && none.next).toContain("operator assigns a plan");
    expect("next" in none && none.next).not.toContain("below");
  });

  it("announces a trial ending within three days, and one that has ended", () => {
    expect(billingSituation({ ...base, trialEndsAt: "2026-12-03T12:00:00Z" }, now)).toMatchObject({
      kind: "trial",
      daysLeft: 2,
      ending: true,
    });
    expect(billingSituation({ ...base, trialEndsAt: "2026-11-30T00:00:00Z" }, now).kind).toBe("trial_ended");
  });

  it("puts a failed payment first, with the way to fix it", () => {
    const s = billingSituation(
      {
        ...base,
        subscriptionStatus: "past_due",
        paymentFailedAt: "2026-11-28T00:00:00Z",
        hasBillingAccount: true,
      },
      now,
    );
    expect(s.kind).toBe("past_due");
    expect(s.headline).toBe("Payment overdue: the last payment failed on 28 Nov 2026.");
    expect("next" in s && s.next).toContain("Manage billing");
  });

  it("says when an active subscription renews, and when one has ended", () => {
    expect(
      billingSituation(
        { ...base, subscriptionStatus: "active", currentPeriodEnd: "2027-01-01T00:00:00Z" },
        now,
      ).headline,
    ).toBe("Your subscription is active; it renews on 1 Jan 2027.");
    expect(billingSituation({ ...base, subscriptionStatus: "canceled" }, now).kind).toBe("ended");
  });
});
