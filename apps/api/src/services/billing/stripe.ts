// The Stripe client, built once per runtime (openRuntime). STRIPE_API_BASE points the SDK at another host
// (the local emulator in tests); without STRIPE_SECRET_KEY billing is off and Herald runs without it,
// and never loads the SDK (a fifth of the api's start-up time on a two-core machine).
import type Stripe from "stripe";
import type { Config } from "../../config.ts";
import type { AppContext } from "../../context.ts";
import { DomainError } from "../../errors.ts";

export interface StripeConnection {
  host?: string;
  port?: number;
  protocol?: "http" | "https";
}

/** "http://127.0.0.1:12111" -> the host, port and protocol options of `new Stripe(key, ...)`. */
export function stripeConnection(apiBase: string | undefined): StripeConnection {
  if (!apiBase) return {};
  let url: URL;
  try {
    url = new URL(apiBase);
  } catch {
    throw new Error(`STRIPE_API_BASE: "${apiBase}" is not a URL; use e.g. http://127.0.0.1:12111`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`STRIPE_API_BASE: must be an http or https URL, not ${url.protocol}`);
  }
  const protocol = url.protocol === "http:" ? "http" : "https";
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: url.port ? Number(url.port) : protocol === "http" ? 80 : 443,
    protocol,
  };
}

/** The Stripe client for a configuration, or undefined when billing is not configured. */
export async function createStripeClient(config: Config): Promise<Stripe | undefined> {
  const settings = config.stripe;
  if (!settings) return undefined;
  const { default: Stripe } = await import("stripe");
  return new Stripe(settings.secretKey, {
    ...stripeConnection(settings.apiBase),
    maxNetworkRetries: 2,
    timeout: 15_000,
    appInfo: { name: "Herald" },
  });
}

/** The runtime's Stripe client, or undefined when billing is not configured. */
export function stripeFor(ctx: AppContext): Stripe | undefined {
  return ctx.stripe;
}

export function requireStripe(ctx: AppContext): Stripe {
  const client = stripeFor(ctx);
  if (!client) {
    throw new DomainError(
      "not_found",
      "Billing is not enabled on this Herald (STRIPE_SECRET_KEY is not set); plans are assigned by the operator.",
    );
  }
  return client;
}

/** Runs a Stripe API call; Stripe's own failures become billing_provider_error with its message. */
export async function callStripe<T>(stripe: Stripe, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof stripe.errors.StripeError) {
      throw new DomainError("billing_provider_error", `Stripe could not ${what}: ${error.message}`, {
        stripeType: error.type,
        stripeRequestId: error.requestId ?? null,
      });
    }
    throw error;
  }
}
