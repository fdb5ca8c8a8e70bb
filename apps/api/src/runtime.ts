// What every Herald process needs, built from a Config: the database (migrated), the keyring and
// one explicit context (clock, ids, caches, Stripe client, signals, logger, metrics, disk-full
// reporter). start.ts adds the HTTP app (and the in-process worker) for `npm start`; worker.ts adds
// only the worker. It imports no HTTP code, so a worker process loads none.

import { randomBytes } from "node:crypto";
import { IdSource } from "@herald/core";
import { type Database, DiskFullReporter, migrate, openDatabase } from "@herald/db";
import {
  createBotClient,
  DeliverySignals,
  DeliveryWorker,
  type PeriodicJob,
  systemClock,
  type WorkerOptions,
} from "@herald/delivery";
import pino, { type Logger } from "pino";
import type { Config } from "./config.ts";
import type { AppContext, Clock } from "./context.ts";
import { createKeyring } from "./crypto.ts";
import { HeraldMetrics } from "./metrics/index.ts";
import { pruneEndedSessions } from "./services/auth/session.ts";
import { OverageReporter } from "./services/billing/meter.ts";
import { createStripeClient } from "./services/billing/stripe.ts";
import { ActivityVerifier } from "./services/bot/verify.ts";
import { RuntimeCaches } from "./services/caches.ts";
import { forgetWebhook } from "./services/messages/webhook-cache.ts";

export interface RuntimeOptions {
  config: Config;
  logger?: Logger;
  clock?: Clock;
  database?: Database;
  workerOptions?: WorkerOptions;
}

/** A context without an HTTP app or a worker: what a worker process, the CLI and tests build on. */
export interface RuntimeCore {
  ctx: AppContext;
  db: Database;
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
        "*.appSecret",
        "*.clientSecret",
        "*.access_token",
      ],
      censor: "[redacted]",
    },
  });
}

export async function openRuntime(options: RuntimeOptions): Promise<RuntimeCore> {
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
  const clock = options.clock ?? systemClock;
  const ctx: AppContext = {
    sql: db.sql,
    leaseSql: db.leaseSql,
    engine: db.engine,
    config,
    keys: createKeyring(config.secret, config.previousSecret),
    clock,
    signals: new DeliverySignals(),
    logger,
    metrics: new HeraldMetrics(),
    ids: new IdSource(randomBytes),
    caches: new RuntimeCaches(clock),
    stripe: await createStripeClient(config),
    bot: config.bot === undefined ? undefined : createBotClient(config.bot, clock),
    botVerifier: config.bot === undefined ? undefined : new ActivityVerifier(config.bot, clock),
    diskFull: new DiskFullReporter({ logger, engine: db.engine, dataDir: config.dataDir }),
  };
  // A webhook the worker disabled is forgotten by this process's sendMessage cache at once.
  ctx.signals.on("webhooks-disabled", (webhooks: readonly { id: string; tenantId: string }[]) => {
    for (const w of webhooks) forgetWebhook(ctx, w.tenantId, w.id);
  });
  return {
    ctx,
    db,
    async close() {
      if (!options.database) await db.close();
    },
  };
}

/**
 * The runtime's periodic jobs, run by the delivery worker wherever it runs: overage reports to
 * Stripe, and deleting the sessions and reset links nobody can use any more.
 */
export function periodicJobs(ctx: AppContext): PeriodicJob[] {
  const jobs: PeriodicJob[] = [
    { name: "session-prune", everyMs: 60 * 60_000, run: () => pruneEndedSessions(ctx) },
  ];
  if (ctx.config.stripe) {
    const reporter = new OverageReporter(ctx);
    jobs.push({ name: "overage-report", everyMs: 5 * 60_000, run: () => reporter.runOnce() });
  }
  return jobs;
}

/** The delivery worker with this runtime's periodic jobs. */
export function createWorker(ctx: AppContext, options: WorkerOptions = {}): DeliveryWorker {
  return new DeliveryWorker(ctx, { ...options, jobs: [...periodicJobs(ctx), ...(options.jobs ?? [])] });
}
