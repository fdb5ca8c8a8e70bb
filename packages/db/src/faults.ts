// What a database error means for the caller: the database is out of reach (retry shortly), it has
// run out of disk space (nothing can be stored until an operator frees some), or neither.
// postgres.js raises connection faults with its own codes; PostgreSQL answers with SQLSTATEs.
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

/** Where the database keeps its files, for the operator's sentence. */
export interface DiskFullTarget {
  readonly logger: { error(details: object, message: string): void };
  readonly engine: "postgres" | "embedded";
  readonly dataDir: string;
}

/**
 * The one line an operator reads in the log when the disk is full: what stopped, where to free
 * space, and that Herald resumes by itself. At most once per `everyMs`, so a full disk does not
 * also flood the log volume.
 */
export class DiskFullReporter {
  private lastMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly target: DiskFullTarget,
    private readonly everyMs = 30_000,
  ) {}

  report(error: unknown, nowMs: number): void {
    if (nowMs - this.lastMs < this.everyMs) return;
    this.lastMs = nowMs;
    const where =
      this.target.engine === "embedded"
        ? `the embedded database in ${this.target.dataDir}`
        : "the PostgreSQL server's data volume";
    this.target.logger.error(
      { err: error, fault: "disk_full" },
      `The database is out of disk space (${where}): new messages and changes are refused with 503 storage_full ` +
        "and queued messages wait; nothing already stored is lost. Free disk space there; Herald resumes on its own.",
    );
  }
}
