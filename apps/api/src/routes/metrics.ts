// GET /metrics: Prometheus text exposition of this runtime's registry. It names tenants' volumes
// and queue depths, so it is never public: on PORT only with HERALD_METRICS_TOKEN, or on its own
// HERALD_METRICS_PORT (bind that to a private interface).
import { timingSafeEqual } from "node:crypto";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import type { AppContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import type { AppEnv } from "../hono-env.ts";

export interface MetricsRouteOptions {
  /** Required as `Authorization: Bearer <token>`; without one the route is open (its own port only). */
  token?: string | undefined;
}

export function metricsRoutes(ctx: AppContext, { token }: MetricsRouteOptions = {}) {
  const app = new Hono<AppEnv>();
  const metrics = ctx.metrics;
  const expected = token === undefined ? undefined : Buffer.from(`Bearer ${token}`);
  app.get("/metrics", async (c) => {
    if (expected) {
      const given = Buffer.from(c.req.header("authorization") ?? "");
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new DomainError("unauthorized", "Metrics: send Authorization: Bearer <HERALD_METRICS_TOKEN>.");
      }
    }
    const body = await metrics.render(ctx.sql, ctx.clock.now().getTime());
    return c.body(body, 200, { "content-type": metrics.registry.contentType });
  });
  return app;
}

/**
 * /metrics and /healthz on their own port (HERALD_METRICS_PORT): a separate delivery worker has no
 * api to scrape, and an api may keep its metrics off the public port. Returns a function that
 * closes the listener.
 */
export function serveWorkerMetrics(ctx: AppContext, options: { port: number; host: string }) {
  const app = new Hono<AppEnv>();
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.route("/", metricsRoutes(ctx));
  const server = serve({ fetch: app.fetch, port: options.port, hostname: options.host });
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
