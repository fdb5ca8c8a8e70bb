// Database commands: once on the embedded default (a temporary HERALD_DATA_DIR), then against an
// in-memory database this test serves on loopback, which each command reaches through DATABASE_URL.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger, loadConfig, startRuntime } from "@herald/api";
import { type EmbeddedServer, startEmbeddedServer } from "@herald/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { herald } from "./run.ts";

let server: EmbeddedServer;
let env: Record<string, string>;
beforeAll(async () => {
  server = await startEmbeddedServer("memory://");
  env = {
    DATABASE_URL: server.url,
    DATABASE_POOL_SIZE: "1",
    HERALD_SECRET: "cli-test-secret-0123456789abcdef0123456789",
  };
});
afterAll(() => server.stop());

describe("migrate", () => {
  it("creates and migrates the embedded default database", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "herald-cli-"));
    try {
      const result = await herald(["migrate"], { HERALD_DATA_DIR: dataDir });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain("applied 0001_foundation");
      expect(result.stdout).toContain("the database is up to date");
      expect(result.stderr).toContain(`Migrating the embedded database in ${dataDir}`);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("applies pending migrations to PostgreSQL once, then has nothing to do", async () => {
    const first = await herald(["migrate"], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain("Migrating PostgreSQL");
    expect(first.stdout).toContain("applied 0001_foundation");
    const second = await herald(["migrate"], env);
    expect(second.stdout).toMatch(/Nothing to apply: all \d+ migrations were applied before/);
  });
});

describe("plans and tenants", () => {
  it("plans put defines a plan and changes only the given settings; plans list shows them all", async () => {
    const defined = await herald(
      [
        "plans",
        "put",
        "team",
        "--display-name",
        "Team",
        "--webhooks",
        "10",
        "--messages",
        "5000",
        "--bill-overage",
      ],
      env,
    );
    expect(defined.code, defined.stderr).toBe(0);
    expect(defined.stdout).toMatch(/defined plan team\n.*\nteam\s+Team\s+10\s+5000\s+yes/);
    const changed = await herald(
      ["plans", "put", "team", "--messages", "unlimited", "--no-bill-overage"],
      env,
    );
    expect(changed.stdout).toMatch(/changed plan team\n.*\nteam\s+Team\s+10\s+unlimited\s+no/);
    const list = (await herald(["plans", "list"], env)).stdout;
    for (const plan of ["trial", "unlimited", "team"]) expect(list).toMatch(new RegExp(`^${plan}\\s`, "m"));
  });

  it("plans put stores the same plan as PUT /admin/v1/plans/{name} given the same settings", async () => {
    const cli = async (...args: string[]) => {
      const result = await herald(["plans", "put", "same-cli", ...args], env);
      expect(result.code, result.stderr).toBe(0);
    };
    await cli("--display-name", "Same", "--webhooks", "10", "--messages", "5000", "--bill-overage");
    await cli("--trial-days", "14", "--rps", "5", "--price", "price_same", "--metered-price", "price_meter");
    await cli("--messages", "unlimited", "--no-bill-overage", "--metered-price", "none");

    // The CLI has released the embedded server's one connection: the api may use it now.
    const runtime = await startRuntime({
      config: loadConfig({
        ...env,
        HERALD_ADMIN_TOKEN: "cli-test-admin-token-0123",
        HERALD_LOG_LEVEL: "silent",
      }),
      logger: createLogger({ logLevel: "silent" }),
      worker: false,
    });
    try {
      const admin = (method: string, path: string, body?: unknown) =>
        runtime.app.request(path, {
          method,
          headers: { authorization: "Bearer cli-test-admin-token-0123", "content-type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      const steps = [
        { displayName: "Same", webhookLimit: 10, monthlyMessageLimit: 5000, billOverage: true },
        {
          trialDays: 14,
          requestsPerSecond: 5,
          stripePriceId: "price_same",
          stripeMeteredPriceId: "price_meter",
        },
        { monthlyMessageLimit: null, billOverage: false, stripeMeteredPriceId: null },
      ];
      for (const step of steps)
        expect((await admin("PUT", "/admin/v1/plans/same-api", step)).status).toBe(200);
      const { items } = (await (await admin("GET", "/admin/v1/plans")).json()) as {
        items: Array<{ name: string }>;
      };
      const settingsOf = (name: string) => {
        const { name: _, ...settings } = items.find((p) => p.name === name) ?? { name };
        return settings;
      };
      expect(settingsOf("same-cli")).toEqual({
        displayName: "Same",
        webhookLimit: 10,
        monthlyMessageLimit: null,
        billOverage: false,
        trialDays: 14,
        requestsPerSecond: 5,
        stripePriceId: "price_same",
        stripeMeteredPriceId: null,
      });
      expect(settingsOf("same-api")).toEqual(settingsOf("same-cli"));
    } finally {
      await runtime.close();
    }
  });

  it("reports bad input with exit status 2 and a sentence", async () => {
    const bad = await herald(["plans", "put", "team", "--webhooks", "lots"], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--webhooks: "lots" is not a whole number');
    const negative = await herald(["plans", "put", "team", "--webhooks", "-1"], env);
    expect(negative.code).toBe(2);
    expect(negative.stderr).toMatch(/^herald: --webhooks: .*>=\s?0/m);
    const name = await herald(["plans", "put", "Team Plan", "--webhooks", "1"], env);
    expect(name.code).toBe(2);
    expect(name.stderr).toContain("plan name: use lowercase letters, digits, - and _");
    const limit = await herald(["tenants", "list", "--limit", "0"], env);
    expect(limit.code).toBe(2);
    expect(limit.stderr).toContain("--limit");
  });

  it("tenants list prints a table; set-plan names a tenant that does not exist", async () => {
    const list = await herald(["tenants", "list"], env);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^ID\s+NAME\s+PLAN\s+STATUS/);
    const result = await herald(["tenants", "set-plan", "ten_nobody", "unlimited"], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("No tenant with id ten_nobody");
  });
});

describe("rotate-key", () => {
  it("has nothing to do on a database without webhooks", async () => {
    const result = await herald(["rotate-key"], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("Webhook URLs: 0 re-encrypted");
    expect(result.stderr).toContain("HERALD_SECRET_PREVIOUS is not set");
  });

  it("refuses to start without HERALD_SECRET next to DATABASE_URL, naming the variable", async () => {
    const result = await herald(["rotate-key"], { DATABASE_URL: server.url });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("HERALD_SECRET: required when DATABASE_URL is set");
  });
});
