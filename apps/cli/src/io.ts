// Where commands write: results to stdout, progress and problems to stderr; what they may read from
// stdin. Injected so tests can read and feed them.
import { fstatSync } from "node:fs";

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is a terminal: progress redraws one line there, and prints milestones elsewhere. */
  readonly interactive: boolean;
  readonly env: Record<string, string | undefined>;
  /**
   * What was piped or redirected to stdin (a pipe, a socket, a file), or undefined when stdin is a
   * terminal or a device such as /dev/null, so that a command never waits on a person.
   */
  readPiped(): Promise<string | undefined>;
}

/** Piped text larger than this is refused rather than held: sendMessage takes 200,000 characters. */
export const MAX_PIPED_BYTES = 1024 * 1024;

async function readPipedStdin(): Promise<string | undefined> {
  let piped = false;
  try {
    const stat = fstatSync(0);
    piped = stat.isFIFO() || stat.isFile() || stat.isSocket();
  } catch {
    return undefined;
  }
  if (!piped || process.stdin.isTTY) return undefined;
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of process.stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    bytes += buffer.length;
    if (bytes > MAX_PIPED_BYTES) throw new CliError(`stdin: more than ${MAX_PIPED_BYTES} bytes`, 2);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export const processIo: Io = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  interactive: process.stderr.isTTY === true,
  env: process.env,
  readPiped: readPipedStdin,
};

/** A failure the user can act on: printed without a stack trace, with its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** Left-aligned columns, as `kubectl get` prints them. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  return `${[header, ...rows]
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n")}\n`;
}
