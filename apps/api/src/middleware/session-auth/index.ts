import { timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { AppContext } from "../../context.ts";
import type { AppEnv } from "../../env.ts";
import { DomainError } from "../../errors.ts";
import { verifySessionToken } from "../../services/auth/session.ts";

export const SESSION_COOKIE = "herald_session";
export const CSRF_COOKIE = "herald_csrf";
export const CSRF_HEADER = "x-csrf-token";

export interface SessionAuthOptions {
  ctx: AppContext;
}

/**
 * Console and SDK authentication: a Bearer JWT, or the console's HttpOnly cookie. A cookie is sent
 * by the browser on its own, so state-changing cookie requests must also echo the CSRF cookie in a
 * header (double submit), which a cross-site page cannot read.
 */
export function sessionAuth({ ctx }: SessionAuthOptions): MiddlewareHandler<AppEnv> {
  return async function sessionAuthMiddleware(c, next) {
    const header = c.req.header("authorization");
    let token: string | undefined;
    if (header?.toLowerCase().startsWith("bearer ")) {
      token = header.slice(7).trim();
    } else {
      token = getCookie(c, SESSION_COOKIE);
      if (token && !["GET", "HEAD", "OPTIONS"].includes(c.req.method)) {
        const expected = getCookie(c, CSRF_COOKIE) ?? "";
        const given = c.req.header(CSRF_HEADER) ?? "";
        if (
          !expected ||
          expected.length !== given.length ||
          !timingSafeEqual(Buffer.from(expected), Buffer.from(given))
        ) {
          throw new DomainError(
            "unauthorized",
            "Missing or wrong CSRF token; reload the console and try again.",
          );
        }
      }
    }
    if (!token) {
      throw new DomainError(
        "unauthorized",
        "Sign in first: send Authorization: Bearer <token> from POST /v1/auth/login.",
      );
    }
    c.set("session", await verifySessionToken(ctx, token));
    await next();
  };
}
