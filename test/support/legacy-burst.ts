// 110 messages back to back to one legacy connector URL, judged by the Teams emulator under the
// same windows Herald runs: Microsoft's, or all of them `scale` times shorter. Shown by events: the
// hour window's 100 arrive and Herald holds the other 10 for it.
import { formatRatePolicy, LEGACY_CONNECTOR_POLICY } from "@herald/core";
import { expect, inject } from "vitest";
import { startHarness } from "./harness.ts";
import { startWorkerProcess } from "./processes.ts";
import { eventually } from "./wait.ts";

export async function legacyBurst(options: { scale: number; twoWorkerProcesses?: boolean }): Promise<void> {
  const { scale, twoWorkerProcesses = false } = options;
  const windows = LEGACY_CONNECTOR_POLICY.map((w) => ({ limit: w.limit, periodMs: w.periodMs / scale }));
  const [, halfMinute, hour] = windows;
  if (!halfMinute || !hour) throw new Error("the legacy policy has a 30 s and a 1 h window");
  const env = {
    HERALD_LEGACY_RATE: formatRatePolicy(windows),
    // The guard absorbs clock granularity; scaled with the windows it keeps the same share of them.
    HERALD_RATE_GUARD_MS: String(50 / scale),
  };
  const h = await startHarness({ worker: !twoWorkerProcesses, env, sim: { legacyWindows: windows } });
  const workers = twoWorkerProcesses
    ? [1, 2].map(() =>
        startWorkerProcess({ DATABASE_URL: inject("databaseUrl"), HERALD_WORKER_CONCURRENCY: "8", ...env }),
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
    const received = await h.sim.waitForRequests(100, { urlOrPath: url, timeoutMs: 90_000 });
    const t0 = received[0]?.at ?? 0;
    // Herald marks the 101st as waiting for the windows when it hands the channel back until then.
    await eventually(
      async () =>
        /allows the next post at/.test((await t.activity.getMessage(ids[100] ?? "")).Message)
          ? true
          : undefined,
      30_000,
      "the 101st message to wait for the hour window",
    );
    for (const id of ids.slice(100)) {
      const status = await t.activity.getMessage(id);
      expect(status).toMatchObject({ httpStatus: 202, status: "queued", SentMessage: false });
      const due = /Next attempt due at (\S+)\./.exec(status.Message)?.[1] ?? "";
      expect(Date.parse(due)).toBeGreaterThanOrEqual(t0 + hour.periodMs);
    }

    expect(h.sim.violations(url)).toEqual([]);
    const all = h.sim.requests(url);
    expect(all).toHaveLength(100);
    // The 30 s window's 60 all go out within it: Herald waits only as long as the windows need.
    expect(all.filter((r) => r.at < t0 + halfMinute.periodMs)).toHaveLength(halfMinute.limit);
    // In order, none lost, none twice.
    expect(all.map((r) => r.text)).toEqual(
      ids.slice(0, 100).map((_, i) => `m-${String(i).padStart(3, "0")}`),
    );
    const failed =
      await h.sql`SELECT count(*)::int AS n FROM messages WHERE webhook_id = ${webhookId} AND status = 'failed'`;
    expect(failed[0]?.n).toBe(0);
  } finally {
    await Promise.all(workers.map((w) => w.kill("SIGTERM")));
    await h.close();
  }
}
