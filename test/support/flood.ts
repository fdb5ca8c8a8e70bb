// Load for the fault suite's floods: HTTP from chosen loopback source addresses (Linux routes all of
// 127.0.0.0/8 to lo, so each sender can be its own client address), latency probes, and the
// resident memory of a process.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { fileURLToPath } from "node:url";
import { TYPESCRIPT } from "./processes.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PROBE_MAIN = fileURLToPath(new URL("./probe-main.ts", import.meta.url));

const agents = new Map<string, Agent>();

function agentFor(localAddress: string): Agent {
  let agent = agents.get(localAddress);
  if (!agent) {
    agent = new Agent({ keepAlive: true, maxSockets: 64 });
    agents.set(localAddress, agent);
  }
  return agent;
}

export function closeAgents(): void {
  for (const agent of agents.values()) agent.destroy();
  agents.clear();
}

export interface Answer {
  status: number;
  ms: number;
}

/** One request from `localAddress`; resolves with the status (0 when the connection failed) and time. */
export function send(
  baseUrl: string,
  options: {
    method?: string;
    path: string;
    localAddress: string;
    headers?: Record<string, string>;
    body?: string;
    timeoutMs?: number;
  },
): Promise<Answer> {
  const url = new URL(options.path, baseUrl);
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: options.method ?? "GET",
        localAddress: options.localAddress,
        agent: agentFor(options.localAddress),
        headers: {
          ...(options.body !== undefined
            ? { "content-type": "application/json", "content-length": Buffer.byteLength(options.body) }
            : {}),
          ...options.headers,
        },
        timeout: options.timeoutMs ?? 30_000,
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
        res.on("error", () => resolve({ status: 0, ms: performance.now() - started }));
      },
    );
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve({ status: 0, ms: performance.now() - started }));
    req.end(options.body);
  });
}

/** Runs `work` over and over on `workers` loops until `untilMs` (a performance.now() deadline). */
export async function loops(workers: number, untilMs: number, work: (worker: number) => Promise<unknown>) {
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      while (performance.now() < untilMs) await work(worker);
    }),
  );
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** Resident memory of a process in MB (Linux). */
export function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

export interface ProbeOptions {
  pid: number;
  localAddress: string;
  /** How often each route is probed; the same for both, so that a phase's p99 is a percentile. */
  everyMs?: number;
  session?: { token: string; path: string };
}

/** The probe's two requests: /healthz, and the session route when there is a session. */
function probeRequests(baseUrl: string, options: ProbeOptions) {
  const { session } = options;
  return {
    health: () => send(baseUrl, { path: "/healthz", localAddress: options.localAddress }),
    session: session
      ? () =>
          send(baseUrl, {
            path: session.path,
            localAddress: options.localAddress,
            headers: { authorization: `Bearer ${session.token}` },
          })
      : undefined,
  };
}

/**
 * Sends each probe request `times` times, unrecorded: a new process's first requests pay for its
 * own module loading, JIT and connection set-up, which is the probe's cost, not the server's.
 */
export async function warmUp(baseUrl: string, options: ProbeOptions, times: number): Promise<void> {
  const requests = probeRequests(baseUrl, options);
  for (let i = 0; i < times; i++) {
    await requests.health();
    await requests.session?.();
  }
}

/**
 * Probes /healthz and the session route every `everyMs` while a flood runs, recording latencies;
 * also samples the server's RSS. stop() returns what it saw.
 */
export function probe(baseUrl: string, options: ProbeOptions) {
  const requests = probeRequests(baseUrl, options);
  const intervalMs = options.everyMs ?? 50;
  const health: number[] = [];
  const session: number[] = [];
  const failures: string[] = [];
  let peakRss = rssMb(options.pid);
  let running = true;
  const tick = (everyMs: number, run: () => Promise<void>) =>
    (async () => {
      while (running) {
        const started = performance.now();
        await run();
        const rest = everyMs - (performance.now() - started);
        if (rest > 0) await new Promise((r) => setTimeout(r, rest));
      }
    })();
  const done = Promise.all([
    tick(intervalMs, async () => {
      const a = await requests.health();
      if (a.status !== 200) failures.push(`healthz ${a.status}`);
      health.push(a.ms);
    }),
    tick(intervalMs, async () => {
      if (!requests.session) return;
      const a = await requests.session();
      if (a.status !== 200) failures.push(`session ${a.status}`);
      session.push(a.ms);
    }),
    tick(250, async () => {
      peakRss = Math.max(peakRss, rssMb(options.pid));
    }),
  ]);
  return {
    async stop() {
      running = false;
      await done;
      return {
        healthP99: percentile(health, 99),
        healthP50: percentile(health, 50),
        sessionP99: percentile(session, 99),
        sessionP50: percentile(session, 50),
        probes: health.length + session.length,
        peakRssMb: peakRss,
        failures,
      };
    },
  };
}

export type ProbeFigures = Awaited<ReturnType<ReturnType<typeof probe>["stop"]>>;

/** probe() in a child process (support/probe-main.ts); stop() ends it and returns its figures. */
export function probeInProcess(baseUrl: string, options: ProbeOptions) {
  const child = spawn(
    process.execPath,
    [...TYPESCRIPT, PROBE_MAIN, JSON.stringify({ ...options, baseUrl })],
    {
      cwd: ROOT,
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  let output = "";
  let markReady = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  child.stdout.on("data", (d: Buffer) => {
    output += d.toString();
    if (output.includes("ready\n")) markReady();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    /** Resolves once the probe runs. */
    ready,
    async stop(): Promise<ProbeFigures> {
      child.stdin.end();
      await exited;
      return JSON.parse(output.trim().split("\n").at(-1) ?? "{}") as ProbeFigures;
    },
  };
}
