// Where commands write: results to stdout, progress and problems to stderr. Injected so tests can read them.
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is a terminal: progress redraws one line there, and prints milestones elsewhere. */
  readonly interactive: boolean;
  readonly env: Record<string, string | undefined>;
}

export const processIo: Io = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  interactive: process.stderr.isTTY === true,
  env: process.env,
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
