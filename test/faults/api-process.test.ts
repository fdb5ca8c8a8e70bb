// The api process (with its in-process worker, on the run's engine) killed hard, and stopped
// gracefully: acknowledged messages survive SIGKILL; SIGTERM finishes in-flight sends and exits in time.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Herald } from "@herald/sdk";
import { startTeamsSim } from "@herald/teams-sim";
import { describe, expect, inject, it } from "vitest";
import { TEST_SECRET } from "../support/harness.ts";
import { startApiProcess } from "../support/processes.ts";
import { eventually } from "../support/wait.ts";

async function tenantOn(baseUrl: string, webhookUrl: string) {
  const consoleClient = new Herald({ baseUrl });
  const { instanceId, tenantId } = await consoleClient.signup({
    email: `p-${Date.now()}@example.com`,
    password: "correct horse battery",
    organization: "Process test",
  });
  const plan = await fetch(`${baseUrl}/admin/v1/tenants/${tenantId}/plan`, {
    method: "PUT",
    headers: { authorization: "Bearer admin-token-for-tests-0123456789", "content-type": "application/json" },
    body: JSON.stringify({ plan: "unlimited" }),
  });
  expect(plan.status).toBe(204);
  const key = await consoleClient.createBindingKey(instanceId, "app");
  const webhook = await consoleClient.createWebhook(instanceId, { name: "ch", url: webhookUrl });
  return {
    console: consoleClient,
    webhookId: webhook.webhookId,
    activity: new Herald({ baseUrl, licenseKey: key.licenseKey, licenseSecret: key.licenseSecret }),
  };
}

/** The database part of an api process's environment: the run's PostgreSQL, or a new data dir. */
function database(prefix: string): Record<string, string> {
  return inject("engine") === "postgres"
    ? { DATABASE_URL: inject("databaseUrl"), HERALD_SECRET: TEST_SECRET }
    : { HERALD_DATA_DIR: mkdtempSync(join(tmpdir(), prefix)) };
}

describe(`api process faults (${inject("engine")} database)`, () => {
  it("SIGKILL under load loses no acknowledged message; a restart delivers them all", async () => {
    const sim = await startTeamsSim();
    // Power Automate's 4/1 s window would make the backlog a rate-limit test; this one is about the kill.
    const env = {
      ...database("herald-kill-"),
      HERALD_WORKER_LEASE_MS: "2000",
      HERALD_WORKFLOWS_RATE: "none",
    };
    const url = sim.workflowsUrl();
    sim.setBehavior(url, { status: 202, delayMs: 50 });
    let api = await startApiProcess(env);
    try {
      const t = await tenantOn(api.baseUrl, url);
      const acknowledged: string[] = [];
      let stop = false;
      const load = (async () => {
        let i = 0;
        while (!stop) {
          const batch = await Promise.all(
            Array.from({ length: 5 }, () =>
              t.activity.sendMessage(t.webhookId, `k${i++}`, { wait: 0 }).catch(() => null),
            ),
          );
          for (const a of batch)
            if (a && (a.status === "queued" || a.status === "delivered") && a.messageId)
              acknowledged.push(a.messageId);
        }
      })();
      await eventually(() => (acknowledged.length >= 150 ? true : undefined), 30_000, "150 acknowledged");
      await api.kill("SIGKILL");
      stop = true;
      await load;

      api = await startApiProcess(env);
      const activity = t.activity.with({ baseUrl: api.baseUrl });
      // Poll gently: the embedded database has one connection, shared with the worker being waited for.
      const pending = new Set(acknowledged);
      const statuses = new Map<string, string>();
      const deadline = Date.now() + 90_000;
      while (pending.size > 0 && Date.now() < deadline) {
        for (const id of [...pending]) {
          const m = await activity.getMessage(id).catch(() => undefined);
          if (m) statuses.set(id, m.status);
          if (m?.status === "delivered") pending.delete(id);
        }
        if (pending.size > 0) await new Promise((r) => setTimeout(r, 500));
      }
      expect([...pending].map((id) => `${id}:${statuses.get(id) ?? "unknown"}`)).toEqual([]);
      const outcomes = acknowledged;
      const texts = sim.requests(url).map((r) => r.text);
      console.log(
        `api SIGKILL: ${acknowledged.length} acknowledged, ${outcomes.length} delivered, ${texts.length - new Set(texts).size} duplicates`,
      );
    } finally {
      await api.kill("SIGTERM");
      await sim.close();
    }
  });

  it("SIGTERM stops accepting, finishes the in-flight send, releases leases and exits within 10 s", async () => {
    const sim = await startTeamsSim();
    const env = database("herald-term-");
    const url = sim.legacyUrl();
    const api = await startApiProcess(env);
    try {
      const t = await tenantOn(api.baseUrl, url);
      sim.setBehavior(url, { status: 200, body: "1", delayMs: 2000 });
      const answer = await t.activity.sendMessage(t.webhookId, "in flight during shutdown", { wait: 0 });
      await sim.waitForRequests(1, { urlOrPath: url, timeoutMs: 10_000 });
      const started = Date.now();
      const exit = api.kill("SIGTERM");
      await new Promise((r) => setTimeout(r, 300));
      await expect(fetch(`${api.baseUrl}/healthz`)).rejects.toThrow();
      expect(await exit).toBe(0);
      const elapsed = Date.now() - started;
      expect(elapsed).toBeLessThan(10_000);
      expect(api.output()).toContain("stopped");

      // The send finished before exit: after a restart the message is delivered and was sent once.
      const again = await startApiProcess(env);
      try {
        const status = await t.activity.with({ baseUrl: again.baseUrl }).getMessage(answer.messageId ?? "");
        expect(status.status).toBe("delivered");
        expect(sim.requests(url)).toHaveLength(1);
        console.log(`SIGTERM: exited in ${elapsed} ms with the in-flight send completed`);
      } finally {
        await again.kill("SIGTERM");
      }
    } finally {
      await api.kill("SIGKILL");
      await sim.close();
    }
  });
});
