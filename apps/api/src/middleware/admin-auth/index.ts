import { timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { AppContext } from "../../context.ts";
import { DomainError } from "../../errors.ts";
import type { AppEnv } from "../../hono-env.ts";
import { OPERATOR_TOKEN_PER_ADDRESS } from "../../services/auth/throttles.ts";
import { hit, refuseIfSpent } from "../../services/throttle.ts";

export interface AdminAuthOptions {
  ctx: AppContext;
  token: string | undefined;
}

/**
 * The operator API exists only when HERALD_ADMIN_TOKEN is set, and takes it only as
 * `Authorization: Bearer <token>`. Wrong tokens are counted per address, so the token cannot be
 * guessed at request rate.
 */
export function adminAuth({ ctx, token }: AdminAuthOptions): MiddlewareHandler<AppEnv> {
  const expected = token === undefined ? undefined : Buffer.from(token);
  return async function adminAuthMiddleware(c, next) {
    if (!expected)
      throw new DomainError(
        "not_found",
        "The operator API is disabled; set HERALD_ADMIN_TOKEN to enable it.",
      );
    const address = c.get("clientAddress");
    // Checked before the token, so that a guess past the budget learns nothing, right or wrong.
    if (address) await refuseIfSpent(ctx, OPERATOR_TOKEN_PER_ADDRESS, address);
    const header = c.req.header("authorization") ?? "";
    const given = Buffer.from(header.startsWith("Bearer ") ? header.slice(7) : "");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      if (address) await hit(ctx, OPERATOR_TOKEN_PER_ADDRESS, address);
      throw new DomainError("unauthorized", "Operator API: send Authorization: Bearer <HERALD_ADMIN_TOKEN>.");
    }
    await next();
  };
}
