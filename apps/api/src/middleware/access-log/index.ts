import type { MiddlewareHandler } from "hono";
import type { Logger } from "pino";
import type { AppEnv } from "../../hono-env.ts";
import { routePattern } from "../route-pattern.ts";

export interface AccessLogOptions {
  logger: Logger;
  /** Routes logged at debug rather than info: probes and scrapes would drown the real traffic. */
  quietRoutes?: readonly string[];
}

const DEFAULT_QUIET = ["/healthz", "/readyz", "/metrics"];

/**
 * One JSON line per request: method, route pattern, status, client address, duration and request
 * id. Deliberately no headers (license secrets, session tokens), no query and no raw path.
 */
export function accessLog({
  logger,
  quietRoutes = DEFAULT_QUIET,
}: AccessLogOptions): MiddlewareHandler<AppEnv> {
  const quiet = new Set(quietRoutes);
  return async function accessLogMiddleware(c, next) {
    const started = performance.now();
    await next();
    const route = routePattern(c);
    const status = c.res.status;
    const entry = {
      requestId: c.get("requestId"),
      method: c.req.method,
      route,
      status,
      // The client's address (respecting HERALD_TRUST_PROXY): whom a flood or a 5xx came from.
      address: c.get("clientAddress") ?? null,
      ms: Math.round((performance.now() - started) * 10) / 10,
    };
    if (quiet.has(route)) logger.debug(entry, "request");
    else if (status >= 500) logger.error(entry, "request");
    else logger.info(entry, "request");
  };
}
