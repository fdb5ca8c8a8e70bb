// Starts Herald delivery workers as separate processes (the `npm run worker` entry), for tests
// about several replicas and crashes. They need a shared PostgreSQL.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { TEST_SECRET } from "./harness.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Node arguments that run Herald's TypeScript sources (the packages' "development" export condition). */
export const TYPESCRIPT = ["--conditions=development", "--import", "tsx"];

export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

export function startWorkerProcess(env: Record<string, string>): WorkerProcess {
  let output = "";
  const child = spawn(process.execPath, [...TYPESCRIPT, "apps/worker/src/main.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      HERALD_SECRET: TEST_SECRET,
      HERALD_WEBHOOK_HOSTS: "127.0.0.1:*",
      HERALD_LOG_LEVEL: "warn",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  return {
    child,
    output: () => output,
    kill(signal) {
      return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once("exit", (code) => resolve(code));
        child.kill(signal);
      });
    },
  };
}

export interface ApiProcess extends WorkerProcess {
  baseUrl: string;
}

/**
 * Starts `npm start`'s entry as a process on a random port and waits until it listens: the
 * TypeScript sources, or with `compiled` the JavaScript `npm start` runs (built beforehand).
 */
export async function startApiProcess(
  env: Record<string, string>,
  { compiled = false }: { compiled?: boolean } = {},
): Promise<ApiProcess> {
  let output = "";
  // The suite's DATABASE_URL is not inherited: a test that wants PostgreSQL passes it in `env`.
  const { DATABASE_URL: _inherited, ...inherited } = process.env;
  // The compiled entry runs with `npm start`'s V8 flags, so its memory is what production sees.
  const entry = compiled
    ? ["--liftoff-only", "--max-semi-space-size=8", "apps/api/dist/main.js"]
    : [...TYPESCRIPT, "apps/api/src/main.ts"];
  const child = spawn(process.execPath, entry, {
    cwd: ROOT,
    env: {
      ...inherited,
      PORT: "0",
      HOST: "127.0.0.1",
      HERALD_WEBHOOK_HOSTS: "127.0.0.1:*",
      HERALD_LOG_LEVEL: "info",
      HERALD_ADMIN_TOKEN: "admin-token-for-tests-0123456789",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`api did not start:\n${output}`)), 60_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      const match = /"port":(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (d: Buffer) => {
      output += d.toString();
    });
    child.once("exit", (code) => reject(new Error(`api exited with ${code}:\n${output}`)));
  });
  return {
    child,
    baseUrl: `http://127.0.0.1:${port}`,
    output: () => output,
    kill(signal) {
      return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        // "close" rather than "exit": by then all of its output has been read.
        child.once("close", (code) => resolve(code));
        child.kill(signal);
      });
    },
  };
}
