// What every service receives: the delivery engine's context (database, clock, signals, logger,
// metrics) plus the full configuration and the keyring.
import type { IdSource } from "@herald/core";
import type { DeliveryContext } from "@herald/delivery";
import type Stripe from "stripe";
import type { Config } from "./config.ts";
import type { Keyring } from "./crypto.ts";
import type { HeraldMetrics } from "./metrics/index.ts";
import type { ActivityVerifier } from "./services/bot/verify.ts";
import type { RuntimeCaches } from "./services/caches.ts";

export { type Clock, DeliverySignals, systemClock, utcDay } from "@herald/delivery";

export interface AppContext extends DeliveryContext {
  readonly config: Config;
  readonly keys: Keyring;
  readonly metrics: HeraldMetrics;
  /** Every id and license value this runtime issues. */
  readonly ids: IdSource;
  readonly caches: RuntimeCaches;
  /** The Stripe client; undefined when billing is not configured. */
  readonly stripe: Stripe | undefined;
  /** Checks activities posted to /bot/messages; undefined when no bot is configured. */
  readonly botVerifier: ActivityVerifier | undefined;
}

export function utcMonth(date: Date): string {
  return `${date.toISOString().slice(0, 7)}-01`;
}
