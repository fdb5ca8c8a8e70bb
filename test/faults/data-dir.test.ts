// The embedded data directory (issue #15, findings 7 and 8): one process at a time (a second
// Herald, or a writing CLI command, is refused naming the holder, and no change is lost), and its
// files are private to their owner whatever the umask.
import { mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Herald } from "@herald/sdk";
import { describe, expect, it } from "vitest";
import { runHerald } from "../support/cli.ts";
import { startApiProcess } from "../support/processes.ts";

const ADMIN = "admin-token-for-tests-0123456789";

function modes(dir: string): { path: string; mode: number; dir: boolean }[] {
  const out = [{ path: dir, mode: statSync(dir).mode & 0o777, dir: true }];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...modes(path));
    else if (entry.isFile()) out.push({ path, mode: statSync(path).mode & 0o777, dir: false });
  }
  return out;
}

describe("embedded data directory", () => {
  it("refuses a second Herald and a writing CLI command while one runs; the change made afterwards stays", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "herald-lock-"));
    let first = await startApiProcess({ HERALD_DATA_DIR: dataDir, HERALD_WORKER: "off" });
    try {
      const { tenantId } = await new Herald({ baseUrl: first.baseUrl }).signup({
        email: `lock-${Date.now()}@example.com`,
        password: "correct horse battery",
        organization: "Lock test",
      });
      const pid = first.child.pid;

      const second = await startApiProcess({ HERALD_DATA_DIR: dataDir, HERALD_WORKER: "off" }).then(
        (p) => ({ started: true as const, p }),
        (error: unknown) => ({ started: false as const, error: String(error) }),
      );
      if (second.started) await second.p.kill("SIGKILL");
      expect(second.started).toBe(false);
      if (!second.started) expect(second.error).toContain(`in use by Herald process ${pid}`);

      const cli = await runHerald(["tenants", "set-plan", tenantId, "unlimited"], {
        HERALD_DATA_DIR: dataDir,
      });
      expect(cli.code).toBe(1);
      expect(cli.stderr).toContain(`in use by Herald process ${pid}`);
      expect(cli.stderr).toContain("operator API");
      expect(cli.stdout).not.toContain("is on plan");

      expect(await first.kill("SIGTERM")).toBe(0);
      const after = await runHerald(["tenants", "set-plan", tenantId, "unlimited"], {
        HERALD_DATA_DIR: dataDir,
      });
      expect(after.code, after.stderr).toBe(0);

      first = await startApiProcess({ HERALD_DATA_DIR: dataDir, HERALD_WORKER: "off" });
      const tenants = (await (
        await fetch(`${first.baseUrl}/admin/v1/tenants`, { headers: { authorization: `Bearer ${ADMIN}` } })
      ).json()) as { items: { id: string; plan: string }[] };
      expect(tenants.items.find((t) => t.id === tenantId)?.plan).toBe("unlimited");
    } finally {
      await first.kill("SIGTERM");
    }
  });

  it("takes over a lock its holder left when it died", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "herald-stale-"));
    const killed = await startApiProcess({ HERALD_DATA_DIR: dataDir, HERALD_WORKER: "off" });
    await killed.kill("SIGKILL");
    const next = await startApiProcess({ HERALD_DATA_DIR: dataDir, HERALD_WORKER: "off" });
    try {
      expect((await fetch(`${next.baseUrl}/readyz`)).status).toBe(200);
    } finally {
      await next.kill("SIGTERM");
    }
  });

  it("keeps the directory 0700 and its files 0600 even under umask 000", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "herald-perm-"));
    const previous = process.umask(0);
    let api: Awaited<ReturnType<typeof startApiProcess>> | undefined;
    try {
      api = await startApiProcess({ HERALD_DATA_DIR: dataDir, HERALD_WORKER: "off" });
      await new Herald({ baseUrl: api.baseUrl }).signup({
        email: `perm-${Date.now()}@example.com`,
        password: "correct horse battery",
        organization: "Permissions",
      });
    } finally {
      process.umask(previous);
      await api?.kill("SIGTERM");
    }
    const all = modes(dataDir);
    expect(all.length).toBeGreaterThan(50);
    const open = all.filter((f) => (f.mode & 0o077) !== 0).map((f) => `${f.mode.toString(8)} ${f.path}`);
    console.log(`data dir: ${all.length} entries, ${open.length} readable by others`);
    expect(open).toEqual([]);
  });
});
