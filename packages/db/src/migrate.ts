// Applies db/migrations/*.sql in order, once each, recorded in herald_migrations. Two processes
// starting together serialise on an advisory lock, so each file runs exactly once.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Sql } from "./client.ts";

// db/migrations at the repository's root, found from this package's package.json rather than from
// this file's URL: the api's server bundle (scripts/build.mjs) runs this code from apps/api/dist.
export const MIGRATIONS_DIR = join(
  dirname(createRequire(import.meta.url).resolve("@herald/db/package.json")),
  "../../db/migrations",
);
const LOCK_ID = 7_220_431_001;

export interface Migration {
  readonly version: string;
  readonly sql: string;
  readonly checksum: string;
}

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((name) => /^\d{4}_[\w-]+\.sql$/.test(name))
    .sort()
    .map((name) => {
      const text = readFileSync(join(dir, name), "utf8");
      return {
        version: name.replace(/\.sql$/, ""),
        sql: text,
        checksum: createHash("sha256").update(text).digest("hex"),
      };
    });
}

export async function migrate(sql: Sql, dir = MIGRATIONS_DIR): Promise<string[]> {
  const migrations = loadMigrations(dir);
  return sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${LOCK_ID})`;
    await tx`CREATE TABLE IF NOT EXISTS herald_migrations (
      version text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`;
    const rows = await tx<
      { version: string; checksum: string }[]
    >`SELECT version, checksum FROM herald_migrations`;
    const applied = new Map(rows.map((row) => [row.version, row.checksum]));
    const ran: string[] = [];
    for (const migration of migrations) {
      const checksum = applied.get(migration.version);
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) {
          throw new Error(
            `migration ${migration.version} was changed after it was applied; add a new migration instead`,
          );
        }
        continue;
      }
      await tx.unsafe(migration.sql);
      await tx`INSERT INTO herald_migrations (version, checksum) VALUES (${migration.version}, ${migration.checksum})`;
      ran.push(migration.version);
    }
    return ran;
  });
}

/** True when every migration on disk is applied: what /readyz reports. */
export async function migrationsApplied(sql: Sql, dir = MIGRATIONS_DIR): Promise<boolean> {
  const [row] = await sql<
    { exists: boolean }[]
  >`SELECT to_regclass('herald_migrations') IS NOT NULL AS exists`;
  if (!row?.exists) return false;
  const rows = await sql<{ version: string }[]>`SELECT version FROM herald_migrations`;
  const applied = new Set(rows.map((r) => r.version));
  return loadMigrations(dir).every((m) => applied.has(m.version));
}
