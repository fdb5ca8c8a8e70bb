import type { Command } from "commander";
import type { Io } from "../io.ts";
import { withDatabase } from "../runtime.ts";

/**
 * Applies db/migrations once, under an advisory lock. Every Herald process also migrates at start;
 * running this first (a one-shot job before a rollout) keeps replicas from queueing on the lock.
 */
export function registerMigrate(program: Command, io: Io): void {
  program
    .command("migrate")
    .description("apply pending database migrations (DATABASE_URL, or the embedded database) and exit")
    .action(async () => {
      const { loadMigrations, migrate } = await import("@herald/db");
      const total = loadMigrations().length;
      await withDatabase(
        io,
        async (db, config) => {
          const where = config.databaseUrl ? "PostgreSQL" : `the embedded database in ${config.dataDir}`;
          io.err(`Migrating ${where} (${total} migration files)…\n`);
          const ran = await migrate(db.sql);
          for (const version of ran) io.out(`applied ${version}\n`);
          io.out(
            ran.length > 0
              ? `Applied ${ran.length} migration(s); the database is up to date.\n`
              : `Nothing to apply: all ${total} migrations were applied before.\n`,
          );
        },
        { migrate: false },
      );
    });
}
