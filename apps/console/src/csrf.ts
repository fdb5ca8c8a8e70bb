import { timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { CSRF_COOKIE } from "./session.ts";

export interface CsrfProtectionOptions {
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
export function csrfProtection({ exempt = [], refuse }: CsrfProtectionOptions): MiddlewareHandler {
  return async function csrfProtectionMiddleware(c, next) {
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    const site = c.req.header("sec-fetch-site");
    if (site !== undefined && site !== "same-origin" && site !== "none") {
      return refuse(c, "This form was sent from another site, so it was refused.");
    }
    if (exempt.includes(c.req.path)) return next();
    const body = await c.req.parseBody();
    const given = typeof body._csrf === "string" ? body._csrf : "";
    const expected = getCookie(c, CSRF_COOKIE) ?? "";
    if (!expected || !safeEqual(given, expected)) {
      return refuse(
        c,
        "This form has expired or was not sent from the console. Reload the page and try again.",
      );
    }
    return next();
  };
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
