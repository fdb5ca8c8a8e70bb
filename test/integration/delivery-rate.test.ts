// Teams' legacy windows (4/1 s, 60/30 s, 100/1 h, ...) per webhook URL, honoured exactly: 110
// messages back to back. Takes a little over a minute per run, by design of the windows.
import { describe, expect, inject, it } from "vitest";
import { startHarness } from "../support/harness.ts";
import { startWorkerProcess } from "../support/processes.ts";
import { eventually } from "../support/wait.ts";

const engine = inject("engine");

async function sendBurst(twoWorkerProcesses: boolean) {
  const h = await startHarness({ worker: !twoWorkerProcesses });
  const workers = twoWorkerProcesses
    ? [1, 2].map(() =>
        startWorkerProcess({ DATABASE_URL: inject("databaseUrl"), HERALD_WORKER_CONCURRENCY: "8" }),
      )
    : [];
  try {
    const t = await h.tenant({ plan: "unlimited" });
    const url = h.sim.legacyUrl();
    const webhookId = await t.addWebhook(url);
    const ids: string[] = [];
    for (let i = 0; i < 110; i++) {
      const answer = await t.activity.sendMessage(webhookId, `m-${String(i).padStart(3, "0")}`, { wait: 0 });
      expect(answer.status).toBe("queued");
      ids.push(answer.messageId ?? "");
    }
    const first = await h.sim.waitForRequests(1, { urlOrPath: url, timeoutMs: 20_000 });
    const t0 = first[0]?.at ?? Date.now();
    await eventually(() => (Date.now() > t0 + 61_000 ? true : undefined), 70_000, "the first minute to pass");

    const received = h.sim.requests(url);
    expect(h.sim.violations(url)).toEqual([]);
    const in15s = received.filter((r) => r.at < t0 + 15_000).length;
    expect(in15s).toBeGreaterThanOrEqual(56);
    expect(in15s).toBeLessThanOrEqual(60);
    expect(received.filter((r) => r.at < t0 + 60_000)).toHaveLength(100);
    expect(received).toHaveLength(100);
    // In order, none lost, none twice.
    expect(received.map((r) => r.text)).toEqual(
      ids.slice(0, 100).map((_, i) => `m-${String(i).padStart(3, "0")}`),
    );

    for (const id of ids.slice(100)) {
      const status = await t.activity.getMessage(id);
      expect(status).toMatchObject({ httpStatus: 202, status: "queued", SentMessage: false });
      const due = /Next attempt due at (\S+)\./.exec(status.Message)?.[1] ?? "";
      expect(Date.parse(due)).toBeGreaterThanOrEqual(t0 + 3_600_000);
    }
    const failed =
      await h.sql`SELECT count(*)::int AS n FROM messages WHERE webhook_id = ${webhookId} AND status = 'failed'`;
    expect(failed[0]?.n).toBe(0);
    return { in15s };
  } finally {
    await Promise.all(workers.map((w) => w.kill("SIGTERM")));
    await h.close();
  }
}

describe("legacy connector rate windows", () => {
  it("sends 110 back-to-back messages without a single window violation, holding the last 10", async () => {
    await sendBurst(false);
  });

  it.skipIf(engine !== "postgres")("holds with two worker processes sharing one PostgreSQL", async () => {
    await sendBurst(true);
  });
});
