// The one way Herald opens its database: a PostgreSQL pool when DATABASE_URL is set, otherwise an
// embedded PGlite served on loopback through pglite-socket, so both run the same postgres.js code.
import type { AddressInfo } from "node:net";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import postgres from "postgres";
import { lockDataDir, makePrivate } from "./data-dir.ts";

export type Sql = postgres.Sql;
export type TransactionSql = postgres.TransactionSql;
/** Either the pool or a transaction: query modules accept both. */
export type Queryable = postgres.Sql | postgres.TransactionSql;

export interface DatabaseOptions {
  /** postgres://… ; when absent the embedded database is used. */
  databaseUrl?: string | undefined;
  /** Where the embedded database keeps its files. */
  dataDir?: string | undefined;
  /** Pool size for PostgreSQL (the embedded database always uses one connection). */
  maxConnections?: number | undefined;
  applicationName?: string | undefined;
}

export interface Database {
  readonly sql: Sql;
  /**
   * The pool for the worker's lease bookkeeping (claims, send reservations and their settlements,
   * releases): its commits do not wait for the WAL to reach the disk (synchronous_commit=off), which
   * on this class of disk is 3–5 ms per commit on a synchronous send's path. A database crash may
   * lose its last fraction of a second: a lease that lapses early, one attempt or send slot not
   * counted. Accepting a message and recording an outcome stay on `sql` and wait for the disk; a
   * later durable commit also makes every earlier one durable (the WAL is one sequence). The
   * embedded database has one connection, so it is `sql` itself.
   */
  readonly leaseSql: Sql;
  readonly engine: "postgres" | "embedded";
  /** The URL other processes (or tests) can connect to; for the embedded database, its loopback socket. */
  readonly url: string;
  close(): Promise<void>;
}

const commonOptions = {
  onnotice: () => {},
  transform: { ...postgres.camel, undefined: null },
  connection: { TimeZone: "UTC" },
} as const;

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const applicationName = options.applicationName ?? "herald";
    const max = options.maxConnections ?? 10;
    const sql = postgres(options.databaseUrl, {
      ...commonOptions,
      max,
      connection: { ...commonOptions.connection, application_name: applicationName },
    });
    const leaseSql = postgres(options.databaseUrl, {
      ...commonOptions,
      max: Math.min(max, 4),
      connection: {
        ...commonOptions.connection,
        application_name: `${applicationName}-leases`,
        synchronous_commit: "off",
      },
    });
    return {
      sql,
      leaseSql,
      engine: "postgres",
      url: options.databaseUrl,
      close: async () => {
        await Promise.all([sql.end({ timeout: 5 }), leaseSql.end({ timeout: 5 })]);
      },
    };
  }
  const embedded = await startEmbeddedServer(options.dataDir ?? "./.herald-data");
  const sql = connectEmbedded(embedded.url);
  return {
    sql,
    leaseSql: sql,
    engine: "embedded",
    url: embedded.url,
    async close() {
      await sql.end({ timeout: 5 });
      await embedded.stop();
    },
  };
}

/** postgres.js options for the embedded server: PGlite is single-connection, so exactly one. */
export function connectEmbedded(url: string): Sql {
  return postgres(url, { ...commonOptions, max: 1 });
}

/**
 * PostgreSQL settings for the embedded database, which lives inside Herald's process. The default
 * 128 MB of shared buffers made an idle Herald 336 MB resident; 32 MB keeps it near 220 MB, and a
 * single-node Herald's working set (the queue, recent messages, usage rows) fits with room to spare.
 */
const EMBEDDED_SETTINGS = ["-c", "shared_buffers=32MB"];

export interface EmbeddedServer {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts PGlite (persisted in dataDir, or in memory for "memory://") behind a loopback socket.
 * maxConnections is 1: concurrent transactions over PGlite's multiplexed socket fail with
 * `portal "" does not exist`; one connection serialises them correctly.
 */
export async function startEmbeddedServer(dataDir: string, port = 0): Promise<EmbeddedServer> {
  const memory = dataDir === "memory://";
  let unlock = () => {};
  if (!memory) {
    makePrivate(dataDir);
    unlock = lockDataDir(dataDir);
  }
  try {
    const db = await PGlite.create(memory ? undefined : `${dataDir}/pg`, {
      startParams: [...PGlite.defaultStartParams, ...EMBEDDED_SETTINGS],
    });
    // A new database is unpacked from PGlite's bundle with its files 0666 (the umask does not
    // apply to their explicit modes); files PostgreSQL creates later are 0600 under our umask.
    if (!memory) makePrivate(dataDir);
    const server = new PGLiteSocketServer({ db, port, host: "127.0.0.1", maxConnections: 1 });
    await server.start();
    const address = listeningAddress(server);
    return {
      url: `postgres://postgres@127.0.0.1:${address.port}/postgres`,
      async stop() {
        await server.stop();
        await db.close();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}

function listeningAddress(server: PGLiteSocketServer): AddressInfo {
  // pglite-socket does not expose the bound port; it is on its net.Server.
  const inner = (server as unknown as { server?: { address(): AddressInfo | string | null } }).server;
  const address = inner?.address();
  if (!address || typeof address === "string") throw new Error("embedded database did not start listening");
  return address;
}
