// Billing in the console when Stripe is configured (here: the local Stripe emulator): the plan, the
// trial's days left, and upgrading through Stripe Checkout.
import { Herald } from "@herald/sdk";
import { type StripeSim, startStripeSim } from "@herald/stripe-sim";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, newContext, screenshot, watchProblems } from "./support/chromium.ts";
import { type ServedHerald, serveHerald } from "./support/serve.ts";

let stripe: StripeSim;
let herald: ServedHerald;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[];
const email = `billing-${Date.now().toString(36)}@contoso.example`;
const password = "correct horse battery";

beforeAll(async () => {
  stripe = await startStripeSim();
  [herald, browser] = await Promise.all([
    serveHerald({
      env: {
        STRIPE_SECRET_KEY: stripe.secretKey,
        STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
        STRIPE_API_BASE: stripe.url,
      },
    }),
    launchChromium(),
  ]);
  const plan = {
    displayName: "Console Pro",
    webhookLimit: 25,
    monthlyMessageLimit: 10000,
    billOverage: false,
    trialDays: null,
    requestsPerSecond: null,
    stripePriceId: "price_test_console_pro",
    stripeMeteredPriceId: null,
  };
  expect((await herald.harness.admin("PUT", "/admin/v1/plans/console-pro", plan)).status).toBe(200);
  await new Herald({ baseUrl: herald.baseUrl }).signup({ email, password, organization: "Contoso Billing" });
  context = await newContext(browser, herald.baseUrl);
  page = await context.newPage();
  problems = watchProblems(page);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await herald?.close();
  await stripe?.close();
});

describe("billing", () => {
  it("shows the plan, the trial's days left and the plans on sale", async () => {
    await page.goto("/console/login");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("link", { name: "Billing" }).click();
    await page.getByRole("heading", { name: "Your plan: Trial" }).waitFor({ state: "visible" });
    expect(await page.locator("[data-trial-days]").getAttribute("data-trial-days")).toBe("30");
    expect(await page.locator(".plan-option", { hasText: "Console Pro" }).textContent()).toContain(
      "25 webhooks",
    );
    await screenshot(page, "19-billing");
  });

  it("upgrades through Stripe Checkout and welcomes the tenant back", async () => {
    // The emulator has no checkout page to show: the browser's arrival there is what matters.
    await page.route(`${stripe.url}/**`, (route) =>
      route.fulfill({
        contentType: "text/html",
        body: "<!doctype html><title>Checkout</title><h1>Stripe Checkout</h1>",
      }),
    );
    await page.getByRole("button", { name: "Choose Console Pro" }).click();
    await expect.poll(() => page.url()).toMatch(new RegExp(`^${stripe.url}/checkout/`));
    const session = stripe.checkoutSessions().at(-1);
    expect(session?.prices).toEqual(["price_test_console_pro"]);

    await page.goto("/console/billing?checkout=success");
    expect(await page.locator(".flash-success").textContent()).toContain("subscription is being set up");
  });

  it("reported no script errors or CSP violations", () => {
    expect(problems).toEqual([]);
  });
});
