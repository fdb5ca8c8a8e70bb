// Benchmark: GET /v1/usage for a tenant with 1,000,000 stored messages (issue #4: p99 under 50 ms).
//
//   node --conditions=development --import tsx bench/usage.ts
//
// Uses its own PostgreSQL database, BENCH_DATABASE_URL (default
// postgres://postgres@127.0.0.1:5432/herald_bench), which it creates if missing and whose public
// schema it DROPS and recreates on every run. BENCH_MESSAGES (default 1000000) and BENCH_REQUESTS
// (default 500) size the run. Not part of `npm test`.
import { loadConfig, startRuntime } from "@herald/api";
import pino from "pino";
import postgres from "postgres";

// A script run by hand, not a Turborepo task: its variables are read once here.
const { BENCH_DATABASE_URL, BENCH_MESSAGES, BENCH_REQUESTS } = process.env;
const url = BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/herald_bench";
const MESSAGES = Number(BENCH_MESSAGES ?? 1_000_000);
const REQUESTS = Number(BENCH_REQUESTS ?? 500);
const DAYS = 400; // spread over more than a year, so total, this month and last month all have data

async function resetDatabase(): Promise<void> {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  const admin = postgres({ ...connectionOf(target), database: "postgres", max: 1, onnotice: () => {} });
  const [exists] = await admin`SELECT 1 AS one FROM pg_database WHERE datname = ${name}`;
  if (!exists) await admin.unsafe(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  await admin.end();
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  await sql.unsafe("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;");
  await sql.end();
}

function connectionOf(target: URL) {
  return {
    host: target.hostname,
    port: Number(target.port || 5432),
    username: decodeURIComponent(target.username || "postgres"),
    password: decodeURIComponent(target.password),
  };
}

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

async function main(): Promise<void> {
  console.log(`database ${url.replace(/\/\/[^@]*@/, "//")}: resetting`);
  await resetDatabase();
  const config = loadConfig({
    DATABASE_URL: url,
    HERALD_SECRET: "bench-secret-0123456789abcdef0123456789abcdef",
    HERALD_WEBHOOK_HOSTS: "127.0.0.1:*",
    HERALD_LOG_LEVEL: "silent",
    HERALD_WORKER: "off",
  });
  const runtime = await startRuntime({ config, logger: pino({ level: "silent" }), worker: false });
  const { sql } = runtime.ctx;
  const call = async (method: string, path: string, token?: string, body?: unknown) => {
    const res = await runtime.app.fetch(
      new Request(`http://herald.bench${path}`, {
        method,
        headers: {
          "content-type": "application/json",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };

  try {
    const signup = await call("POST", "/v1/auth/signup", undefined, {
      email: "bench@example.com",
      password: "correct horse battery",
      organization: "Bench Org",
    });
    const token = String(signup.token);
    const tenantId = String(signup.tenantId);
    const instanceId = String(signup.instanceId);
    await sql`UPDATE tenants SET plan = 'unlimited', trial_ends_at = NULL WHERE id = ${tenantId}`;
    const webhook = await call("POST", `/v1/instances/${instanceId}/webhooks`, token, {
      name: "Bench",
      url: "http://127.0.0.1:9/webhookb2/bench",
    });
    const webhookId = String(webhook.webhookId);

    // Messages: 1 in 50 failed, the rest delivered, spread over DAYS days up to now.
    let started = performance.now();
    await sql`
      INSERT INTO messages (id, tenant_id, instance_id, webhook_id, channel_id, status, payload, payload_bytes,
                            status_message, attempts, created_at, last_attempt_at, finished_at)
      SELECT 'msg_bench_' || g, ${tenantId}, ${instanceId}, w.id, w.channel_id,
             CASE WHEN g % 50 = 0 THEN 'failed' ELSE 'delivered' END,
             '{"text":"benchmark message"}', 28,
             CASE WHEN g % 50 = 0 THEN 'Teams refused it.' ELSE 'Delivered.' END, 1, t.at, t.at, t.at
      FROM generate_series(1, ${MESSAGES}::int) AS g
      CROSS JOIN (SELECT id, channel_id FROM webhooks WHERE id = ${webhookId}) AS w
      CROSS JOIN LATERAL (SELECT now() - ((g % ${DAYS}) * interval '1 day') - ((g % 86400) * interval '1 second') AS at) AS t`;
    const insertSeconds = (performance.now() - started) / 1000;

    // The counters the write path would have kept for those messages.
    started = performance.now();
    await sql`
      INSERT INTO usage_daily (tenant_id, instance_id, day, messages_accepted, messages_sent, messages_failed)
      SELECT tenant_id, instance_id, (created_at AT TIME ZONE 'UTC')::date, count(*),
             count(*) FILTER (WHERE status = 'delivered'), count(*) FILTER (WHERE status = 'failed')
      FROM messages WHERE tenant_id = ${tenantId}
      GROUP BY tenant_id, instance_id, (created_at AT TIME ZONE 'UTC')::date
      ON CONFLICT (tenant_id, instance_id, day) DO UPDATE SET
        messages_accepted = usage_daily.messages_accepted + EXCLUDED.messages_accepted,
        messages_sent = EXCLUDED.messages_sent, messages_failed = EXCLUDED.messages_failed`;
    await sql`
      INSERT INTO usage_monthly (tenant_id, month, messages)
      SELECT tenant_id, date_trunc('month', created_at AT TIME ZONE 'UTC')::date, count(*)
      FROM messages WHERE tenant_id = ${tenantId} GROUP BY 1, 2
      ON CONFLICT (tenant_id, month) DO UPDATE SET messages = EXCLUDED.messages`;
    // A steady-state database is not vacuuming a table that was just loaded: do it now, not while measuring.
    await sql`VACUUM ANALYZE`;
    const counterSeconds = (performance.now() - started) / 1000;
    const [stored] = await sql<
      { n: number }[]
    >`SELECT count(*)::int AS n FROM messages WHERE tenant_id = ${tenantId}`;
    console.log(
      `seeded ${stored?.n} messages in ${insertSeconds.toFixed(1)} s, counters in ${counterSeconds.toFixed(1)} s`,
    );

    for (const path of ["/v1/usage", "/v1/usage?series=daily", `/v1/usage?instanceId=${instanceId}`]) {
      for (let i = 0; i < 50; i++) await call("GET", path, token); // warm-up: JIT, plans, pool
      const samples: number[] = [];
      let last: Record<string, unknown> = {};
      for (let i = 0; i < REQUESTS; i++) {
        const t0 = performance.now();
        last = await call("GET", path, token);
        samples.push(performance.now() - t0);
      }
      samples.sort((a, b) => a - b);
      const total = last.total as { messagesSent: number; messagesFailed: number };
      console.log(
        `GET ${path.padEnd(32)} n=${REQUESTS} p50=${percentile(samples, 50).toFixed(2)} ms ` +
          `p95=${percentile(samples, 95).toFixed(2)} ms p99=${percentile(samples, 99).toFixed(2)} ms ` +
          `max=${(samples.at(-1) ?? 0).toFixed(2)} ms (total sent ${total.messagesSent}, failed ${total.messagesFailed})`,
      );
    }
  } finally {
    await runtime.close();
  }
}

await main();
