// The console's view of a signed-in person: the api's session cookie, turned into an SDK client and a page frame.
import { randomBytes } from "node:crypto";
import { CSRF_COOKIE, SESSION_COOKIE, SESSION_TTL_SECONDS } from "@herald/contract";
import { Herald, HeraldError } from "@herald/sdk";
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { Billing, ConsoleOptions, ForwardedClient, Instance, Shell } from "./context.ts";
import { setFlash, takeFlash } from "./flash.ts";

// The session cookie is set by the api's /v1/auth/signup and /v1/auth/login; the CSRF cookie is the
// readable double-submit token the api checks in X-CSRF-Token and the console in the `_csrf` field.
export { CSRF_COOKIE, SESSION_COOKIE } from "@herald/contract";

/** Remembers the last instance visited, so that the navigation returns to it. */
const INSTANCE_COOKIE = "herald_instance";

/** Set by the api for every request it serves, the console's included (middleware/client-address). */
function forwardedClient(c: Context): ForwardedClient {
  const address: unknown = c.get("clientAddress");
  return { clientAddress: typeof address === "string" ? address : undefined, clientHttps: isHttps(c) };
}

function isHttps(c: Context): boolean {
  return c.get("clientHttps") === true || new URL(c.req.url).protocol === "https:";
}

/** An SDK client calling the api in-process with the caller's session, as a Bearer token. */
export function heraldFor(c: Context, options: ConsoleOptions): Herald {
  const client = forwardedClient(c);
  return new Herald({
    baseUrl: new URL(c.req.url).origin,
    fetch: (request) => options.api(request, client),
    token: getCookie(c, SESSION_COOKIE),
    retries: 0,
  });
}

/** The CSRF token a form must carry: the session's own when the api derives it, else the cookie's. */
export function expectedCsrfToken(c: Context, options: ConsoleOptions): string | undefined {
  const session = getCookie(c, SESSION_COOKIE);
  if (session && options.csrfFor) return options.csrfFor(session);
  return getCookie(c, CSRF_COOKIE);
}

/**
 * The CSRF token to embed in forms. The api sets it at sign-in with SameSite=Strict, so a visit that
 * starts from a link on another site arrives without the cookie: then it is set again.
 */
export function csrfToken(c: Context, options: ConsoleOptions): string {
  const existing = getCookie(c, CSRF_COOKIE);
  const token = expectedCsrfToken(c, options) ?? existing ?? randomBytes(18).toString("base64url");
  if (token !== existing) {
    setCookie(c, CSRF_COOKIE, token, {
      httpOnly: false,
      sameSite: "Strict",
      path: "/",
      secure: isHttps(c),
      maxAge: SESSION_TTL_SECONDS,
    });
  }
  return token;
}

export class PageNotFound extends Error {}

/** Loads the frame of a signed-in page, or answers with a redirect to the sign-in page. */
export async function loadShell(
  c: Context,
  options: ConsoleOptions,
  instanceId?: string,
): Promise<Shell | Response> {
  if (!getCookie(c, SESSION_COOKIE)) return toSignIn(c, false);
  const herald = heraldFor(c, options);
  let instances: Shell["instances"];
  try {
    instances = (await herald.listInstances()).items;
  } catch (error) {
    if (error instanceof HeraldError && error.status === 401) return toSignIn(c, true);
    throw error;
  }
  const instance = instanceId === undefined ? undefined : instances.find((i) => i.id === instanceId);
  if (instanceId !== undefined && !instance)
    throw new PageNotFound(`No instance ${instanceId} in your account.`);
  const remembered = getCookie(c, INSTANCE_COOKIE);
  if (instance && remembered !== instance.id) {
    setCookie(c, INSTANCE_COOKIE, instance.id, {
      httpOnly: true,
      sameSite: "Lax",
      path: "/console",
      maxAge: 365 * 24 * 3600,
    });
  }
  return {
    herald,
    csrf: csrfToken(c, options),
    instances,
    instance,
    home: instance ?? instances.find((i) => i.id === remembered) ?? instances[0],
    billing: await loadBilling(herald),
    flash: takeFlash(c),
    path: c.req.path,
  };
}

function toSignIn(c: Context, expired: boolean): Response {
  if (expired) setFlash(c, { tone: "info", title: "Your session has expired; sign in again." });
  const next = c.req.method === "GET" ? `?next=${encodeURIComponent(c.req.path)}` : "";
  return c.redirect(`/console/login${next}`, 303);
}

/** Billing is shown only when the api offers it and Stripe is configured (`enabled`). */
async function loadBilling(herald: Herald): Promise<Billing | null> {
  try {
    const billing = await herald.billing();
    return billing.enabled ? billing : null;
  } catch (error) {
    // An api without billing routes (404) simply has no billing section.
    if (error instanceof HeraldError && error.status === 404) return null;
    throw error;
  }
}

export type InstanceShell = Shell & { instance: Instance };

/** The frame of a page about one instance (/console/i/:instanceId/...): that instance must be yours. */
export async function loadInstanceShell(
  c: Context,
  options: ConsoleOptions,
  instanceId: string,
): Promise<InstanceShell | Response> {
  const shell = await loadShell(c, options, instanceId);
  if (shell instanceof Response) return shell;
  const { instance } = shell;
  if (!instance) throw new PageNotFound(`No instance ${instanceId} in your account.`);
  return { ...shell, instance };
}
