import type { MiddlewareHandler } from "hono";
import type { AppContext } from "../../context.ts";
import type { AppEnv } from "../../hono-env.ts";
import { enforce } from "../../services/throttle.ts";

export interface KeyThrottleOptions {
  ctx: AppContext;
}

/**
 * Per-binding-key throttling of the activity API, a plan setting (requestsPerSecond; the unlimited
 * plan has none, so it costs nothing there). Counted in PostgreSQL so that all replicas agree.
 */
export function keyThrottle({ ctx }: KeyThrottleOptions): MiddlewareHandler<AppEnv> {
  return async function keyThrottleMiddleware(c, next) {
    const license = c.get("license");
    const limit = license.requestsPerSecond;
    if (limit !== null) {
      await enforce(
        ctx,
        `key:${license.bindingKeyId}`,
        1000,
        limit,
        `binding key ${license.licenseKey} (plan ${license.plan}: ${limit} requests per second)`,
      );
    }
    await next();
  };
}
