import type { SignedPayload, StripeEventJson, SubscriptionInput } from "./events.ts";
import type { FormObject } from "./form.ts";

export interface StripeSimOptions {
  /** Default 0: any free port. */
  port?: number;
  host?: string;
  /** The API key requests must carry (Authorization: Bearer). Default "sk_test_herald_sim". */
  secretKey?: string;
  /** The endpoint secret events are signed with. Default "whsec_herald_sim". */
  webhookSecret?: string;
}

/** The endpoints the emulator serves; fault injection names them. */
export type SimEndpoint = "customers" | "checkout_sessions" | "portal_sessions" | "meter_events";

export interface RecordedCall {
  method: string;
  path: string;
  endpoint: SimEndpoint | null;
  status: number;
  idempotencyKey: string | null;
  params: FormObject;
}

export interface SimCustomer {
  id: string;
  email: string | null;
  name: string | null;
  metadata: Record<string, string>;
}

export interface SimCheckoutSession {
  id: string;
  url: string;
  customer: string | null;
  mode: string;
  clientReferenceId: string | null;
  metadata: Record<string, string>;
  /** The price of each line item, in order. */
  prices: string[];
  trialPeriodDays: number | null;
  paymentMethodCollection: string | null;
  subscriptionMetadata: Record<string, string>;
  successUrl: string | null;
  cancelUrl: string | null;
  status: "open" | "complete";
  subscription: string | null;
}

export interface SimMeterEvent {
  identifier: string;
  eventName: string;
  customer: string;
  value: number;
  timestamp: number;
}

export interface StripeSim {
  /** Give this to Herald as STRIPE_API_BASE. */
  readonly url: string;
  readonly secretKey: string;
  readonly webhookSecret: string;
  customers(): SimCustomer[];
  checkoutSessions(): SimCheckoutSession[];
  portalSessions(): { id: string; url: string; customer: string; returnUrl: string | null }[];
  /** Accepted meter events, one per identifier: what Stripe would bill. */
  meterEvents(): SimMeterEvent[];
  /** Sum of accepted meter event values, optionally for one customer. */
  meterTotal(customer?: string): number;
  /** Every API call answered, in order. */
  calls(): RecordedCall[];
  /**
   * Answers the next `times` calls of an endpoint with HTTP 500. "before": nothing happens;
   * "after": the call takes effect and only the answer is lost (the case idempotency exists for).
   */
  failNext(endpoint: SimEndpoint, times?: number, when?: "before" | "after"): void;
  /** What Stripe does when a customer finishes Checkout: the subscription and its two events. */
  completeCheckout(sessionId: string, options?: { created?: Date }): StripeEventJson[];
  event(
    type: string,
    object: Record<string, unknown>,
    options?: { id?: string; created?: Date | number; previousAttributes?: Record<string, unknown> },
  ): StripeEventJson;
  subscription(input: SubscriptionInput): Record<string, unknown>;
  /** Signs with this emulator's webhook secret unless another is given. */
  sign(event: StripeEventJson | string, options?: { secret?: string; timestamp?: number }): SignedPayload;
  reset(): void;
  close(): Promise<void>;
}
