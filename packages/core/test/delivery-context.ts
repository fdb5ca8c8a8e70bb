// The delivery context the unit tests decide in: a first attempt queued at `nowMs`, no refusal streak,
// the default backoff, and jitter fixed at the middle of its range so that a delay is the same every run.
import { DEFAULT_RETRY, type DeliveryContext } from "../src/delivery-policy.ts";

export function deliveryContext(nowMs: number, overrides: Partial<DeliveryContext> = {}): DeliveryContext {
  return {
    attempts: 1,
    queuedAtMs: nowMs,
    nowMs,
    consecutiveBadRequests: 0,
    random: () => 0.5,
    retry: DEFAULT_RETRY,
    throttlePauseMs: 60_000,
    ...overrides,
  };
}
