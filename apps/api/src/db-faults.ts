// What a database error means for the caller: the database is out of reach (retry shortly), it has
// run out of disk space (nothing can be stored until an operator frees some), or neither.
// postgres.js raises connection faults with its own codes; PostgreSQL answers with SQLSTATEs.
import type { AppContext } from "./context.ts";

const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "57P01", // admin_shutdown
  "57P03", // cannot_connect_now
]);

/** SQLSTATE 53100 disk_full ("could not extend file ...: No space left on device"). */
const DISK_FULL = "53100";

export type DatabaseFault = "unreachable" | "disk_full";

export function databaseFault(error: unknown): DatabaseFault | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return undefined;
  if (code === DISK_FULL) return "disk_full";
  return UNREACHABLE.has(code) ? "unreachable" : undefined;
}

const lastReported = new WeakMap<object, number>();

/**
 * The one line an operator reads in the log when the disk is full: what stopped, where to free
 * space, and that Herald resumes by itself. At most once per `everyMs` per runtime, so a full
 * disk does not also flood the log volume.
 */
export function reportDiskFull(
  ctx: Pick<AppContext, "logger" | "engine" | "config">,
  error: unknown,
  everyMs = 30_000,
): void {
  const now = Date.now();
  if (now - (lastReported.get(ctx) ?? Number.NEGATIVE_INFINITY) < everyMs) return;
  lastReported.set(ctx, now);
  const where =
    ctx.engine === "embedded"
      ? `the embedded database in ${ctx.config.dataDir}`
      : "the PostgreSQL server's data volume";
  ctx.logger.error(
    { err: error, fault: "disk_full" },
    `The database is out of disk space (${where}): new messages and changes are refused with 503 storage_full ` +
      "and queued messages wait; nothing already stored is lost. Free disk space there; Herald resumes on its own.",
  );
}
