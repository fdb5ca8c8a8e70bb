// A local Stripe API emulator for Herald's tests: the real stripe SDK, pointed at it through
// STRIPE_API_BASE, creates customers, Checkout and Billing Portal sessions and meter events here.
export {
  buildEvent,
  type SignedPayload,
  type StripeEventJson,
  signPayload,
  subscriptionObject,
} from "./events.ts";
export { startStripeSim } from "./server.ts";
export type {
  RecordedCall,
  SimCheckoutSession,
  SimCustomer,
  SimEndpoint,
  SimMeterEvent,
  StripeSim,
  StripeSimOptions,
} from "./types.ts";
