// Opening Herald's configuration and database from a command, with the same rules as `npm start`.
// Herald's packages are imported when a command runs, not when the program is built: `--help` stays fast.
import type { Config, HeraldRuntime } from "@herald/api";
import type { Database } from "@herald/db";
import { CliError, type Io } from "./io.ts";

export async function configFrom(io: Io): Promise<Config> {
  const { ConfigError, loadConfig } = await import("@herald/api");
  try {
    return loadConfig(io.env);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message);
    throw error;
  }
}

/**
 * The embedded database belongs to one process at a time: while a Herald server runs on the data
 * directory, a command that opened it too would write changes the server never sees (and a restart
 * loses). So the command refuses, naming the process, and says how to make the change instead.
 */
async function refusingWhileLocked<T>(open: () => Promise<T>): Promise<T> {
  const { DataDirLocked } = await import("@herald/db");
  try {
    return await open();
  } catch (error) {
    if (error instanceof DataDirLocked) {
      throw new CliError(
        `${error.message}\nWhile Herald runs, make changes through it: the console, or the operator API ` +
          "(/admin/v1/…, enabled by HERALD_ADMIN_TOKEN). Or stop it and run this command again.",
      );
    }
    throw error;
  }
}

/**
 * The database alone (migrated, unless told otherwise). With the embedded default this opens the
 * data directory itself: stop a Herald that runs on it first (one process at a time may own it).
 */
export async function withDatabase<T>(
  io: Io,
  run: (db: Database, config: Config) => Promise<T>,
  options: { migrate?: boolean } = {},
): Promise<T> {
  const config = await configFrom(io);
  const { migrate, openDatabase } = await import("@herald/db");
  const db = await refusingWhileLocked(() =>
    openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, maxConnections: 1 }),
  );
  try {
    if (options.migrate ?? true) await migrate(db.sql);
    return await run(db, config);
  } finally {
    await db.close();
  }
}

/** A Herald without a worker, for commands that call its services. */
export async function withRuntime<T>(io: Io, run: (runtime: HeraldRuntime) => Promise<T>): Promise<T> {
  const config = await configFrom(io);
  const { createLogger, startRuntime } = await import("@herald/api");
  const runtime = await refusingWhileLocked(() =>
    startRuntime({
      config: { ...config, databasePoolSize: 1 },
      // Failures surface as exceptions; log lines would mix with the command's output on stdout.
      logger: createLogger({ logLevel: "silent" }),
      worker: false,
    }),
  );
  try {
    return await run(runtime);
  } finally {
    await runtime.close();
  }
}
