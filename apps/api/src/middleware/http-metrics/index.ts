import type { MiddlewareHandler } from "hono";
import type { HeraldMetrics } from "../../metrics/index.ts";
import { routePattern } from "../route-pattern.ts";

export interface HttpMetricsOptions {
  metrics: HeraldMetrics;
}

/** Counts every answer by method, route pattern and status, and times it. */
export function httpMetrics({ metrics }: HttpMetricsOptions): MiddlewareHandler {
  return async function httpMetricsMiddleware(c, next) {
    const started = performance.now();
    await next();
    const route = routePattern(c);
    const method = c.req.method;
    metrics.httpRequests.inc({ method, route, status: String(c.res.status) });
    metrics.httpDuration.observe({ method, route }, (performance.now() - started) / 1000);
  };
}
