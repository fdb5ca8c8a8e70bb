// The peer for the delivery figure: the same deliveries done by the job queue a team would
// otherwise pick, pg-boss, on the same PostgreSQL (its own schema). One job per message, a handler
// that posts it with undici, 64 jobs in flight (8 local workers × batches of 8, fetching back to
// back while batches come back full), like Herald's 64 channel tasks. No per-URL rate windows and
// no per-channel order: pg-boss does not keep them.
// Usage: node --conditions=development --import tsx bench/peer.ts '{"databaseUrl", "urls": [...], "messages", "payload"}'
// Prints {"inserted": n} once the jobs are stored, then works until stopped.
import { readFileSync } from "node:fs";
import { PgBoss } from "pg-boss";
import { Pool } from "undici";

interface PeerSpec {
  databaseUrl: string;
  urls: string[];
  messages: number;
  payload: string;
}

const arg = process.argv[2] ?? "{}";
const spec = JSON.parse(arg.startsWith("@") ? readFileSync(arg.slice(1), "utf8") : arg) as PeerSpec;
const QUEUE = "teams-delivery";

const boss = new PgBoss({ connectionString: spec.databaseUrl, schema: "pgboss_bench", max: 10 });
boss.on("error", (error) => console.error("pg-boss:", error));
await boss.start();
await boss.createQueue(QUEUE);
for (let i = 0; i < spec.messages; i += 1000) {
  const jobs = Array.from({ length: Math.min(1000, spec.messages - i) }, (_, j) => ({
    data: { url: spec.urls[(i + j) % spec.urls.length] },
  }));
  await boss.insert(QUEUE, jobs);
}
console.log(JSON.stringify({ inserted: spec.messages }));

const origin = new URL(spec.urls[0] ?? "http://127.0.0.1").origin;
const pool = new Pool(origin, { connections: 64 });
await boss.work<{ url: string }>(
  QUEUE,
  { localConcurrency: 8, batchSize: 8, burstWhenBatchFull: true, pollingIntervalSeconds: 0.5 },
  async (jobs) => {
    await Promise.all(
      jobs.map(async (job) => {
        const target = new URL(job.data.url);
        const res = await pool.request({
          path: target.pathname + target.search,
          method: "POST",
          headers: { "content-type": "application/json" },
          body: spec.payload,
        });
        await res.body.dump();
        if (res.statusCode >= 300) throw new Error(`HTTP ${res.statusCode}`);
      }),
    );
  },
);

process.on("SIGTERM", () => {
  void boss.stop({ graceful: false, close: true }).finally(() => process.exit(0));
});
