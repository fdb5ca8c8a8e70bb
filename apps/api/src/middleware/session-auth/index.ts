import { timingSafeEqual } from "node:crypto";
import { CSRF_HEADER, SESSION_COOKIE } from "@herald/contract";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { AppContext } from "../../context.ts";
import { DomainError } from "../../errors.ts";
import type { AppEnv } from "../../hono-env.ts";
import { csrfTokenFor, readSessionToken, verifySession } from "../../services/auth/session.ts";

export interface SessionAuthOptions {
  ctx: AppContext;
}

const SAFE_METHODS = ["GET", "HEAD", "OPTIONS"];

/** The session token of a request: a Bearer header, else the console's cookie. */
export function sessionTokenOf(c: Context): { token: string | undefined; fromCookie: boolean } {
  const header = c.req.header("authorization");
  if (header?.toLowerCase().startsWith("bearer "))
    return { token: header.slice(7).trim(), fromCookie: false };
  return { token: getCookie(c, SESSION_COOKIE), fromCookie: true };
}

/**
 * Whether a cookie-authenticated request plausibly comes from Herald's own pages. Browsers send
 * Sec-Fetch-Site; older ones only Origin, which must then name this host (or HERALD_PUBLIC_URL's).
 */
export function sameOrigin(c: Context, publicUrl: string | undefined): boolean {
  const site = c.req.header("sec-fetch-site");
  if (site !== undefined) return site === "same-origin" || site === "none";
  const origin = c.req.header("origin");
  if (origin === undefined) return true;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  const allowed = [new URL(c.req.url).host, c.req.header("host")];
  if (publicUrl) allowed.push(new URL(publicUrl).host);
  return allowed.includes(host);
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Console and SDK authentication: a Bearer token, or the console's HttpOnly cookie. A cookie is
 * sent by the browser on its own, so state-changing cookie requests must come from our own origin
 * and carry the session's CSRF token in a header, which a cross-site page cannot read.
 */
export function sessionAuth({ ctx }: SessionAuthOptions): MiddlewareHandler<AppEnv> {
  return async function sessionAuthMiddleware(c, next) {
    const { token, fromCookie } = sessionTokenOf(c);
    if (!token) {
      throw new DomainError(
        "unauthorized",
        "Sign in first: send Authorization: Bearer <token> from POST /v1/auth/login.",
      );
    }
    if (fromCookie && !SAFE_METHODS.includes(c.req.method)) {
      if (!sameOrigin(c, ctx.config.publicUrl)) {
        throw new DomainError("unauthorized", "This request came from another site, so it was refused.");
      }
      const claims = readSessionToken(ctx, token);
      if (!safeEqual(c.req.header(CSRF_HEADER) ?? "", csrfTokenFor(ctx, claims.sessionId))) {
        throw new DomainError(
          "unauthorized",
          "Missing or wrong CSRF token; reload the console and try again.",
        );
      }
    }
    c.set("session", await verifySession(ctx, token));
    await next();
  };
}
