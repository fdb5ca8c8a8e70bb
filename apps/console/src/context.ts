// What the console is given when the api mounts it, and the shapes it shares between routes and views.
import type { Billing, Instance } from "@herald/contract";
import type { Herald } from "@herald/sdk";

/** Who the browser is, passed with each in-process api call as a socket would tell the api. */
export interface ForwardedClient {
  clientAddress?: string | undefined;
  clientHttps?: boolean | undefined;
}

/** The api app's own fetch: the console is a client of the public JSON API, called in-process. */
export type ApiFetch = (request: Request, client?: ForwardedClient) => Response | Promise<Response>;

export interface ConsoleOptions {
  api: ApiFetch;
  /**
   * The CSRF token of a session token (derived from the session, so that it is bound to it), or
   * undefined for a token that is not genuine. Without it the console falls back to a random
   * double-submit token.
   */
  csrfFor?: ((sessionToken: string) => string | undefined) | undefined;
  /** Origins the console's forms may redirect to (CSP form-action): Stripe's checkout and portal. */
  formTargets?: readonly string[] | undefined;
  /** HERALD_PUBLIC_URL: where Teams reaches this Herald (the app package's URLs). Default: the request's origin. */
  publicUrl?: string | undefined;
  /** HERALD_BOT_APP_ID, when the operator runs Herald's Teams bot: the app package carries it. */
  botAppId?: string | undefined;
  /**
   * 32 bytes that encrypt what is held for one view (a new LicenseSecret across its redirect); the
   * same on every replica. The api derives it from HERALD_SECRET.
   */
  oneViewKey: Uint8Array;
  /** Where faults are reported (the api's pino logger fits). */
  logger?: { error(details: object, message: string): void } | undefined;
  /** The runtime's clock (what "today" and "days left" are counted from); default: the system's. */
  now?: (() => Date) | undefined;
}

/** The console's idea of now: the runtime's clock when it gave one. */
export function nowOf(options: Pick<ConsoleOptions, "now">): Date {
  return options.now?.() ?? new Date();
}

export type { Billing, Instance, PlanSummary as BillingPlan } from "@herald/contract";

export type FlashTone = "success" | "error" | "info";
export interface Flash {
  tone: FlashTone;
  title: string;
  detail?: string | undefined;
}

/** Everything a signed-in page's frame needs: who, where, and what to say. */
export interface Shell {
  herald: Herald;
  csrf: string;
  instances: Instance[];
  /** The instance the page is about, for instance-scoped pages. */
  instance: Instance | undefined;
  /** The instance the navigation points at: the page's, else the last one visited, else the first. */
  home: Instance | undefined;
  billing: Billing | null;
  flash: Flash | null;
  path: string;
}
