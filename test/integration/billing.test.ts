// Stripe billing against the local Stripe emulator with the real stripe SDK: Checkout (trial without
// a card), the Billing Portal, signed webhook events applied once, and overage meter events
// reported once. And Herald without Stripe: billing off, everything else on.
import { reportOverage } from "@herald/api";
import { listMeterReports } from "@herald/db";
import { type StripeEventJson, type StripeSim, startStripeSim } from "@herald/stripe-sim";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Harness, startHarness, type TestTenant } from "../support/harness.ts";

const PRO_PRICE = "price_test_herald_pro";
const STARTER_PRICE = "price_test_herald_starter";
const METERED_BASE_PRICE = "price_test_herald_metered";
const METERED_USAGE_PRICE = "price_test_herald_metered_usage";

const plan = (overrides: Record<string, unknown>) => ({
  displayName: "Test plan",
  webhookLimit: null,
  monthlyMessageLimit: null,
  billOverage: false,
  trialDays: null,
  requestsPerSecond: null,
  stripePriceId: null,
  stripeMeteredPriceId: null,
  ...overrides,
});

describe("without Stripe", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it("reports billing as disabled and refuses billing calls, while messages still flow", async () => {
    const t = await h.tenant();
    const billing = await t.console.billing();
    expect(billing).toMatchObject({
      enabled: false,
      plan: "trial",
      subscriptionStatus: "trialing",
      plans: [],
    });
    await expect(t.console.startCheckout("trial")).rejects.toMatchObject({ status: 404, code: "not_found" });
    await expect(t.console.openBillingPortal()).rejects.toMatchObject({ status: 404 });
    const hook = await h.runtime.app.fetch(
      new Request("http://herald.test/webhooks/stripe", { method: "POST", body: "{}" }),
    );
    expect(hook.status).toBe(404);

    const webhookId = await t.addWebhook(h.sim.legacyUrl());
    expect(await t.activity.sendMessage(webhookId, "no billing here")).toMatchObject({ status: "delivered" });
  });
});

describe("with Stripe", () => {
  let h: Harness;
  let stripe: StripeSim;

  beforeAll(async () => {
    stripe = await startStripeSim();
    h = await startHarness({
      env: {
        STRIPE_SECRET_KEY: stripe.secretKey,
        STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
        STRIPE_API_BASE: stripe.url,
      },
    });
    const plans = {
      "test-pro": plan({
        displayName: "Pro",
        webhookLimit: 10,
        monthlyMessageLimit: 1000,
        stripePriceId: PRO_PRICE,
      }),
      "test-starter": plan({
        displayName: "Starter",
        webhookLimit: 3,
        monthlyMessageLimit: 600,
        trialDays: 14,
        stripePriceId: STARTER_PRICE,
      }),
      "test-metered": plan({
        displayName: "Metered",
        webhookLimit: 5,
        monthlyMessageLimit: 2,
        billOverage: true,
        stripePriceId: METERED_BASE_PRICE,
        stripeMeteredPriceId: METERED_USAGE_PRICE,
      }),
    };
    for (const [name, body] of Object.entries(plans)) {
      expect((await h.admin("PUT", `/admin/v1/plans/${name}`, body)).status).toBe(200);
    }
  });
  afterAll(async () => {
    await h.close();
    await stripe.close();
  });

  function deliver(payload: string, signature: string | undefined) {
    return h.runtime.app.fetch(
      new Request("http://herald.test/webhooks/stripe", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(signature ? { "stripe-signature": signature } : {}),
        },
        body: payload,
      }),
    );
  }

  async function deliverEvent(event: StripeEventJson) {
    const { payload, signature } = stripe.sign(event);
    const res = await deliver(payload, signature);
    expect(res.status).toBe(200);
    return (await res.json()) as { received: boolean; duplicate: boolean; outcome: string };
  }

  /** A tenant that went through Checkout for `planName` and has its customer and subscription. */
  async function subscribed(
    planName: string,
  ): Promise<{ t: TestTenant; customer: string; subscription: string }> {
    const t = await h.tenant();
    const { sessionId } = await t.console.startCheckout(planName);
    for (const event of stripe.completeCheckout(sessionId)) await deliverEvent(event);
    const session = stripe.checkoutSessions().find((s) => s.id === sessionId);
    return { t, customer: session?.customer ?? "", subscription: session?.subscription ?? "" };
  }

  it("lists the plan, the subscription's state and the plans on offer", async () => {
    const t = await h.tenant();
    const billing = await t.console.billing();
    expect(billing).toMatchObject({
      enabled: true,
      plan: "trial",
      planDetails: { name: "trial", monthlyMessageLimit: 500, webhookLimit: 2 },
      subscriptionStatus: "trialing",
      currentPeriodEnd: null,
      hasBillingAccount: false,
    });
    expect(billing.trialEndsAt).not.toBeNull();
    const names = billing.plans.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(["test-pro", "test-starter", "test-metered"]));
    expect(names).not.toContain("trial");
    expect(names).not.toContain("unlimited");
  });

  it("starts Checkout for a plan with a trial without a card, and completing it switches the plan", async () => {
    const t = await h.tenant();
    const { url, sessionId } = await t.console.startCheckout("test-starter");
    expect(url.startsWith(stripe.url)).toBe(true);
    const session = stripe.checkoutSessions().find((s) => s.id === sessionId);
    expect(session).toMatchObject({
      mode: "subscription",
      clientReferenceId: t.tenantId,
      prices: [STARTER_PRICE],
      trialPeriodDays: 14,
      paymentMethodCollection: "if_required",
      subscriptionMetadata: { tenantId: t.tenantId, plan: "test-starter" },
    });
    expect(session?.successUrl).toMatch(/^http:\/\/herald\.test\/console\/billing\?checkout=success/);
    const customer = stripe.customers().find((c) => c.id === session?.customer);
    expect(customer).toMatchObject({ email: t.email, metadata: { tenantId: t.tenantId } });
    expect((await t.console.billing()).hasBillingAccount).toBe(true);

    const [completed, created] = stripe.completeCheckout(sessionId);
    expect(await deliverEvent(completed as StripeEventJson)).toMatchObject({
      duplicate: false,
      outcome: "applied",
    });
    expect(await deliverEvent(created as StripeEventJson)).toMatchObject({ outcome: "applied" });
    const billing = await t.console.billing();
    expect(billing).toMatchObject({ plan: "test-starter", subscriptionStatus: "trialing" });
    const trialDays = (Date.parse(billing.trialEndsAt ?? "") - Date.now()) / 86_400_000;
    expect(trialDays).toBeGreaterThan(13.9);
    expect(trialDays).toBeLessThanOrEqual(14);

    await expect(t.console.startCheckout("test-pro")).rejects.toMatchObject({
      status: 409,
      code: "already_subscribed",
    });
    const { url: portal } = await t.console.openBillingPortal();
    expect(portal.startsWith(stripe.url)).toBe(true);
    expect(stripe.portalSessions().at(-1)?.customer).toBe(session?.customer);
  });

  it("adds the metered price to Checkout for a plan that bills overage, and refuses plans not for sale", async () => {
    const t = await h.tenant();
    const { sessionId } = await t.console.startCheckout("test-metered");
    expect(stripe.checkoutSessions().find((s) => s.id === sessionId)?.prices).toEqual([
      METERED_BASE_PRICE,
      METERED_USAGE_PRICE,
    ]);
    await expect(t.console.startCheckout("unlimited")).rejects.toMatchObject({
      status: 400,
      code: "invalid_request",
    });
    await expect(t.console.startCheckout("no-such-plan")).rejects.toMatchObject({ status: 400 });
    // One customer per tenant, however often Checkout is started.
    await t.console.startCheckout("test-pro");
    expect(stripe.customers().filter((c) => c.metadata.tenantId === t.tenantId)).toHaveLength(1);
  });

  it("raises the quota on a signed customer.subscription.updated, and a replay changes nothing", async () => {
    const { t, customer, subscription } = await subscribed("test-starter");
    await t.addWebhook(h.sim.legacyUrl(), "one");
    // The license is now cached with the starter plan's limits.
    expect(await t.activity.validateLicense()).toMatchObject({ plan: "test-starter" });

    const periodEnd = new Date(Date.now() + 30 * 86_400_000);
    const upgrade = stripe.event(
      "customer.subscription.updated",
      stripe.subscription({
        id: subscription,
        customer,
        prices: [PRO_PRICE],
        status: "active",
        currentPeriodEnd: periodEnd,
      }),
      { created: new Date(Date.now() + 1000) },
    );
    expect(await deliverEvent(upgrade)).toEqual({ received: true, duplicate: false, outcome: "applied" });

    const usage = await t.console.usage();
    expect(usage.quota).toMatchObject({
      plan: "test-pro",
      webhooks: { limit: 10 },
      messagesThisMonth: { limit: 1000 },
      subscriptionStatus: "active",
    });
    expect(await t.activity.validateLicense()).toMatchObject({ valid: true, plan: "test-pro" });
    const billing = await t.console.billing();
    expect(billing.currentPeriodEnd).toBe(
      new Date(Math.floor(periodEnd.getTime() / 1000) * 1000).toISOString(),
    );
    for (const name of ["two", "three", "four"]) await t.addWebhook(h.sim.legacyUrl(), name); // starter allowed 3

    // Later, the customer moves back to Starter...
    const downgrade = stripe.event(
      "customer.subscription.updated",
      stripe.subscription({ id: subscription, customer, prices: [STARTER_PRICE], status: "active" }),
      { created: new Date(Date.now() + 2000) },
    );
    expect(await deliverEvent(downgrade)).toMatchObject({ outcome: "applied" });
    const before = await h.sql`SELECT * FROM tenants WHERE id = ${t.tenantId}`;

    // ...and Stripe re-delivers the upgrade: same id, nothing changes.
    expect(await deliverEvent(upgrade)).toEqual({ received: true, duplicate: true, outcome: "duplicate" });
    // An event out of order (older than the last applied one) is recorded but not applied.
    const stale = stripe.event(
      "customer.subscription.updated",
      stripe.subscription({ id: subscription, customer, prices: [PRO_PRICE], status: "active" }),
      { created: new Date(Date.now() - 60_000) },
    );
    expect(await deliverEvent(stale)).toMatchObject({ duplicate: false, outcome: "stale" });
    expect(await h.sql`SELECT * FROM tenants WHERE id = ${t.tenantId}`).toEqual(before);
    expect((await t.console.billing()).plan).toBe("test-starter");
  });

  it("answers 400 to a badly signed event, logs it, and applies nothing", async () => {
    const { t, customer, subscription } = await subscribed("test-starter");
    const warn = vi.spyOn(h.runtime.ctx.logger, "warn");
    const event = stripe.event(
      "customer.subscription.updated",
      stripe.subscription({ id: subscription, customer, prices: [PRO_PRICE], status: "active" }),
      { created: new Date(Date.now() + 5000) },
    );
    const good = stripe.sign(event);
    const attempts: [string, string | undefined][] = [
      [good.payload, stripe.sign(event, { secret: "whsec_someone_else" }).signature], // wrong secret
      [good.payload.replace(STARTER_PRICE, PRO_PRICE).replace('"active"', '"trialing"'), good.signature], // tampered
      [good.payload, stripe.sign(event, { timestamp: Math.floor(Date.now() / 1000) - 3600 }).signature], // too old
      [good.payload, stripe.sign(event, { timestamp: Math.floor(Date.now() / 1000) + 3600 }).signature], // from the future
      [good.payload, "t=1,v1=deadbeef"], // garbage
      [good.payload, undefined], // no header
    ];
    try {
      for (const [payload, signature] of attempts) {
        const res = await deliver(payload, signature);
        expect(res.status).toBe(400);
        const body = (await res.json()) as { error: { code: string; requestId: string } };
        expect(body.error.code).toBe("invalid_request");
        expect(body.error.requestId).toBe(res.headers.get("x-request-id"));
      }
      expect(warn).toHaveBeenCalledTimes(attempts.length);
      expect(warn).toHaveBeenCalledWith(
        expect.objectContaining({ reason: expect.any(String), requestId: expect.any(String) }),
        "stripe webhook refused: signature verification failed",
      );
    } finally {
      warn.mockRestore();
    }
    expect((await t.console.billing()).plan).toBe("test-starter");
    const [row] = await h.sql<
      { n: number }[]
    >`SELECT count(*)::int AS n FROM stripe_events WHERE id = ${event.id}`;
    expect(row?.n).toBe(0);
    // The genuine delivery of the same event still works.
    expect(await deliverEvent(event)).toMatchObject({ outcome: "applied" });
  });

  it("ends access on customer.subscription.deleted and marks a failed payment past_due", async () => {
    const { t, customer, subscription } = await subscribed("test-pro");
    const webhookId = await t.addWebhook(h.sim.legacyUrl());

    const invoice = {
      id: "in_test_1",
      object: "invoice",
      customer,
      status: "open",
      parent: { type: "subscription_details", subscription_details: { subscription, metadata: {} } },
    };
    expect(
      await deliverEvent(
        stripe.event("invoice.payment_failed", invoice, { created: new Date(Date.now() + 1000) }),
      ),
    ).toMatchObject({ outcome: "applied" });
    const failed = await t.console.billing();
    expect(failed).toMatchObject({ subscriptionStatus: "past_due", plan: "test-pro" });
    expect(failed.paymentFailedAt).not.toBeNull();
    // past_due is Stripe's grace period: messages still flow.
    expect(await t.activity.sendMessage(webhookId, "grace", { wait: 0 })).toMatchObject({ httpStatus: 202 });

    const deleted = stripe.event(
      "customer.subscription.deleted",
      stripe.subscription({ id: subscription, customer, prices: [PRO_PRICE], status: "canceled" }),
      { created: new Date(Date.now() + 2000) },
    );
    expect(await deliverEvent(deleted)).toMatchObject({ outcome: "applied" });
    expect(await t.activity.validateLicense()).toMatchObject({
      httpStatus: 401,
      valid: false,
      reason: "subscription_inactive",
    });
    expect(await t.activity.sendMessage(webhookId, "after cancel")).toMatchObject({
      httpStatus: 401,
      error: { code: "license_invalid", details: { reason: "subscription_inactive" } },
    });
  });

  it("acknowledges events for customers it does not know, and event types it does not use", async () => {
    const unknown = stripe.event(
      "customer.subscription.updated",
      stripe.subscription({ customer: "cus_not_ours", prices: [PRO_PRICE] }),
    );
    expect(await deliverEvent(unknown)).toMatchObject({ outcome: "unknown_customer" });
    expect(
      await deliverEvent(stripe.event("charge.succeeded", { id: "ch_1", object: "charge" })),
    ).toMatchObject({
      outcome: "ignored",
    });
  });

  it("reports overage to Stripe meter events once, even when an answer is lost and the report retried", async () => {
    const { t, customer } = await subscribed("test-metered"); // 2 messages included, overage billed
    const webhookId = await t.addWebhook(h.sim.legacyUrl());
    const send = (n: number) =>
      Promise.all(
        Array.from({ length: n }, (_, i) => t.activity.sendMessage(webhookId, `m${i}`, { wait: 0 })),
      );
    expect((await send(5)).every((a) => a.httpStatus === 202)).toBe(true);

    // Stripe records the event, but every answer (the SDK's retries included) is lost.
    stripe.failNext("meter_events", 3, "after");
    expect(await reportOverage(h.runtime.ctx)).toMatchObject({ recorded: 1, failed: 1 });
    expect(stripe.meterTotal(customer)).toBe(3);

    // The next pass resends the same identifier; Stripe already has it, so nothing is billed twice.
    expect(await reportOverage(h.runtime.ctx)).toMatchObject({ recorded: 0, sent: 1, failed: 0 });
    expect(await reportOverage(h.runtime.ctx)).toEqual({ recorded: 0, sent: 0, failed: 0 });
    expect(stripe.meterTotal(customer)).toBe(3);

    // More overage: only the difference is reported, however many passes run at once.
    await send(4);
    const passes = await Promise.all([reportOverage(h.runtime.ctx), reportOverage(h.runtime.ctx)]);
    expect(passes.reduce((n, p) => n + p.recorded, 0)).toBe(1);
    expect(stripe.meterTotal(customer)).toBe(7);

    const events = stripe.meterEvents().filter((e) => e.customer === customer);
    expect(events.map((e) => e.value)).toEqual([3, 4]);
    expect(events.every((e) => e.eventName === "herald_overage_messages")).toBe(true);
    const reports = await listMeterReports(h.sql, { tenantId: t.tenantId });
    expect(reports.map((r) => r.identifier)).toEqual(events.map((e) => e.identifier));
    expect(reports[0]?.identifier).toMatch(new RegExp(`^${t.tenantId}:\\d{4}-\\d{2}-\\d{2}:1$`));
    expect(reports.every((r) => r.reportedAt !== null)).toBe(true);
  });
});
