// What `npm start` runs once main.ts has turned on the compile cache: the api, with the delivery
// worker in-process unless HERALD_WORKER=off.
import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import { loadConfigOrExit } from "./config.ts";
import { serveWorkerMetrics } from "./routes/metrics.ts";
import { createLogger } from "./runtime.ts";
import { limitConnections, type ServerLimits, serverOptions } from "./server-limits.ts";
import { startRuntime } from "./start.ts";

async function main() {
  const config = loadConfigOrExit();
  const logger = createLogger(config);
  const runtime = await startRuntime({ config, logger });
  const limits: ServerLimits = {
    headersTimeoutMs: config.headersTimeoutMs,
    requestTimeoutMs: config.requestTimeoutMs,
    // Behind a trusted proxy every connection comes from the proxy: capping it would cap everyone.
    maxConnectionsPerAddress: config.trustProxyHops > 0 ? 0 : config.maxConnectionsPerAddress,
  };
  const closeMetrics = config.metricsPort
    ? serveWorkerMetrics(runtime.ctx, { port: config.metricsPort, host: config.host })
    : undefined;
  const server = serve(
    {
      fetch: runtime.app.fetch,
      port: config.port,
      hostname: config.host,
      serverOptions: serverOptions(limits),
    },
    (info) => {
      logger.info(
        { port: info.port, database: runtime.db.engine, worker: runtime.worker ? "in-process" : "off" },
        `Herald listening on http://localhost:${info.port} (console: /console, API docs: /docs)`,
      );
    },
  );
  limitConnections(server as Server, limits);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: no new requests, finishing in-flight sends");
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await closeMetrics?.();
    await runtime.close();
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  console.error("Herald failed to start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
