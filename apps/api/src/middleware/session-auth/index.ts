import { CSRF_HEADER, SESSION_COOKIE } from "@herald/contract";
import { isSameOrigin, sameToken } from "@herald/core";
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
      if (!isSameOrigin(c.req, ctx.config.publicUrl)) {
        throw new DomainError("unauthorized", "This request came from another site, so it was refused.");
      }
      const claims = readSessionToken(ctx, token);
      if (!sameToken(c.req.header(CSRF_HEADER) ?? "", csrfTokenFor(ctx, claims.sessionId))) {
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
