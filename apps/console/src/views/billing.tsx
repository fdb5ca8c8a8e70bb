// Billing, when Stripe is configured: the plan, the trial's days left, upgrade (Checkout) and manage (Portal).

import { billingSituation } from "../billing-state.ts";
import type { Billing, BillingPlan, Shell } from "../context.ts";
import { formatNumber } from "../format.ts";
import { Badge, CsrfField, PageHeader, type Tone } from "./components.tsx";
import { Icon } from "./icons.tsx";
import { AppShell } from "./layout.tsx";

const STATUS: Record<string, { label: string; tone: Tone }> = {
  trialing: { label: "Trial", tone: "accent" },
  active: { label: "Active", tone: "success" },
  past_due: { label: "Payment overdue", tone: "warning" },
  unpaid: { label: "Unpaid", tone: "danger" },
  canceled: { label: "Cancelled", tone: "danger" },
  incomplete: { label: "Incomplete", tone: "warning" },
  incomplete_expired: { label: "Expired", tone: "danger" },
};

const limit = (n: number | null, unit: string) =>
  n === null ? `Unlimited ${unit}` : `${formatNumber(n)} ${unit}`;

function PlanFacts({ plan }: { plan: BillingPlan }) {
  return (
    <ul class="plan-facts">
      <li>{limit(plan.webhookLimit, "webhooks")}</li>
      <li>{limit(plan.monthlyMessageLimit, "messages a month")}</li>
      {plan.billOverage ? <li>Overage billed, never refused</li> : null}
      {plan.trialDays ? <li>{plan.trialDays}-day trial, no card needed</li> : null}
    </ul>
  );
}

export function BillingPage({ shell, billing, now }: { shell: Shell; billing: Billing; now: Date }) {
  const status = STATUS[billing.subscriptionStatus] ?? {
    label: billing.subscriptionStatus,
    tone: "neutral" as const,
  };
  const situation = billingSituation(billing, now);
  const warn =
    situation.kind === "past_due" ||
    situation.kind === "ended" ||
    situation.kind === "trial_ended" ||
    (situation.kind === "trial" && situation.ending);
  return (
    <AppShell shell={shell} section="billing" title="Billing">
      <PageHeader
        title="Billing"
        lead={
          billing.enabled ? "Your plan and subscription, paid through Stripe." : "Your plan and its limits."
        }
      />
      <section class="card" aria-labelledby="plan-title">
        <div class="card-head">
          <h2 id="plan-title">
            Your plan: <span class="plan-name">{billing.planDetails.displayName}</span>
          </h2>
          {billing.enabled ? <Badge tone={status.tone}>{status.label}</Badge> : null}
        </div>
        <PlanFacts plan={billing.planDetails} />
        <div
          class={warn ? "callout callout-warning" : "callout"}
          role="note"
          data-billing-state={situation.kind}
          data-trial-days={situation.kind === "trial" ? situation.daysLeft : undefined}
        >
          <Icon name={warn ? "alert" : "info"} />
          <p>
            <strong>{situation.headline}</strong>
            {"next" in situation ? ` ${situation.next}` : null}
          </p>
        </div>
        {billing.hasBillingAccount ? (
          <form method="post" action="/console/billing/portal" class="form-actions">
            <CsrfField token={shell.csrf} />
            <button type="submit" class="btn btn-secondary">
              <Icon name="card" />
              <span>Manage billing</span>
            </button>
            <span class="hint">Invoices, payment method, plan changes and cancellation, in Stripe.</span>
          </form>
        ) : null}
      </section>
      {billing.enabled && billing.plans.length > 0 ? (
        <section class="card" aria-labelledby="plans-title">
          <h2 id="plans-title">Plans</h2>
          <ul class="plan-list">
            {billing.plans.map((plan) => (
              <li class="plan-option">
                <div>
                  <strong>{plan.displayName}</strong>
                  <PlanFacts plan={plan} />
                </div>
                {plan.current ? (
                  <Badge tone="accent">Current plan</Badge>
                ) : (
                  <form method="post" action="/console/billing/checkout">
                    <CsrfField token={shell.csrf} />
                    <input type="hidden" name="plan" value={plan.name} />
                    <button type="submit" class="btn btn-primary">
                      Choose {plan.displayName}
                    </button>
                  </form>
                )}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </AppShell>
  );
}
