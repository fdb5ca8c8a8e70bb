// Runs the `herald` command as a user would (bin/herald.js in a child process) and collects its output.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { TYPESCRIPT } from "./processes.ts";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = fileURLToPath(new URL("../../apps/cli/bin/herald.js", import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runHerald(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 60_000,
  input?: string,
): Promise<CliResult> {
  // A clean environment: nothing of the developer's shell (DATABASE_URL, HERALD_*) leaks in.
  return runProcess(process.execPath, [...TYPESCRIPT, BIN, ...args], {
    env: { HOME: process.env.HOME ?? "", HERALD_LOG_LEVEL: "warn", ...env },
    timeoutMs,
    ...(input === undefined ? {} : { input }),
  });
}

/**
 * Runs a command from the repository root with only PATH and `env` in its environment, and
 * collects its exit code and output; rejects if it runs longer than `timeoutMs`.
 */
export function runProcess(
  command: string,
  args: string[],
  {
    env = {},
    timeoutMs = 60_000,
    input,
  }: { env?: Record<string, string>; timeoutMs?: number; input?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", ...env },
      // With input, stdin is a pipe that ends after it, as in `echo text | command`; without, /dev/null.
      stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    }) as ChildProcessWithoutNullStreams;
    if (input !== undefined) {
      // A command may exit without reading its stdin; that is its answer, not a test failure.
      child.stdin.on("error", () => {});
      child.stdin.end(input);
    }
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new Error(`${[command, ...args].join(" ")} did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`),
      );
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
