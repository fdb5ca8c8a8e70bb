// Crash safety: a worker killed with SIGKILL mid-burst loses nothing. Its leases expire, another
// worker resumes, and duplicates stay within what was in flight (one send per channel).
import { type AddressInfo, createServer } from "node:net";
import { describe, expect, inject, it } from "vitest";
import { startHarness } from "../support/harness.ts";
import { startWorkerProcess } from "../support/processes.ts";
import { eventually } from "../support/wait.ts";

const engine = inject("engine");
const CHANNELS = 20;
const PER_CHANNEL = 25;

describe.skipIf(engine !== "postgres")("worker crash", () => {
  it("SIGKILL during a burst of 500 messages over 20 channels: every message ends delivered", async () => {
    const h = await startHarness({ worker: false });
    const env = {
      DATABASE_URL: inject("databaseUrl"),
      HERALD_WORKER_LEASE_MS: "2000",
      HERALD_WORKER_CONCURRENCY: String(CHANNELS),
    };
    let worker = startWorkerProcess(env);
    try {
      const t = await h.tenant({ plan: "unlimited" });
      const urls = Array.from({ length: CHANNELS }, () => h.sim.workflowsUrl());
      const webhooks = await Promise.all(urls.map((u, i) => t.addWebhook(u, `channel ${i}`)));
      // Slow answers keep sends in flight when the worker dies.
      for (const u of urls) h.sim.setBehavior(u, { status: 202, delayMs: 20 });
      const sends: Promise<unknown>[] = [];
      for (let n = 0; n < PER_CHANNEL; n++) {
        for (let c = 0; c < CHANNELS; c++) {
          sends.push(
            t.activity.sendMessage(webhooks[c] ?? "", `c${c}-n${String(n).padStart(2, "0")}`, { wait: 0 }),
          );
        }
      }
      await Promise.all(sends);
      await h.sim.waitForRequests(120, { timeoutMs: 30_000 });
      expect(await worker.kill("SIGKILL")).toBe(null);
      const atKill = h.sim.requests().length;
      expect(atKill).toBeLessThan(CHANNELS * PER_CHANNEL);

      worker = startWorkerProcess(env);
      await eventually(
        async () => {
          const [row] = await h.sql<{ n: number }[]>`
          SELECT count(*)::int AS n FROM messages WHERE tenant_id = ${t.tenantId} AND status <> 'delivered'`;
          return row?.n === 0 ? true : undefined;
        },
        60_000,
        "every message delivered",
      );

      const received = h.sim.requests().map((r) => r.text ?? "");
      const counts = new Map<string, number>();
      for (const text of received) counts.set(text, (counts.get(text) ?? 0) + 1);
      expect(counts.size).toBe(CHANNELS * PER_CHANNEL);
      const duplicates = received.length - counts.size;
      // At most one send per channel was in flight when the worker died.
      expect(duplicates).toBeLessThanOrEqual(CHANNELS);
      console.log(
        `crash test: ${atKill} delivered before SIGKILL, ${received.length} requests in all, ${duplicates} duplicates (bound ${CHANNELS})`,
      );
      // Per channel, first arrivals keep the queue's order (seq), duplicates aside.
      const queued = await h.sql<{ webhookId: string; text: string }[]>`
        SELECT webhook_id, payload::json #>> '{attachments,0,content,body,0,text}' AS text
        FROM messages WHERE tenant_id = ${t.tenantId} ORDER BY seq`;
      for (const webhookId of webhooks) {
        const expected = queued.filter((m) => m.webhookId === webhookId).map((m) => m.text);
        const channel = new Set(expected);
        const firsts = [...new Set(received.filter((x) => channel.has(x)))];
        expect(firsts).toEqual(expected);
      }
    } finally {
      await worker.kill("SIGTERM");
      await h.close();
    }
  });

  it("a worker process serves /healthz and /metrics on its metrics port and no app, API or console", async () => {
    const port = await freePort();
    const worker = startWorkerProcess({
      DATABASE_URL: inject("databaseUrl"),
      HERALD_METRICS_PORT: String(port),
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      const health = await eventually(
        () =>
          fetch(`${base}/healthz`).then(
            (r) => (r.ok ? r : undefined),
            () => undefined,
          ),
        30_000,
        "the worker's /healthz",
      );
      expect(health.status).toBe(200);
      const metrics = await fetch(`${base}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(/^# HELP herald_/m);
      for (const path of ["/", "/v1/instances", "/console", "/openapi.json", "/docs", "/admin/v1/plans"]) {
        expect((await fetch(`${base}${path}`)).status, path).toBe(404);
      }
    } finally {
      await worker.kill("SIGTERM");
    }
  });

  it("a worker that cannot start says why and exits non-zero", async () => {
    const worker = startWorkerProcess({ DATABASE_URL: "postgres://postgres@127.0.0.1:1/nowhere" });
    const code =
      worker.child.exitCode ?? (await new Promise((resolve) => worker.child.once("exit", resolve)));
    expect(code).toBe(1);
    expect(worker.output()).toMatch(/Herald worker failed to start/);
  });
});

/** A port nothing listens on now (the kernel's pick, released at once). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
