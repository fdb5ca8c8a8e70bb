// GET /metrics: Prometheus text exposition of this runtime's registry.
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import type { AppContext } from "../context.ts";
import type { AppEnv } from "../hono-env.ts";

export function metricsRoutes(ctx: AppContext) {
  const app = new Hono<AppEnv>();
  const metrics = ctx.metrics;
  app.get("/metrics", async (c) => {
    const body = await metrics.render(ctx.sql);
    return c.body(body, 200, { "content-type": metrics.registry.contentType });
  });
  return app;
}

/**
 * A separate delivery worker has no api to scrape: it serves /metrics and /healthz on their own port
 * (HERALD_METRICS_PORT). Returns a function that closes the listener.
 */
export function serveWorkerMetrics(ctx: AppContext, options: { port: number; host: string }) {
  const app = new Hono<AppEnv>();
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.route("/", metricsRoutes(ctx));
  const server = serve({ fetch: app.fetch, port: options.port, hostname: options.host });
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
