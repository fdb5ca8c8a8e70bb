// Billing: the tenant's plan and subscription, Stripe Checkout and Billing Portal, and Stripe's webhook.
import {
  Billing,
  CheckoutRequest,
  CheckoutSession,
  PortalSession,
  StripeEventReceipt,
  StripeWebhookHeaders,
} from "@herald/contract";
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import type { AppContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import type { AppEnv } from "../hono-env.ts";
import { createCheckoutSession } from "../services/billing/checkout.ts";
import { createPortalSession } from "../services/billing/portal.ts";
import { getBilling } from "../services/billing/status.ts";
import { handleStripeWebhook } from "../services/billing/webhook.ts";
import { errorResponses, json, jsonBody } from "./responses.ts";

const MAX_EVENT_BYTES = 1024 * 1024;
const security = [{ Session: [] }];

const getRoute = createRoute({
  method: "get",
  path: "/v1/billing",
  operationId: "getBilling",
  description:
    "The tenant's plan, subscription state and trial end, and the plans that can be bought here (those with a Stripe price). `enabled` is false when this Herald has no Stripe configuration: plans are then assigned by the operator.",
  summary: "The plan, the subscription's state and the plans on offer",
  tags: ["Billing"],
  security,
  responses: { 200: json(Billing, "Billing"), ...errorResponses(401) },
});

const checkoutRoute = createRoute({
  method: "post",
  path: "/v1/billing/checkout",
  operationId: "startCheckout",
  summary: "Start a Stripe Checkout for a plan",
  description: "A plan with trial days starts its trial without a card. Redirect the browser to `url`.",
  tags: ["Billing"],
  security,
  request: { body: jsonBody(CheckoutRequest) },
  responses: {
    200: json(CheckoutSession, "Checkout session"),
    ...errorResponses(400, 401, 404, 409, 415, 502),
  },
});

const portalRoute = createRoute({
  method: "post",
  path: "/v1/billing/portal",
  operationId: "openBillingPortal",
  description:
    "Answers the URL of Stripe's Billing Portal for the tenant: invoices, payment method, plan changes and cancellation.",
  summary: "Open the Stripe Billing Portal (invoices, card, plan changes, cancellation)",
  tags: ["Billing"],
  security,
  responses: { 200: json(PortalSession, "Portal session"), ...errorResponses(401, 404, 502) },
});

const webhookRoute = createRoute({
  method: "post",
  path: "/webhooks/stripe",
  operationId: "receiveStripeEvent",
  security: [],
  summary: "Stripe's webhook endpoint",
  description:
    "Called by Stripe with a signed event (raw JSON body, `Stripe-Signature` header). Each event id is applied once; a replay answers `duplicate: true` and changes nothing.",
  tags: ["Billing"],
  request: { headers: StripeWebhookHeaders },
  responses: {
    200: json(StripeEventReceipt, "Event accepted"),
    ...errorResponses(400, 404, 413),
  },
});

export function billingRoutes(ctx: AppContext) {
  const app = new OpenAPIHono<AppEnv>();
  // Where Stripe sends the browser back to: the public URL when configured, else where it came from.
  const returnBase = (requestUrl: string) =>
    (ctx.config.publicUrl ?? new URL(requestUrl).origin).replace(/\/$/, "");

  app.openapi(getRoute, async (c) =>
    c.json(await getBilling({ ctx, tenantId: c.get("session").tenantId }), 200),
  );
  app.openapi(checkoutRoute, async (c) => {
    const result = await createCheckoutSession({
      ctx,
      session: c.get("session"),
      planName: c.req.valid("json").plan,
      returnBase: returnBase(c.req.url),
    });
    return c.json(result, 200);
  });
  app.openapi(portalRoute, async (c) =>
    c.json(
      await createPortalSession({ ctx, session: c.get("session"), returnBase: returnBase(c.req.url) }),
      200,
    ),
  );

  app.use(
    "/webhooks/stripe",
    bodyLimit({
      maxSize: MAX_EVENT_BYTES,
      onError: () => {
        throw new DomainError("payload_too_large", `A Stripe event is at most ${MAX_EVENT_BYTES} bytes.`);
      },
    }),
  );
  app.openapi(webhookRoute, async (c) => {
    // The signature covers the exact bytes Stripe sent, so the body is read raw, never re-serialised.
    const result = await handleStripeWebhook({
      ctx,
      payload: await c.req.text(),
      signature: c.req.header("stripe-signature"),
      requestId: c.get("requestId"),
    });
    return c.json(result, 200);
  });
  return app;
}
