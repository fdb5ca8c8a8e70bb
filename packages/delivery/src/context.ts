// What the delivery engine needs from the runtime that hosts it (the api process, or a worker
// process on its own): the database, its settings, the URL keyring, a clock, signals, a logger and
// metrics. It is a narrow interface so that delivery depends on no HTTP code.
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import type { RatePolicy } from "@herald/core";
import type { DiskFullReporter, Sql } from "@herald/db";
import type { Logger } from "pino";
import type { BotClient, BotConfig } from "./bot-client.ts";

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

export interface DeliveryConfig {
  readonly workerConcurrency: number;
  readonly workerLeaseMs: number;
  readonly sendTimeoutMs: number;
  readonly webhookHosts: readonly string[];
  readonly workflowsPolicy: RatePolicy;
  /** Where Entra tokens are requested for flows restricted to a tenant's users. */
  readonly entraAuthority: string;
  readonly legacyPolicy: RatePolicy;
  /** Per bot per thread: Microsoft's limits, or scaled down in tests. */
  readonly botPolicy: RatePolicy;
  readonly rateGuardMs: number;
  readonly retryMaxAgeMs: number;
  readonly retentionDays: number;
  /** Herald's Teams bot; undefined when the operator has not configured one. */
  readonly bot?: BotConfig | undefined;
}

export interface UrlKeyring {
  decryptUrl(ciphertext: Uint8Array, keyId: string): string;
  /** Entra client secrets, kept under the same keys as webhook URLs. */
  decryptSecret(ciphertext: Uint8Array, keyId: string): string;
}

/** The counters delivery moves; the host's Prometheus registry implements them. */
export interface DeliveryMetrics {
  countMessages(status: "accepted" | "delivered" | "failed" | "retrying", amount?: number): void;
  observeDelivery(outcome: "delivered" | "failed", acceptedAt: Date, nowMs: number): void;
  countRateLimitWait(source: "teams" | "window"): void;
}

export interface DeliveryContext {
  readonly sql: Sql;
  /** Claims, reservations, settlements and releases: commits that need not wait for the disk (Database.leaseSql). */
  readonly leaseSql: Sql;
  readonly engine: "postgres" | "embedded";
  readonly config: DeliveryConfig;
  readonly keys: UrlKeyring;
  readonly clock: Clock;
  readonly signals: DeliverySignals;
  readonly logger: Logger;
  readonly metrics: DeliveryMetrics;
  readonly diskFull: DiskFullReporter;
  /** Herald's Teams bot client; undefined when no bot is configured. */
  readonly bot?: BotClient | undefined;
}

/** A finished message's stored state, as a waiting sendMessage presents it. */
export interface FinalState {
  readonly status: "delivered" | "failed";
  readonly statusMessage: string;
  readonly lastHttpStatus: number | null;
}

export interface DisabledWebhook {
  readonly id: string;
  readonly tenantId: string;
}

/**
 * In-process signals between the api and a worker in the same process: "new work" wakes the
 * worker without waiting for its poll, "message finished" wakes a waiting sendMessage call,
 * "webhooks disabled" lets the api's webhook cache forget them at once. Across processes the same
 * happens through NOTIFY and polling, so this is an optimisation, never a need.
 */
export class DeliverySignals extends EventEmitter {
  /**
   * Names this process in its NOTIFY payloads: its own worker, already woken in-process, skips
   * them rather than claim a second time for the same work.
   */
  readonly origin = randomBytes(8).toString("hex");

  constructor() {
    super();
    this.setMaxListeners(0);
  }
  workQueued(): void {
    this.emit("work");
  }
  /**
   * A message left the queue (its outcome is committed). `final`, when given, is what was stored,
   * so a waiting sendMessage answers without reading the row back.
   */
  messageFinished(messageId: string, final?: FinalState): void {
    this.emit(`finished:${messageId}`, final);
  }
  webhooksDisabled(webhooks: readonly DisabledWebhook[]): void {
    if (webhooks.length > 0) this.emit("webhooks-disabled", webhooks);
  }
}

export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
