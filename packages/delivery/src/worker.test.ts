// The delivery worker against a fake poster (scripted Teams answers, no network) and the embedded
// database: FIFO order, outcomes recorded, a 410 disabling the channel with the rest of its queue
// failed, a 429's pause kept, and a stopped worker leaving nothing leased. The integration suite
// (test/integration) runs the same worker against the Teams emulator over real HTTP. The worker's
// clock is set weeks back (it runs at real speed from there): what it records by day follows that
// clock, not the machine's, while leases and windows keep the database's time.
import { randomBytes } from "node:crypto";
import { BOT_THREAD_POLICY, LEGACY_CONNECTOR_POLICY, type TeamsAnswer } from "@herald/core";
import {
  connectEmbedded,
  DiskFullReporter,
  type EmbeddedServer,
  getMessage,
  migrate,
  type Sql,
  startEmbeddedServer,
} from "@herald/db";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Clock, type DeliveryContext, DeliverySignals } from "./context.ts";
import { markWaiting } from "./outcome.ts";
import type { Poster } from "./poster.ts";
import { DeliveryWorker } from "./worker.ts";

let server: EmbeddedServer;
let sql: Sql;

beforeAll(async () => {
  server = await startEmbeddedServer("memory://");
  sql = connectEmbedded(server.url);
  await migrate(sql);
  await sql`INSERT INTO tenants (id, name, plan) VALUES ('ten_w', 'Worker test', 'unlimited')`;
  await sql`INSERT INTO instances (id, tenant_id, name) VALUES ('ins_w', 'ten_w', 'Developer Instance')`;
}, 60_000);
afterAll(async () => {
  await sql.end();
  await server.stop();
});

/** A poster that records each post and answers from a script (the last answer repeats). */
function fakePoster(script: TeamsAnswer[]) {
  const posts: { url: string; body: string }[] = [];
  const poster: Poster = {
    async post(url, body) {
      posts.push({ url, body });
      return script[Math.min(posts.length - 1, script.length - 1)] ?? { type: "timeout", error: "no answer" };
    },
    async close() {},
  };
  return { posts, poster };
}

const ok: TeamsAnswer = { type: "response", status: 200, body: "1" };

/** The worker's clock: 2026-10-20 12:00 UTC when the file starts, running at real speed. */
const CLOCK_START = Date.parse("2026-10-20T12:00:00Z");
const shift = Date.now() - CLOCK_START;
const clock: Clock = { now: () => new Date(Date.now() - shift) };

function contextFor(): DeliveryContext {
  const logger = pino({ level: process.env.WORKER_TEST_LOG ?? "silent" });
  return {
    sql,
    leaseSql: sql,
    engine: "embedded",
    config: {
      workerConcurrency: 4,
      workerLeaseMs: 30_000,
      sendTimeoutMs: 1_000,
      webhookHosts: ["127.0.0.1"],
      workflowsPolicy: [],
      legacyPolicy: LEGACY_CONNECTOR_POLICY,
      botPolicy: BOT_THREAD_POLICY,
      entraAuthority: "http://127.0.0.1:9",
      rateGuardMs: 0,
      retryMaxAgeMs: 86_400_000,
      retentionDays: 30,
    },
    // The URL is stored as its plain bytes here: the keyring is the host's, not what is tested.
    keys: {
      decryptUrl: (ciphertext) => Buffer.from(ciphertext).toString("utf8"),
      decryptSecret: (ciphertext) => Buffer.from(ciphertext).toString("utf8"),
    },
    clock,
    signals: new DeliverySignals(),
    logger,
    metrics: { countMessages() {}, observeDelivery() {}, countRateLimitWait() {} },
    diskFull: new DiskFullReporter({ logger, engine: "embedded", dataDir: "memory://" }),
  };
}

/** A legacy webhook on its own channel, with `texts` queued on it in order. */
async function queued(texts: string[]): Promise<{ webhookId: string; channelId: string; ids: string[] }> {
  const suffix = randomBytes(5).toString("hex");
  const url = `http://127.0.0.1:9/webhookb2/${suffix}`;
  const [channel] = await sql<{ id: string }[]>`
    INSERT INTO channels (url_hash, kind, ready_at) VALUES (${randomBytes(32)}, 'legacy', now())
    RETURNING id::text AS id`;
  const channelId = channel?.id ?? "";
  const webhookId = `wh_${suffix}`;
  await sql`INSERT INTO webhooks (id, tenant_id, instance_id, channel_id, name, url_ciphertext, url_key_id, url_mask, kind)
            VALUES (${webhookId}, 'ten_w', 'ins_w', ${channelId}, 'Alerts', ${Buffer.from(url)}, 'k1', 'http://127.0.0.1/…', 'legacy')`;
  const ids: string[] = [];
  for (const text of texts) {
    const id = `msg_${randomBytes(6).toString("hex")}`;
    const payload = JSON.stringify({ text });
    await sql`INSERT INTO messages (id, tenant_id, instance_id, webhook_id, channel_id, status, payload, payload_bytes, status_message)
              VALUES (${id}, 'ten_w', 'ins_w', ${webhookId}, ${channelId}, 'queued', ${payload}, ${payload.length}, 'Queued for delivery.')`;
    ids.push(id);
  }
  return { webhookId, channelId, ids };
}

async function statuses(ids: string[]): Promise<string[]> {
  const rows = await sql<
    { id: string; status: string }[]
  >`SELECT id, status FROM messages WHERE id = ANY(${ids})`;
  const byId = new Map(rows.map((r) => [r.id, r.status]));
  return ids.map((id) => byId.get(id) ?? "missing");
}

/** Runs a worker until `done` holds (checked after each finished message), then stops it. */
async function runUntil(ctx: DeliveryContext, poster: Poster, done: () => Promise<boolean>) {
  const worker = new DeliveryWorker(ctx, { poster, pollMs: 50, concurrency: 2 });
  await worker.start();
  try {
    for (let i = 0; i < 400 && !(await done()); i++) await new Promise((r) => setTimeout(r, 25));
  } finally {
    await worker.stop();
  }
}

describe("DeliveryWorker with a fake poster", () => {
  it("posts a channel's messages in FIFO order and records each delivery", async () => {
    const ctx = contextFor();
    const { ids } = await queued(["one", "two", "three"]);
    const { posts, poster } = fakePoster([ok]);
    const finished: string[] = [];
    for (const id of ids) ctx.signals.once(`finished:${id}`, () => finished.push(id));
    await runUntil(ctx, poster, async () => (await statuses(ids)).every((s) => s === "delivered"));
    expect(await statuses(ids)).toEqual(["delivered", "delivered", "delivered"]);
    expect(posts.map((p) => JSON.parse(p.body).text)).toEqual(["one", "two", "three"]);
    expect(finished).toEqual(ids);
    // Counted on the worker's day, not the machine's.
    const days = await sql<{ day: string; sent: number }[]>`
      SELECT day::text AS day, messages_sent AS sent FROM usage_daily WHERE tenant_id = 'ten_w'`;
    expect(days).toEqual([{ day: "2026-10-20", sent: 3 }]);
  });

  it("disables the channel on a 410 and fails the rest of its queue, posting nothing more", async () => {
    const ctx = contextFor();
    const { webhookId, ids } = await queued(["first", "second", "third"]);
    const { posts, poster } = fakePoster([{ type: "response", status: 410, body: "Gone" }]);
    await runUntil(ctx, poster, async () => (await statuses(ids)).every((s) => s === "failed"));
    expect(await statuses(ids)).toEqual(["failed", "failed", "failed"]);
    expect(posts).toHaveLength(1);
    const [webhook] = await sql<{ active: boolean; disabledReason: string | null }[]>`
      SELECT active, disabled_reason FROM webhooks WHERE id = ${webhookId}`;
    expect(webhook?.active).toBe(false);
    expect(webhook?.disabledReason).toMatch(/410/);
    const log = await sql<{ kind: string }[]>`SELECT kind FROM error_log WHERE webhook_id = ${webhookId}`;
    expect(log.map((l) => l.kind)).toContain("410 Invalid Webhook");
  });

  it("keeps a throttled message queued and the channel paused for the Retry-After it was given", async () => {
    const ctx = contextFor();
    const { channelId, ids } = await queued(["throttled"]);
    const { posts, poster } = fakePoster([{ type: "response", status: 429, body: "", retryAfter: "120" }]);
    await runUntil(ctx, poster, async () => posts.length > 0 && (await statuses(ids))[0] === "queued");
    expect(await statuses(ids)).toEqual(["queued"]);
    const [channel] = await sql<{ pausedForMs: number; leased: boolean }[]>`
      SELECT (extract(epoch FROM paused_until - now()) * 1000)::float8 AS paused_for_ms,
             (locked_until IS NOT NULL AND locked_until > now()) AS leased
      FROM channels WHERE id = ${channelId}`;
    expect(channel?.pausedForMs).toBeGreaterThan(110_000);
    expect(channel?.pausedForMs).toBeLessThanOrEqual(120_000);
    // A stopped worker hands every channel back.
    expect(channel?.leased).toBe(false);
    expect(posts).toHaveLength(1);
  });

  it("a message told to wait for the windows reads the same next attempt time at once", async () => {
    // The channel was claimed when it became ready (a moment ago); the worker then finds the
    // windows full for an hour and marks the head message waiting. A caller polling the message
    // between that and the channel's release must not read the old ready time as its next attempt.
    const ctx = contextFor();
    const { channelId, ids } = await queued(["head", "behind"]);
    await sql`UPDATE channels SET ready_at = now() - interval '5 seconds', lock_owner = 'w1',
              locked_until = now() + interval '30 seconds' WHERE id = ${channelId}`;
    const [db] = await sql<{ nowMs: number }[]>`SELECT (extract(epoch FROM now()) * 1000)::float8 AS now_ms`;
    const at = Math.ceil((db?.nowMs ?? 0) + 3_600_000);
    const [head, behind] = ids;
    await markWaiting(ctx, { id: head ?? "" }, at);
    for (const id of [head, behind]) {
      const row = await getMessage(sql, { tenantId: "ten_w", messageId: id ?? "" });
      expect(row?.status).toBe("queued");
      const due = Math.max(row?.channelReadyAt?.getTime() ?? 0, row?.dueAt.getTime() ?? 0);
      expect(due).toBe(at);
    }
    const [row] = await sql<
      { statusMessage: string }[]
    >`SELECT status_message FROM messages WHERE id = ${head ?? ""}`;
    expect(row?.statusMessage).toBe(
      `Waiting for Teams' rate limit on this channel; it allows the next post at ${new Date(at).toISOString()}.`,
    );
  });
});
