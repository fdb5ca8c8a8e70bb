// Assembles a running Herald from a Config: database (migrated), keys, context, app and worker.
// main.ts, the worker entry and the test harness all start Herald through here.
import { type Database, migrate, openDatabase } from "@herald/db";
import pino, { type Logger } from "pino";
import { createApp } from "./app.ts";
import type { Config } from "./config.ts";
import { type AppContext, type Clock, DeliverySignals, systemClock } from "./context.ts";
import { createKeyring } from "./crypto.ts";
import { DeliveryWorker, type WorkerOptions } from "./delivery/worker.ts";
import { OverageReporter } from "./services/billing/meter.ts";

export interface HeraldRuntime {
  ctx: AppContext;
  db: Database;
  app: ReturnType<typeof createApp>["app"];
  worker: DeliveryWorker | undefined;
  close(): Promise<void>;
}

export function createLogger(config: Pick<Config, "logLevel">): Logger {
  return pino({
    level: config.logLevel,
    base: { service: "herald" },
    redact: {
      paths: [
        "req.headers.authorization",
        'req.headers["x-license-secret"]',
        "*.licenseSecret",
        "*.password",
        "*.url",
        "*.token",
      ],
      censor: "[redacted]",
    },
  });
}

export async function startRuntime(options: {
  config: Config;
  logger?: Logger;
  clock?: Clock;
  worker?: boolean;
  workerOptions?: WorkerOptions;
  database?: Database;
}): Promise<HeraldRuntime> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config);
  const db =
    options.database ??
    (await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      maxConnections: config.databasePoolSize,
    }));
  await migrate(db.sql);
  const ctx: AppContext = {
    sql: db.sql,
    engine: db.engine,
    config,
    keys: createKeyring(config.secret, config.previousSecret),
    clock: options.clock ?? systemClock,
    signals: new DeliverySignals(),
    logger,
  };
  const { app } = createApp(ctx);
  const runWorker = options.worker ?? config.worker === "in-process";
  const worker = runWorker ? new DeliveryWorker(ctx, options.workerOptions) : undefined;
  await worker?.start();
  // Overage goes to Stripe from wherever the worker runs; no-op without Stripe.
  const reporter = runWorker ? new OverageReporter(ctx) : undefined;
  reporter?.start();
  return {
    ctx,
    db,
    app,
    worker,
    async close() {
      await worker?.stop();
      await reporter?.stop();
      if (!options.database) await db.close();
    },
  };
}
