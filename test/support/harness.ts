// Starts Herald for a test file: the real app on the shared test database, the Teams emulator on
// a loopback port, and SDK clients that call the app in-process (app.fetch).
import { randomBytes } from "node:crypto";
import { type Clock, type HeraldRuntime, loadConfig, startRuntime } from "@herald/api";
import { connectEmbedded, type Database, openDatabase } from "@herald/db";
import { Herald } from "@herald/sdk";
import { startTeamsSim, type TeamsSim, type TeamsSimOptions } from "@herald/teams-sim";
import pino, { type Logger } from "pino";
import { afterAll, beforeAll, inject } from "vitest";

export const TEST_SECRET = "test-secret-0123456789abcdef0123456789abcdef";
export const ADMIN_TOKEN = "admin-token-for-tests-0123456789";
export const METRICS_TOKEN = "metrics-token-for-tests-0123456789";

export interface Harness {
  runtime: HeraldRuntime;
  sim: TeamsSim;
  engine: "postgres" | "embedded";
  sql: HeraldRuntime["ctx"]["sql"];
  client(options?: { token?: string; licenseKey?: string; licenseSecret?: string }): Herald;
  /** Signs a new tenant up and gives it a binding key and a session client. */
  tenant(options?: { plan?: string }): Promise<TestTenant>;
  admin(method: string, path: string, body?: unknown): Promise<Response>;
  close(): Promise<void>;
}

export interface TestTenant {
  email: string;
  password: string;
  tenantId: string;
  instanceId: string;
  console: Herald;
  activity: Herald;
  licenseKey: string;
  licenseSecret: string;
  bindingKeyId: string;
  addWebhook(url: string, name?: string): Promise<string>;
}

/** The settings that give Herald the emulator's bot registration, its Entra and its Bot Connector. */
export function botEnv(sim: TeamsSim): Record<string, string> {
  return {
    HERALD_BOT_APP_ID: sim.bot.appId,
    HERALD_BOT_APP_SECRET: sim.bot.appSecret,
    HERALD_BOT_TENANT_ID: sim.bot.homeTenantId,
    HERALD_BOT_OPENID_METADATA: sim.bot.openIdMetadataUrl,
    HERALD_BOT_SERVICE_URLS: "127.0.0.1",
    HERALD_ENTRA_AUTHORITY: sim.authority,
  };
}

export interface HarnessOptions {
  worker?: boolean;
  clock?: Clock;
  /** Extra configuration; a function of the emulator for values that name it (HERALD_ENTRA_AUTHORITY). */
  env?: Record<string, string> | ((sim: TeamsSim) => Record<string, string>);
  sim?: TeamsSimOptions;
  logger?: Logger;
  /** Overrides the shared test database (e.g. a proxy in front of it). */
  databaseUrl?: string;
  /** The worker's fallback poll (200 ms by default, so that a test never waits long on one). */
  pollMs?: number;
  /** Longest pause a channel task sleeps in its slot for a rate window (the worker's default otherwise). */
  maxHoldMs?: number;
  /** Awaited by the worker's loop between a claim and its sleep (see WorkerOptions.beforeSleep). */
  beforeSleep?: () => Promise<void>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const databaseUrl = options.databaseUrl ?? inject("databaseUrl");
  const engine = inject("engine");
  const database: Database =
    engine === "embedded"
      ? (() => {
          const sql = connectEmbedded(databaseUrl);
          return { sql, leaseSql: sql, engine, url: databaseUrl, close: () => sql.end({ timeout: 5 }) };
        })()
      : await openDatabase({ databaseUrl, maxConnections: 10 });
  const sim = await startTeamsSim(options.sim);
  const env = typeof options.env === "function" ? options.env(sim) : options.env;
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    HERALD_SECRET: TEST_SECRET,
    HERALD_WEBHOOK_HOSTS: "127.0.0.1:*",
    HERALD_ADMIN_TOKEN: ADMIN_TOKEN,
    HERALD_METRICS_TOKEN: METRICS_TOKEN,
    HERALD_LOG_LEVEL: "silent",
    HERALD_SEND_TIMEOUT_MS: "3000",
    ...env,
  });
  const runtime = await startRuntime({
    config,
    logger: options.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }),
    clock: options.clock,
    worker: options.worker ?? true,
    workerOptions: {
      pollMs: options.pollMs ?? 200,
      ...(options.maxHoldMs === undefined ? {} : { maxHoldMs: options.maxHoldMs }),
      ...(options.beforeSleep === undefined ? {} : { beforeSleep: options.beforeSleep }),
    },
    database,
  });
  const fetchApp = (request: Request) => runtime.app.fetch(request);
  const admin = (method: string, path: string, body?: unknown) =>
    Promise.resolve(
      runtime.app.fetch(
        new Request(`http://herald.test${path}`, {
          method,
          headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
      ),
    );
  const client = (o: { token?: string; licenseKey?: string; licenseSecret?: string } = {}) =>
    new Herald({ baseUrl: "http://herald.test", fetch: fetchApp, ...o });

  return {
    runtime,
    sim,
    engine,
    sql: runtime.ctx.sql,
    client,
    async tenant(o = {}) {
      const email = `t-${randomBytes(6).toString("hex")}@example.com`;
      const password = "correct horse battery";
      const consoleClient = client();
      const { tenantId, instanceId, token } = await consoleClient.signup({
        email,
        password,
        organization: `Org ${email}`,
      });
      if (o.plan) {
        const res = await admin("PUT", `/admin/v1/tenants/${tenantId}/plan`, { plan: o.plan });
        if (res.status !== 204) throw new Error(`could not set plan: ${res.status} ${await res.text()}`);
      }
      const key = await consoleClient.createBindingKey(instanceId, "test app");
      const signed = client({ token });
      return {
        email,
        password,
        tenantId,
        instanceId,
        console: signed,
        activity: client({ licenseKey: key.licenseKey, licenseSecret: key.licenseSecret }),
        licenseKey: key.licenseKey,
        licenseSecret: key.licenseSecret,
        bindingKeyId: key.id,
        async addWebhook(url: string, name = "Alerts") {
          return (await signed.createWebhook(instanceId, { name, url })).webhookId;
        },
      };
    },
    admin,
    async close() {
      await runtime.close();
      await sim.close();
      await database.close();
    },
  };
}

/**
 * The usual suite: a harness and one tenant on the unlimited plan, started before the enclosing
 * suite's tests (beforeAll) and closed after them (afterAll). The handles can be named at module
 * level but are only ready inside tests and hooks; reading one before beforeAll has run throws.
 */
export function useHarness(options: HarnessOptions = {}): { h: Harness; t: TestTenant } {
  const t = lateHandle<TestTenant>("the tenant");
  const h = harnessHooks(options, async (started) => t.set(await started.tenant({ plan: "unlimited" })));
  return { h, t: t.handle };
}

/** The harness alone, for suites whose tests sign their own tenants up; hooks as in useHarness. */
export function useHarnessOnly(options: HarnessOptions = {}): { h: Harness } {
  return { h: harnessHooks(options) };
}

function harnessHooks(options: HarnessOptions, prepare?: (started: Harness) => Promise<void>): Harness {
  const h = lateHandle<Harness>("the harness");
  let started: Harness | undefined;
  beforeAll(async () => {
    started = await startHarness(options);
    h.set(started);
    await prepare?.(started);
  });
  afterAll(() => started?.close());
  return h.handle;
}

/** Stands for a value a beforeAll hook makes: each property read goes to that value once it is set. */
function lateHandle<T extends object>(what: string): { handle: T; set(value: T): void } {
  let value: T | undefined;
  const handle = new Proxy({} as T, {
    get(_empty, property) {
      if (value === undefined) throw new Error(`${what} is read before its beforeAll has run`);
      return Reflect.get(value, property, value);
    },
  });
  return {
    handle,
    set(v) {
      value = v;
    },
  };
}
