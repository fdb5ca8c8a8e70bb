// A database of its own for a test that must change every row (key rotation): an in-memory PGlite
// for the embedded engine, a freshly created database on the PostgreSQL server otherwise.
import { randomBytes } from "node:crypto";
import { connectEmbedded, type Database, migrate, openDatabase, startEmbeddedServer } from "@herald/db";
import postgres from "postgres";
import { inject } from "vitest";

export interface ScratchDatabase {
  url: string;
  engine: "postgres" | "embedded";
  /** A connection for a runtime (close it before another process connects to an embedded one). */
  connect(): Promise<Database>;
  drop(): Promise<void>;
}

export async function scratchDatabase(): Promise<ScratchDatabase> {
  if (inject("engine") === "embedded") {
    const server = await startEmbeddedServer("memory://");
    const sql = connectEmbedded(server.url);
    await migrate(sql);
    await sql.end();
    return {
      url: server.url,
      engine: "embedded",
      async connect() {
        const s = connectEmbedded(server.url);
        return {
          sql: s,
          leaseSql: s,
          engine: "embedded",
          url: server.url,
          close: () => s.end({ timeout: 5 }),
        };
      },
      drop: () => server.stop(),
    };
  }
  const base = new URL(inject("databaseUrl"));
  const name = `herald_scratch_${randomBytes(4).toString("hex")}`;
  const admin = postgres(base.href, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(base.href);
  url.pathname = `/${name}`;
  const setup = await openDatabase({ databaseUrl: url.href, maxConnections: 1 });
  await migrate(setup.sql);
  await setup.close();
  return {
    url: url.href,
    engine: "postgres",
    connect: () => openDatabase({ databaseUrl: url.href, maxConnections: 4 }),
    async drop() {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
