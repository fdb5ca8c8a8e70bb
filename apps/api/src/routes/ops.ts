import type { Readiness } from "@herald/contract";
import { migrationsApplied } from "@herald/db";
import { Hono } from "hono";
import type { AppContext } from "../context.ts";
import type { AppEnv } from "../hono-env.ts";

export function opsRoutes(ctx: AppContext) {
  const app = new Hono<AppEnv>();
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    try {
      const ready = await migrationsApplied(ctx.sql);
      if (!ready)
        return c.json({ status: "not_ready", reason: "migrations not applied" } satisfies Readiness, 503);
      return c.json({ status: "ready", database: ctx.engine } satisfies Readiness);
    } catch {
      c.header("Retry-After", "5");
      return c.json({ status: "not_ready", reason: "database unreachable" } satisfies Readiness, 503);
    }
  });
  return app;
}
