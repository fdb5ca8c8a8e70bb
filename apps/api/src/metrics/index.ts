// Herald's Prometheus metrics. One registry per runtime (carried on its AppContext), never prom-client's
// global one: tests start several runtimes in one process, and each must report only its own work.
import { channelHealthCounts, queueStats } from "@herald/db";
import type { DeliveryMetrics } from "@herald/delivery";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { AppContext } from "../context.ts";

export type MessageMetricStatus = "accepted" | "delivered" | "failed" | "retrying";
export type RateLimitWaitSource = "teams" | "window";

export class HeraldMetrics implements DeliveryMetrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: "herald_http_requests_total",
    help: "HTTP requests answered, by method, route pattern and status.",
    labelNames: ["method", "route", "status"] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: "herald_http_request_duration_seconds",
    help: "Time to answer an HTTP request (sendMessage includes its wait for Teams), by method and route pattern.",
    labelNames: ["method", "route"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly messages = new Counter({
    name: "herald_messages_total",
    help: "Messages by outcome: accepted into the queue, delivered, failed for good, or re-queued for a retry.",
    labelNames: ["status"] as const,
    registers: [this.registry],
  });

  readonly deliveryLatency = new Histogram({
    name: "herald_delivery_latency_seconds",
    help: "From acceptance to Teams' final answer (queueing, rate-limit waits and retries included), by outcome.",
    labelNames: ["outcome"] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 14400],
    registers: [this.registry],
  });

  readonly rateLimitWaits = new Counter({
    name: "herald_rate_limit_waits_total",
    help: "Sends that had to wait: 'window' when Herald's own copy of Teams' rate windows deferred them, 'teams' when Teams answered 429.",
    labelNames: ["source"] as const,
    registers: [this.registry],
  });

  private readonly queueDepth = new Gauge({
    name: "herald_queue_depth",
    help: "Messages queued for delivery (read from the database at scrape time; the same for every replica).",
    registers: [this.registry],
  });

  private readonly oldestQueuedAge = new Gauge({
    name: "herald_queue_oldest_age_seconds",
    help: "Age of the oldest queued message; 0 when the queue is empty.",
    registers: [this.registry],
  });

  private readonly channelsPaused = new Gauge({
    name: "herald_channels_paused",
    help: "Channels (distinct Teams webhook URLs) paused after Teams answered 429.",
    registers: [this.registry],
  });

  private readonly channelsDisabled = new Gauge({
    name: "herald_channels_disabled",
    help: "Channels whose webhooks Herald disabled (404/410 from Teams, or repeated unknown 400s).",
    registers: [this.registry],
  });

  private readonly databaseUp = new Gauge({
    name: "herald_database_up",
    help: "1 when the last scrape could read the database, else 0.",
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    // Process metrics (CPU, memory, event-loop lag, GC) under the same prefix.
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: "herald_" });
  }

  countMessages(status: MessageMetricStatus, amount = 1): void {
    if (amount > 0) this.messages.inc({ status }, amount);
  }

  observeDelivery(outcome: "delivered" | "failed", acceptedAt: Date, nowMs: number): void {
    this.deliveryLatency.observe({ outcome }, Math.max(0, nowMs - acceptedAt.getTime()) / 1000);
  }

  countRateLimitWait(source: RateLimitWaitSource): void {
    this.rateLimitWaits.inc({ source });
  }

  /** Reads the database-backed gauges; cheap queries over partial indexes, run once per scrape. */
  async refreshFromDatabase(sql: AppContext["sql"], nowMs: number): Promise<void> {
    try {
      const [queue, channels] = await Promise.all([queueStats(sql), channelHealthCounts(sql)]);
      this.queueDepth.set(queue.queued);
      this.oldestQueuedAge.set(
        queue.oldestQueuedAt ? Math.max(0, nowMs - queue.oldestQueuedAt.getTime()) / 1000 : 0,
      );
      this.channelsPaused.set(channels.paused);
      this.channelsDisabled.set(channels.disabled);
      this.databaseUp.set(1);
    } catch {
      // Keep the last values; an unreachable database shows as herald_database_up 0, not a failed scrape.
      this.databaseUp.set(0);
    }
  }

  /** The exposition text, after refreshing the database gauges. */
  async render(sql: AppContext["sql"], nowMs: number): Promise<string> {
    await this.refreshFromDatabase(sql, nowMs);
    return this.registry.metrics();
  }
}
