// Herald's configuration: environment variables, parsed once at start. A bad value stops start-up
// with a message naming the variable.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  BOT_THREAD_POLICY,
  DEFAULT_ENTRA_AUTHORITY,
  DEFAULT_WEBHOOK_HOSTS,
  formatRatePolicy,
  invalidHostPatterns,
  isLoopbackHost,
  LEGACY_CONNECTOR_POLICY,
  parseHostPatterns,
  parseRatePolicy,
  type RatePolicy,
  WORKFLOWS_DEFAULT_RATE,
} from "@herald/core";
import type { BotConfig } from "@herald/delivery";
import { z } from "zod";
import { BotConfigError, loadBotConfig } from "./bot-config.ts";

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

/** Links Herald gives out are built on it (Stripe return pages, OpenAPI hosts, the Teams app package). */
function isPublicUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return (
    (url.protocol === "https:" || url.protocol === "http:") &&
    url.search === "" &&
    url.hash === "" &&
    url.username === "" &&
    url.password === ""
  );
}

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
      .optional(),
  ),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  HERALD_DATA_DIR: z.string().default("./.herald-data"),
  HERALD_SECRET: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
  HERALD_SECRET_PREVIOUS: optionalString,
  HERALD_WEBHOOK_HOSTS: optionalString.pipe(
    z
      .string()
      .transform(parseHostPatterns)
      .superRefine((patterns, issues) => {
        const bad = invalidHostPatterns(patterns);
        if (patterns.length === 0)
          issues.addIssue({ code: "custom", message: "lists no host; leave it unset for Microsoft's hosts" });
        else if (bad.length > 0)
          issues.addIssue({
            code: "custom",
            message: `${bad.map((p) => `"${p}"`).join(", ")} is not a host name, "*." and a host name, or an IP address (each with an optional ":port" or ":*")`,
          });
      })
      .optional(),
  ),
  HERALD_ADMIN_TOKEN: optionalString.pipe(z.string().min(16, "must be at least 16 characters").optional()),
  HERALD_PUBLIC_URL: optionalString.pipe(
    z
      .string()
      .refine(
        isPublicUrl,
        "must be Herald's absolute http(s) address, such as https://herald.contoso.com or https://contoso.com/herald (no query, fragment or credentials)",
      )
      .optional(),
  ),
  HERALD_TRUST_PROXY: z
    .string()
    .trim()
    .regex(/^(true|false|\d{1,2}|)$/, "must be true, false or the number of proxies in front of Herald")
    .default("false"),
  HERALD_WORKER: z.enum(["in-process", "off"]).default("in-process"),
  HERALD_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(64),
  HERALD_WORKER_LEASE_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  HERALD_WORKFLOWS_RATE: z.string().default(WORKFLOWS_DEFAULT_RATE),
  HERALD_LEGACY_RATE: z.string().default(formatRatePolicy(LEGACY_CONNECTOR_POLICY)),
  HERALD_BOT_RATE: z.string().default(formatRatePolicy(BOT_THREAD_POLICY)),
  HERALD_ENTRA_AUTHORITY: optionalString.pipe(
    z
      .string()
      .refine(entraAuthorityAllowed, {
        message:
          "must be an https:// URL such as https://login.microsoftonline.com (plain http only for a loopback host, in tests)",
      })
      .optional(),
  ),
  HERALD_RATE_GUARD_MS: z.coerce.number().int().min(0).max(5000).default(50),
  HERALD_SEND_TIMEOUT_MS: z.coerce.number().int().min(100).max(120000).default(10000),
  HERALD_RETRY_MAX_AGE_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(24 * 3600 * 1000),
  HERALD_RETENTION_DAYS: z.coerce.number().int().min(1).default(30),
  HERALD_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  HERALD_METRICS_TOKEN: optionalString.pipe(z.string().min(16, "must be at least 16 characters").optional()),
  HERALD_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(10_000),
  HERALD_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(60_000),
  HERALD_MAX_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(256),
  HERALD_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  STRIPE_SECRET_KEY: optionalString,
  STRIPE_WEBHOOK_SECRET: optionalString,
  STRIPE_API_BASE: optionalString.pipe(
    z
      .string()
      .regex(/^https?:\/\/[^/\s]+\/?$/, "must be an http(s) base URL such as http://127.0.0.1:12111")
      .optional(),
  ),
});

/** Entra is reached over https; a loopback authority (the emulator in tests) may use plain http. */
function entraAuthorityAllowed(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "") return false;
  if (url.protocol === "https:") return true;
  return url.protocol === "http:" && isLoopbackHost(url.hostname.replace(/^\[(.*)\]$/, "$1"));
}

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  dataDir: string;
  secret: string;
  previousSecret: string | undefined;
  webhookHosts: readonly string[];
  adminToken: string | undefined;
  publicUrl: string | undefined;
  /**
   * Proxies in front of Herald whose X-Forwarded-For / X-Forwarded-Proto it believes (0: none; the
   * socket's address is the client's and only HERALD_PUBLIC_URL says whether it is served over https).
   */
  trustProxyHops: number;
  worker: "in-process" | "off";
  workerConcurrency: number;
  workerLeaseMs: number;
  workflowsPolicy: RatePolicy;
  /** Microsoft's published connector limits unless HERALD_LEGACY_RATE says otherwise (tests scale them down). */
  legacyPolicy: RatePolicy;
  /** Microsoft's per-thread bot limits unless HERALD_BOT_RATE says otherwise (tests scale them down). */
  botPolicy: RatePolicy;
  /** Where Entra tokens are requested: `${entraAuthority}/{tenantId}/oauth2/v2.0/token`. */
  entraAuthority: string;
  rateGuardMs: number;
  sendTimeoutMs: number;
  retryMaxAgeMs: number;
  retentionDays: number;
  logLevel: string;
  /**
   * Where /metrics and /healthz are served on their own listener (a separate worker, or the api);
   * with it, the api's PORT does not serve /metrics unless metricsToken is set.
   */
  metricsPort: number | undefined;
  /** When set, /metrics on PORT answers only `Authorization: Bearer <token>`. */
  metricsToken: string | undefined;
  /** Slow clients: the whole header block, and the whole request, must arrive within these. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** Open connections one client address may hold (not applied behind a trusted proxy). */
  maxConnectionsPerAddress: number;
  stripe: { secretKey: string; webhookSecret: string | undefined; apiBase: string | undefined } | undefined;
  /** Herald's Teams bot (bot-config.ts); undefined without HERALD_BOT_APP_ID. */
  bot: BotConfig | undefined;
}

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const workflows = parseRatePolicy(e.HERALD_WORKFLOWS_RATE);
  if (!workflows.ok)
    throw new ConfigError(`Invalid configuration:\n  HERALD_WORKFLOWS_RATE: ${workflows.error}`);
  const legacy = parseRatePolicy(e.HERALD_LEGACY_RATE);
  if (!legacy.ok) throw new ConfigError(`Invalid configuration:\n  HERALD_LEGACY_RATE: ${legacy.error}`);
  const botRate = parseRatePolicy(e.HERALD_BOT_RATE);
  if (!botRate.ok) throw new ConfigError(`Invalid configuration:\n  HERALD_BOT_RATE: ${botRate.error}`);
  const dataDir = resolve(e.HERALD_DATA_DIR);
  let bot: BotConfig | undefined;
  try {
    bot = loadBotConfig(env);
  } catch (error) {
    if (error instanceof BotConfigError) throw new ConfigError(error.message);
    throw error;
  }
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    dataDir,
    secret: e.HERALD_SECRET ?? secretForEmbedded(e.DATABASE_URL, dataDir),
    previousSecret: e.HERALD_SECRET_PREVIOUS,
    webhookHosts: e.HERALD_WEBHOOK_HOSTS ?? DEFAULT_WEBHOOK_HOSTS,
    adminToken: e.HERALD_ADMIN_TOKEN,
    publicUrl: e.HERALD_PUBLIC_URL,
    trustProxyHops:
      e.HERALD_TRUST_PROXY === "true"
        ? 1
        : e.HERALD_TRUST_PROXY === "false"
          ? 0
          : Number(e.HERALD_TRUST_PROXY || 0),
    worker: e.HERALD_WORKER,
    workerConcurrency: e.HERALD_WORKER_CONCURRENCY,
    workerLeaseMs: e.HERALD_WORKER_LEASE_MS,
    workflowsPolicy: workflows.policy,
    legacyPolicy: legacy.policy,
    botPolicy: botRate.policy,
    entraAuthority: (e.HERALD_ENTRA_AUTHORITY ?? DEFAULT_ENTRA_AUTHORITY).replace(/\/+$/, ""),
    rateGuardMs: e.HERALD_RATE_GUARD_MS,
    sendTimeoutMs: e.HERALD_SEND_TIMEOUT_MS,
    retryMaxAgeMs: e.HERALD_RETRY_MAX_AGE_MS,
    retentionDays: e.HERALD_RETENTION_DAYS,
    logLevel: e.HERALD_LOG_LEVEL,
    metricsPort: e.HERALD_METRICS_PORT,
    metricsToken: e.HERALD_METRICS_TOKEN,
    headersTimeoutMs: e.HERALD_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: e.HERALD_REQUEST_TIMEOUT_MS,
    maxConnectionsPerAddress: e.HERALD_MAX_CONNECTIONS_PER_ADDRESS,
    bot,
    stripe: e.STRIPE_SECRET_KEY
      ? { secretKey: e.STRIPE_SECRET_KEY, webhookSecret: e.STRIPE_WEBHOOK_SECRET, apiBase: e.STRIPE_API_BASE }
      : undefined,
  };
}

/** For process entry points: a bad configuration stops start-up with the message naming the variable. */
export function loadConfigOrExit(env: Record<string, string | undefined> = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

/**
 * The embedded default generates its secret once and keeps it beside its data, so sessions and
 * encrypted URLs survive restarts. Replicas sharing a PostgreSQL must share a secret: require it.
 */
function secretForEmbedded(databaseUrl: string | undefined, dataDir: string): string {
  if (databaseUrl) {
    throw new ConfigError(
      "Invalid configuration:\n  HERALD_SECRET: required when DATABASE_URL is set (every replica must use the same secret); generate one with `openssl rand -hex 32`",
    );
  }
  const file = join(dataDir, "secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString("hex");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
