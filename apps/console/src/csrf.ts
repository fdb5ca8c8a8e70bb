import { isSameOrigin, sameToken } from "@herald/core";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { CSRF_COOKIE } from "./session.ts";

export interface CsrfProtectionOptions {
  /** The token a form must carry (the session's own); default: the readable CSRF cookie. */
  expected?: (c: Context) => string | undefined;
  /** HERALD_PUBLIC_URL: its host is ours too when a form's Origin is checked. */
  publicUrl?: string | undefined;
  /** Paths whose forms are posted before a session (and its token) exists: sign in and sign up. */
  exempt?: readonly string[];
  /** Answers a refused form. */
  refuse: (c: Parameters<MiddlewareHandler>[0], reason: string) => Response | Promise<Response>;
}

/**
 * The console's forms post to the console, which calls the api with the session as a Bearer token;
 * so the console checks what the api would check for a cookie: the double-submitted token (the
 * `_csrf` field equals the readable CSRF cookie), and that the browser says the post is same-origin.
 */
export function csrfProtection({
  exempt = [],
  refuse,
  expected: expectedOf = (c) => getCookie(c, CSRF_COOKIE),
  publicUrl,
}: CsrfProtectionOptions): MiddlewareHandler {
  return async function csrfProtectionMiddleware(c, next) {
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    if (!isSameOrigin(c.req, publicUrl)) {
      return refuse(c, "This form was sent from another site, so it was refused.");
    }
    if (exempt.includes(c.req.path)) return next();
    const body = await c.req.parseBody();
    const given = typeof body._csrf === "string" ? body._csrf : "";
    const expected = expectedOf(c) ?? "";
    if (!expected || !sameToken(given, expected)) {
      return refuse(
        c,
        "This form has expired or was not sent from the console. Reload the page and try again.",
      );
    }
    return next();
  };
}
