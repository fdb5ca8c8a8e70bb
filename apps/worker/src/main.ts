// `npm run worker`: a delivery worker on its own, so api and workers scale out separately on one
// PostgreSQL. It serves no HTTP app: only /metrics and /healthz on HERALD_METRICS_PORT when set.
import { createLogger, loadConfigOrExit, serveWorkerMetrics, startWorkerRuntime } from "@herald/api/worker";

async function main() {
  const config = loadConfigOrExit();
  if (!config.databaseUrl) {
    console.error(
      "DATABASE_URL: a separate worker needs a shared PostgreSQL. With the embedded database, `npm start` runs the worker in-process.",
    );
    process.exit(1);
  }
  const logger = createLogger(config);
  const runtime = await startWorkerRuntime({ config, logger });
  // Prometheus needs an address to scrape a worker's counters (deliveries, latency, rate-limit waits).
  const closeMetrics = config.metricsPort
    ? serveWorkerMetrics(runtime.ctx, { port: config.metricsPort, host: config.host })
    : undefined;
  logger.info({ owner: runtime.worker.owner, metricsPort: config.metricsPort }, "delivery worker started");
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), 10_000).unref();
    await closeMetrics?.();
    await runtime.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown());
  process.on("SIGINT", () => void shutdown());
}

main().catch((error: unknown) => {
  console.error("Herald worker failed to start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
