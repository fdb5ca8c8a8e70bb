// Builds Stripe event payloads the way Stripe sends them to a webhook endpoint, and signs them with
// the real SDK's test-header helper, so Herald verifies them exactly as it verifies Stripe's.
import { randomBytes } from "node:crypto";
import Stripe from "stripe";

export interface StripeEventJson {
  id: string;
  object: "event";
  api_version: string;
  created: number;
  type: string;
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  data: { object: Record<string, unknown>; previous_attributes?: Record<string, unknown> };
}

export function simId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString("hex")}`;
}

const seconds = (at: Date | number) => (typeof at === "number" ? at : Math.floor(at.getTime() / 1000));

export function buildEvent(
  type: string,
  object: Record<string, unknown>,
  options: { id?: string; created?: Date | number; previousAttributes?: Record<string, unknown> } = {},
): StripeEventJson {
  return {
    id: options.id ?? simId("evt"),
    object: "event",
    api_version: Stripe.API_VERSION,
    created: seconds(options.created ?? new Date()),
    type,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: {
      object,
      ...(options.previousAttributes ? { previous_attributes: options.previousAttributes } : {}),
    },
  };
}

export interface SubscriptionInput {
  id?: string;
  customer: string;
  /** Price ids, one subscription item each (a licensed price and, for overage, a metered one). */
  prices: string[];
  status?: string;
  currentPeriodStart?: Date | number;
  currentPeriodEnd?: Date | number;
  trialEnd?: Date | number | null;
  metadata?: Record<string, string>;
}

/** A Subscription object of the current API version: the billing period lives on its items. */
export function subscriptionObject(input: SubscriptionInput): Record<string, unknown> {
  const start = seconds(input.currentPeriodStart ?? new Date());
  const end = seconds(input.currentPeriodEnd ?? start + 30 * 86_400);
  const id = input.id ?? simId("sub");
  return {
    id,
    object: "subscription",
    customer: input.customer,
    status: input.status ?? "active",
    cancel_at_period_end: false,
    created: start,
    start_date: start,
    trial_end: input.trialEnd === undefined || input.trialEnd === null ? null : seconds(input.trialEnd),
    metadata: input.metadata ?? {},
    livemode: false,
    items: {
      object: "list",
      has_more: false,
      url: `/v1/subscription_items?subscription=${id}`,
      data: input.prices.map((price) => ({
        id: simId("si"),
        object: "subscription_item",
        subscription: id,
        current_period_start: start,
        current_period_end: end,
        quantity: 1,
        price: { id: price, object: "price", active: true },
      })),
    },
  };
}

export interface SignedPayload {
  payload: string;
  signature: string;
}

/** The body and `Stripe-Signature` header of a webhook delivery. */
export function signPayload(
  event: StripeEventJson | string,
  secret: string,
  options: { timestamp?: number } = {},
): SignedPayload {
  const payload = typeof event === "string" ? event : JSON.stringify(event);
  const signature = Stripe.webhooks.generateTestHeaderString({
    payload,
    secret,
    ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }),
  });
  return { payload, signature };
}
