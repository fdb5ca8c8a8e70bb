// The embedded database's directory: one process at a time (PGlite has no lock of its own, and a
// second process on the same files serves stale data and loses writes), readable only by its owner.
import {
  chmodSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";

export const LOCK_FILE = "herald.lock";

interface LockHolder {
  pid: number;
  hostname: string;
  since: string;
}

export class DataDirLocked extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by Herald process ${holder.pid} on ${holder.hostname} (since ${holder.since}). ` +
        "One process at a time may open it: stop that process first, give this one another HERALD_DATA_DIR, " +
        "or run several processes on PostgreSQL (DATABASE_URL).",
    );
    this.name = "DataDirLocked";
  }
}

function readHolder(path: string): LockHolder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<LockHolder>;
    if (typeof parsed.pid !== "number") return undefined;
    return { pid: parsed.pid, hostname: parsed.hostname ?? "?", since: parsed.since ?? "?" };
  } catch {
    return undefined;
  }
}

function alive(holder: LockHolder): boolean {
  // A lock written on another host (a shared volume) cannot be checked from here: assume it is held.
  if (holder.hostname !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes the data directory for this process, or throws DataDirLocked naming the live holder. A
 * lock left by a process that died is taken over. Creation is atomic (a hard link of a complete
 * file), so two processes starting together cannot both win. Returns the release function.
 */
export function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, LOCK_FILE);
  const mine: LockHolder = { pid: process.pid, hostname: hostname(), since: new Date().toISOString() };
  const draft = `${path}.${process.pid}`;
  writeFileSync(draft, `${JSON.stringify(mine)}\n`, { mode: 0o600 });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(draft, path);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        const holder = readHolder(path);
        if (holder && (alive(holder) || attempt > 0)) throw new DataDirLocked(dataDir, holder);
        // The holder is gone (or the file is unreadable): take the lock over, once.
        unlinkSync(path);
      }
    }
  } finally {
    unlinkSync(draft);
  }
  return () => {
    if (readHolder(path)?.pid === process.pid) unlinkSync(path);
  };
}

/**
 * The directory 0700 and everything in it 0600 (directories 0700), whatever the umask; and a
 * umask for this process so that files the database creates later are private too.
 */
export function makePrivate(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    process.umask(0o077);
  } catch {
    // Worker threads cannot set the umask; the chmod below still covers what exists.
  }
  const walk = (dir: string) => {
    chmodSync(dir, 0o700);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && (statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
    }
  };
  walk(dataDir);
}
