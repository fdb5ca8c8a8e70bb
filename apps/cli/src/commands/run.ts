// serve, worker and teams-sim run the repository's own entry points, so `herald serve` is exactly
// `npm start` (same configuration, same shutdown), with a few flags that set the environment for you.
import type { Command } from "commander";
import type { Io } from "../io.ts";

// Package specifiers, so each resolves like any import: to compiled JavaScript, or to the
// TypeScript sources under the "development" condition.
export const ENTRIES = {
  serve: "@herald/api/main",
  worker: "@herald/worker/main",
  teamsSim: "@herald/teams-sim/main",
} as const;

async function run(entry: string): Promise<void> {
  await import(entry);
  // The entry keeps the process alive (its server) and exits on SIGTERM/SIGINT by itself.
  await new Promise<never>(() => {});
}

export function registerRunCommands(program: Command, io: Io): void {
  program
    .command("serve")
    .description("run the api (and, unless --no-worker, the delivery worker in-process): `npm start`")
    .option("-p, --port <port>", "HTTP port (PORT)")
    .option(
      "--no-worker",
      "run without a delivery worker (HERALD_WORKER=off); start `herald worker`s instead",
    )
    .action(async (options: { port?: string; worker: boolean }) => {
      if (options.port) io.env.PORT = options.port;
      if (!options.worker) io.env.HERALD_WORKER = "off";
      await run(ENTRIES.serve);
    });

  program
    .command("worker")
    .description("run a delivery worker on its own (needs DATABASE_URL): `npm run worker`")
    .option("--metrics-port <port>", "serve /metrics and /healthz on this port (HERALD_METRICS_PORT)")
    .action(async (options: { metricsPort?: string }) => {
      if (options.metricsPort) io.env.HERALD_METRICS_PORT = options.metricsPort;
      await run(ENTRIES.worker);
    });

  program
    .command("teams-sim")
    .description("run the local Microsoft Teams emulator: `npm run teams-sim`")
    .option("-p, --port <port>", "port (default 4010)")
    .action(async (options: { port?: string }) => {
      if (options.port) io.env.PORT = options.port;
      await run(ENTRIES.teamsSim);
    });
}
