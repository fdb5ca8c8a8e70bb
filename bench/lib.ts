// Shared pieces of the benchmarks: child processes, the load generator, Herald started as its own
// process, its kernel-reported CPU and memory, a clean benchmark database and a tenant to load.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Herald } from "@herald/sdk";
import postgres from "postgres";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
const { BENCH_DATABASE_URL, BENCH_SECONDS } = process.env;
export const DB_URL = BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/herald_bench";
export const SECONDS = Number(BENCH_SECONDS ?? 6);
export const ADMIN = "bench-admin-token-0123456789abcdef";
export const SECRET = "bench-secret-0123456789abcdef0123456789abcdef";

export interface LoadResult {
  requests: number;
  errors: number;
  statuses: Record<string, number>;
  rps: number;
  p50: number;
  p99: number;
  max: number;
}

/** A bench script (TypeScript, through tsx). */
export function node(
  args: string[],
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): ChildProcess {
  return compiled([...nodeArgs, "--conditions=development", "--import", "tsx", ...args], env);
}

/**
 * Herald's own processes run what production runs: the JavaScript `npm run build` compiles
 * (`npm run bench` builds first), e.g. `compiled(["apps/api/dist/main.js"])`.
 */
export function compiled(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export function firstJsonLine<T>(child: ChildProcess, match: RegExp, timeoutMs = 90_000): Promise<T> {
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(
      () =>
        reject(
          new Error(
            `timed out waiting for ${match} from ${child.spawnargs.slice(3).join(" ").slice(0, 120)}:\n${out}`,
          ),
        ),
      timeoutMs,
    );
    let done = false;
    // Stays attached after the match, so a chatty child never blocks on a full pipe.
    const onData = (d: Buffer) => {
      if (done) return;
      out += d.toString();
      for (const line of out.split("\n")) {
        if (match.test(line)) {
          clearTimeout(timer);
          done = true;
          resolve(JSON.parse(line.slice(line.indexOf("{"))) as T);
          return;
        }
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (d: Buffer) => {
      if (!done) out += d.toString();
    });
    child.once("exit", (code) => {
      if (!done) reject(new Error(`exited ${code}:\n${out}`));
    });
  });
}

export async function load(spec: Record<string, unknown>): Promise<LoadResult> {
  const file = join(mkdtempSync(join(tmpdir(), "herald-load-")), "spec.json");
  writeFileSync(
    file,
    JSON.stringify({ durationMs: SECONDS * 1000, warmupMs: 1500, connections: 50, ...spec }),
  );
  const child = node(["bench/load.ts", `@${file}`]);
  try {
    return await firstJsonLine<LoadResult>(child, /"rps"/, (SECONDS + 60) * 1000);
  } finally {
    rmSync(dirname(file), { recursive: true, force: true });
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === "object" && address ? address.port : 0;
}

/** The node command line of a root package.json script (`npm start`), so the bench runs exactly that. */
export function scriptArgs(script: "start" | "worker"): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  const [command, ...args] = (pkg.scripts[script] ?? "").split(" ");
  if (command !== "node") throw new Error(`npm run ${script} is not a plain node command`);
  return args;
}

/** Herald's api as `npm start` runs it, as its own process; `nodeArgs` such as --cpu-prof go to node. */
export async function startHerald(env: Record<string, string>, nodeArgs: string[] = []) {
  const port = await freePort();
  const started = performance.now();
  const child = compiled([...nodeArgs, ...scriptArgs("start")], {
    PORT: String(port),
    HOST: "127.0.0.1",
    HERALD_SECRET: SECRET,
    HERALD_ADMIN_TOKEN: ADMIN,
    HERALD_WEBHOOK_HOSTS: "127.0.0.1:*",
    HERALD_LOG_LEVEL: "warn",
    ...env,
  });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => {
    output = (output + d.toString()).slice(-4000);
  });
  child.stderr?.on("data", (d: Buffer) => {
    output = (output + d.toString()).slice(-4000);
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    const ready = await fetch(`${baseUrl}/readyz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ready) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`Herald did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return {
    child,
    baseUrl,
    /** From spawning the process to its first ready answer. */
    readyMs: Math.round(performance.now() - started),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** Kernel-reported peak resident set size (VmHWM) and CPU ticks of a process. */
export function procStats(pid: number) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  const ticks = Number(stat[11] ?? 0) + Number(stat[12] ?? 0); // utime + stime
  return { peakRssMb: Math.round(hwm), cpuTicks: ticks };
}

export async function resetDatabase() {
  const target = new URL(DB_URL);
  const name = target.pathname.slice(1);
  const admin = postgres({
    host: target.hostname,
    port: Number(target.port || 5432),
    username: "postgres",
    database: "postgres",
    max: 1,
    onnotice: () => {},
  });
  const [exists] = await admin`SELECT 1 AS one FROM pg_database WHERE datname = ${name}`;
  if (!exists) await admin.unsafe(`CREATE DATABASE "${name}"`);
  await admin.end();
  const sql = postgres(DB_URL, { max: 1, onnotice: () => {} });
  await sql.unsafe("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;");
  await sql.end();
}

export async function tenant(baseUrl: string, webhookUrls: string[]) {
  const consoleClient = new Herald({ baseUrl });
  const { tenantId, instanceId } = await consoleClient.signup({
    email: `bench-${Date.now()}-${Math.random()}@example.com`,
    password: "bench password 123",
    organization: "Bench",
  });
  const res = await fetch(`${baseUrl}/admin/v1/tenants/${tenantId}/plan`, {
    method: "PUT",
    headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
    body: JSON.stringify({ plan: "unlimited" }),
  });
  if (res.status !== 204) throw new Error(`plan: ${res.status}`);
  const key = await consoleClient.createBindingKey(instanceId, "bench");
  const webhookIds: string[] = [];
  for (let i = 0; i < webhookUrls.length; i += 50) {
    const chunk = webhookUrls.slice(i, i + 50);
    const created = await Promise.all(
      chunk.map((url, j) => consoleClient.createWebhook(instanceId, { name: `ch ${i + j}`, url })),
    );
    webhookIds.push(...created.map((w) => w.webhookId));
  }
  return { tenantId, licenseKey: key.licenseKey, licenseSecret: key.licenseSecret, webhookIds };
}

export const TICKS_PER_SECOND = 100;

/** CPU ticks (user + system) of every PostgreSQL server process on this machine. */
export function postgresTicks(): number {
  let ticks = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (!readFileSync(`/proc/${pid}/comm`, "utf8").startsWith("postgres")) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
      ticks += Number(stat[11] ?? 0) + Number(stat[12] ?? 0);
    } catch {
      // the process ended between the listing and the read
    }
  }
  return ticks;
}
