// A closed-loop HTTP load generator, run as its own process so that it never shares an event loop
// with the server it measures. Prints one JSON line: requests, errors, rps, latency percentiles.
// Usage: node --conditions=development --import tsx bench/load.ts '{"url": "...", "method": "POST", "headers": {...}, "body": "...",
//        "connections": 50, "durationMs": 5000, "warmupMs": 1000}'
// Request n takes `{{n}}` from its counter, `{{id}}` from ids[n % ids.length] and its headers from
// headerSets[n % headerSets.length] when given (many webhooks, many binding keys).
import { readFileSync } from "node:fs";
import { Pool } from "undici";

interface LoadSpec {
  url: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  /** Replaces {{n}} in body with a per-request counter (unique idempotency keys, texts). */
  template?: boolean;
  /** Replace {{id}} in body, one after another (webhook ids). */
  ids?: string[];
  /** Headers of request n, one after another (binding keys); added to `headers`. */
  headerSets?: Record<string, string>[];
  connections?: number;
  durationMs?: number;
  warmupMs?: number;
}

// "@file" reads the spec from a file (thousands of header sets do not fit in an argument).
const arg = process.argv[2] ?? "{}";
const spec = JSON.parse(arg.startsWith("@") ? readFileSync(arg.slice(1), "utf8") : arg) as LoadSpec;
const url = new URL(spec.url);
const connections = spec.connections ?? 50;
const pool = new Pool(url.origin, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
const latencies: number[] = [];
const statuses: Record<string, number> = {};
let counter = 0;
let errors = 0;

async function worker(until: number, record: boolean) {
  while (Date.now() < until) {
    const n = counter++;
    let body = spec.body;
    if (body !== undefined && spec.template) body = body.replaceAll("{{n}}", String(n));
    if (body !== undefined && spec.ids) body = body.replaceAll("{{id}}", spec.ids[n % spec.ids.length] ?? "");
    const headers = spec.headerSets
      ? { ...spec.headers, ...spec.headerSets[n % spec.headerSets.length] }
      : spec.headers;
    const started = performance.now();
    try {
      const res = await pool.request({
        path: url.pathname + url.search,
        method: spec.method ?? "POST",
        headers,
        body,
      });
      await res.body.dump();
      if (record) {
        latencies.push(performance.now() - started);
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
      }
    } catch {
      if (record) errors++;
    }
  }
}

const warmupEnd = Date.now() + (spec.warmupMs ?? 1000);
await Promise.all(Array.from({ length: connections }, () => worker(warmupEnd, false)));
const started = Date.now();
const end = started + (spec.durationMs ?? 5000);
await Promise.all(Array.from({ length: connections }, () => worker(end, true)));
const elapsed = (Date.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  Number(
    (latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0).toFixed(2),
  );
console.log(
  JSON.stringify({
    requests: latencies.length,
    errors,
    statuses,
    rps: Math.round(latencies.length / elapsed),
    p50: pct(50),
    p99: pct(99),
    max: pct(100),
  }),
);
await pool.close();
