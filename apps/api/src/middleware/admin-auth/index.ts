import { timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../env.ts";
import { DomainError } from "../../errors.ts";

export interface AdminAuthOptions {
  token: string | undefined;
}

/** The operator API exists only when HERALD_ADMIN_TOKEN is set. */
export function adminAuth({ token }: AdminAuthOptions): MiddlewareHandler<AppEnv> {
  return async function adminAuthMiddleware(c, next) {
    if (!token)
      throw new DomainError(
        "not_found",
        "The operator API is disabled; set HERALD_ADMIN_TOKEN to enable it.",
      );
    const given = (c.req.header("authorization") ?? "").replace(/^Bearer\s+/i, "");
    if (given.length !== token.length || !timingSafeEqual(Buffer.from(given), Buffer.from(token))) {
      throw new DomainError("unauthorized", "Operator API: send Authorization: Bearer <HERALD_ADMIN_TOKEN>.");
    }
    await next();
  };
}
