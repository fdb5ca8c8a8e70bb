// The embedded database's disk fills up under load. Herald must say so clearly (503 storage_full
// with Retry-After to callers, one plain line in the log for the operator), never answer 500,
// never acknowledge what it did not store, and carry on by itself once space is freed.
// The data directory lives on a small tmpfs mounted for the test (needs root, as on CI machines).
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, statfsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Herald } from "@herald/sdk";
import { startTeamsSim } from "@herald/teams-sim";
import { describe, expect, inject, it } from "vitest";
import { startApiProcess } from "../support/processes.ts";
import { eventually } from "../support/wait.ts";

function mountSmallDisk(): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), "herald-disk-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64m", "tmpfs", dir], { stdio: "ignore" });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}

// Run with the embedded-engine pass of the suite (the api process brings its own database either way).
const embeddedPass = inject("engine") === "embedded";
const disk = embeddedPass ? mountSmallDisk() : undefined;
if (embeddedPass && !disk) console.warn("disk-full test skipped: mounting a tmpfs needs root");

describe.skipIf(!disk)("embedded database disk full", () => {
  it("answers 503 storage_full, logs it once, stores nothing it did not acknowledge, and recovers", async () => {
    const mount = disk as string;
    const sim = await startTeamsSim();
    const url = sim.workflowsUrl();
    const api = await startApiProcess({
      HERALD_DATA_DIR: join(mount, "data"),
      HERALD_WORKER_LEASE_MS: "2000",
    });
    const filler = join(mount, "filler");
    try {
      const consoleClient = new Herald({ baseUrl: api.baseUrl });
      const { instanceId, tenantId } = await consoleClient.signup({
        email: "disk@example.com",
        password: "correct horse battery",
        organization: "Disk test",
      });
      const plan = await fetch(`${api.baseUrl}/admin/v1/tenants/${tenantId}/plan`, {
        method: "PUT",
        headers: {
          authorization: "Bearer admin-token-for-tests-0123456789",
          "content-type": "application/json",
        },
        body: JSON.stringify({ plan: "unlimited" }),
      });
      expect(plan.status).toBe(204);
      const key = await consoleClient.createBindingKey(instanceId, "app");
      const { webhookId } = await consoleClient.createWebhook(instanceId, { name: "ch", url });

      // Leave about 3 MB, then send incompressible 20 kB messages until the disk runs out.
      const stat = statfsSync(mount);
      const freeKb = Math.floor((stat.bavail * stat.bsize) / 1024);
      execFileSync("fallocate", ["-l", `${freeKb - 3 * 1024}k`, filler]);

      const send = (text: string) =>
        fetch(`${api.baseUrl}/v1/messages?wait=0`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-license-key": key.licenseKey,
            "x-license-secret": key.licenseSecret,
          },
          body: JSON.stringify({ webhookId, textMessage: text }),
        });
      const acknowledged = new Map<string, string>();
      const statuses = new Map<number, number>();
      let refusal: { status: number; retryAfter: string | null; body: Record<string, unknown> } | undefined;
      let refused = 0;
      for (let i = 0; i < 1000 && refused < 10; i++) {
        const text = `m${i} ${randomBytes(15_000).toString("base64")}`;
        const res = await send(text);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const body = (await res.json()) as Record<string, unknown> & {
          messageId?: string;
          error?: { code: string };
        };
        if (res.status === 202 && body.messageId) acknowledged.set(body.messageId, text.slice(0, 8));
        if (res.status === 503) {
          refused++;
          refusal ??= { status: res.status, retryAfter: res.headers.get("retry-after"), body };
        }
      }
      console.log(
        `disk full: ${acknowledged.size} acknowledged, ${refused} refused; statuses ${JSON.stringify([...statuses])}`,
      );

      expect(refused).toBeGreaterThan(0);
      expect(statuses.get(500) ?? 0).toBe(0);
      expect(refusal?.retryAfter).toBe("30");
      expect(refusal?.body).toMatchObject({
        error: { code: "storage_full" },
        SentMessage: false,
        status: "rejected",
        messageId: null,
      });
      const diskLines = api
        .output()
        .split("\n")
        .filter((line) => line.includes("out of disk space"));
      expect(diskLines.length).toBeGreaterThanOrEqual(1);
      // Said once per 30 s, not once per refused request.
      expect(diskLines.length).toBeLessThan(refused);
      expect(diskLines[0]).toContain(join(mount, "data"));

      rmSync(filler);
      const after = await eventually(
        async () => {
          const res = await send("after the disk was freed");
          const body = (await res.json()) as { messageId?: string };
          return res.status === 202 && body.messageId ? body.messageId : undefined;
        },
        30_000,
        "sendMessage accepted again after freeing space",
      );
      acknowledged.set(after, "after th");

      // Every acknowledged message reaches Teams; none that was refused does.
      await eventually(
        () => {
          const seen = new Set(sim.requests(url).map((r) => (r.text ?? "").slice(0, 8)));
          return [...acknowledged.values()].every((prefix) => seen.has(prefix)) ? true : undefined;
        },
        60_000,
        "every acknowledged message delivered",
      );
      const received = sim.requests(url).map((r) => (r.text ?? "").slice(0, 8));
      const ackedPrefixes = new Set(acknowledged.values());
      const strays = received.filter((prefix) => !ackedPrefixes.has(prefix));
      const duplicates = received.length - new Set(received).size;
      console.log(
        `disk full: ${received.length} posts to Teams, ${duplicates} duplicates, ${strays.length} unacknowledged`,
      );
      expect(strays).toEqual([]);
    } finally {
      await api.kill("SIGTERM");
      await sim.close();
      rmSync(filler, { force: true });
      execFileSync("umount", [mount]);
      rmSync(mount, { recursive: true, force: true });
    }
  });
});
