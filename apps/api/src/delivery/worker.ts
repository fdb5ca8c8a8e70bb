// The delivery worker. It leases ready channels (FOR UPDATE SKIP LOCKED + locked_until), sends each
// channel's due messages in FIFO order while Teams' rate windows allow, and releases the channel with
// the time it may send next. Idle and waiting channels cost nothing: the worker sleeps until the
// earliest ready time, or until new work is signalled. Each channel is one task; the statements
// every task makes (due messages, reservations, outcomes, releases) go through Batchers, so the
// database sees one statement per batch of concurrent tasks rather than one per send.
import { randomBytes } from "node:crypto";
import {
  classifyTeamsAnswer,
  DEFAULT_RETRY,
  decideDelivery,
  LEGACY_CONNECTOR_POLICY,
  longestPeriodMs,
  nextSendAt,
  type RatePolicy,
  withGuard,
} from "@herald/core";
import {
  addUsage,
  type ClaimedChannel,
  claimChannels,
  type DueMessage,
  dueMessagesOf,
  loadSends,
  nextWakeAt,
  type OutcomeWithUsage,
  pruneRateCounters,
  pruneSends,
  purgeMessageBodies,
  recordMessageOutcome,
  recordOutcomes,
  releaseChannels,
  reserveSends,
  type SendReservation,
  settleSendSlots,
  sweepStrandedChannels,
} from "@herald/db";
import { Batcher } from "../batcher.ts";
import { type AppContext, utcDay } from "../context.ts";
import { databaseFault, reportDiskFull } from "../db-faults.ts";
import { metricsFor } from "../metrics/index.ts";
import { applyDecision, countOutcome, plainOutcome } from "./apply.ts";
import { createPoster, type Poster } from "./poster.ts";

export interface WorkerOptions {
  concurrency?: number;
  leaseMs?: number;
  /** Longest pause a channel task sleeps while holding its lease before it hands the channel back. */
  maxHoldMs?: number;
  /** Most messages one channel task sends before giving other channels their turn. */
  fairnessBudget?: number;
  pollMs?: number;
}

const HOUSEKEEPING_MS = 60_000;
/** How long the worker claims nothing after the database said its disk is full. */
const DISK_FULL_HOLD_MS = 10_000;

export class DeliveryWorker {
  readonly owner = `w-${process.pid}-${randomBytes(4).toString("hex")}`;
  private readonly poster: Poster;
  private readonly active = new Map<string, Promise<void>>();
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly maxHoldMs: number;
  private readonly fairnessBudget: number;
  private readonly pollMs: number;
  private lastHousekeeping = 0;
  private unlisten: (() => Promise<void>) | undefined;
  private readonly onWork = () => this.wake();
  // The statements every send makes, batched across this worker's concurrent channel tasks.
  private readonly reservations: Batcher<SendReservation, { atMs: number; slotId: string | null } | null>;
  private readonly settlements: Batcher<string, number>;
  private readonly outcomes: Batcher<OutcomeWithUsage, undefined>;
  private readonly dueLists: Batcher<string, DueMessage[]>;
  private readonly releases: Batcher<{ channelId: string; notBefore: Date | null }, undefined>;

  constructor(
    private readonly ctx: AppContext,
    options: WorkerOptions = {},
  ) {
    this.concurrency = options.concurrency ?? ctx.config.workerConcurrency;
    this.leaseMs = options.leaseMs ?? ctx.config.workerLeaseMs;
    this.maxHoldMs = options.maxHoldMs ?? 1_500;
    this.fairnessBudget = options.fairnessBudget ?? 100;
    this.pollMs = options.pollMs ?? 1_000;
    this.poster = createPoster({
      timeoutMs: ctx.config.sendTimeoutMs,
      allowedHosts: ctx.config.webhookHosts,
      connections: 32,
    });
    this.reservations = new Batcher((items) =>
      reserveSends(ctx.sql, { owner: this.owner, leaseMs: this.leaseMs, items }),
    );
    this.settlements = new Batcher((slotIds) => settleSendSlots(ctx.sql, { slotIds }));
    this.dueLists = new Batcher((channelIds) => dueMessagesOf(ctx.sql, { channelIds, limit: 20 }));
    this.releases = new Batcher(async (items) => {
      await releaseChannels(ctx.sql, { owner: this.owner, items });
      return items.map(() => undefined);
    });
    this.outcomes = new Batcher(async (outcomes) => {
      await recordOutcomes(ctx.sql, { outcomes, day: utcDay(ctx.clock.now()) });
      return outcomes.map(() => undefined);
    });
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.ctx.signals.on("work", this.onWork);
    if (this.ctx.engine === "postgres") {
      // Other processes enqueue too: NOTIFY wakes this worker at once; polling stays the fallback.
      const listener = await this.ctx.sql.listen("herald_work", () => this.wake()).catch(() => undefined);
      this.unlisten = listener?.unlisten;
    }
    this.loop = this.run();
  }

  wake(): void {
    this.wakeUp?.();
  }

  private slotTimer: NodeJS.Timeout | undefined;
  private diskFullUntil = 0;

  /**
   * The database is out of disk space. A post whose outcome cannot be recorded is sent again once
   * its lease lapses, so while the disk is full the worker claims nothing for a while rather than
   * repeat posts it cannot record.
   */
  private onDiskFull(error: unknown): void {
    reportDiskFull(this.ctx, error);
    this.diskFullUntil = Date.now() + DISK_FULL_HOLD_MS;
  }

  /**
   * A channel task ended. Claiming at once for every ended task made two queries per channel
   * (claim, next wake time); tasks ending within a few milliseconds now share one claim, and a
   * worker with most slots free claims at once.
   */
  private wakeForFreeSlots(): void {
    if (this.concurrency - this.active.size >= Math.max(1, this.concurrency / 2)) {
      clearTimeout(this.slotTimer);
      this.slotTimer = undefined;
      this.wake();
      return;
    }
    this.slotTimer ??= setTimeout(() => {
      this.slotTimer = undefined;
      this.wake();
    }, 5);
  }

  /** Stops claiming, lets in-flight sends finish and releases every lease. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearTimeout(this.slotTimer);
    this.ctx.signals.off("work", this.onWork);
    this.wake();
    await this.loop;
    await Promise.allSettled(this.active.values());
    await this.unlisten?.().catch(() => undefined);
    await this.poster.close();
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const held = this.diskFullUntil - Date.now();
        if (held > 0) {
          await this.sleep(held);
          continue;
        }
        await this.housekeeping();
        const free = this.concurrency - this.active.size;
        let claimed: ClaimedChannel[] = [];
        if (free > 0) {
          claimed = await claimChannels(this.ctx.sql, {
            owner: this.owner,
            leaseMs: this.leaseMs,
            limit: free,
            busy: [...this.active.keys()],
          });
          for (const channel of claimed) this.spawn(channel);
        }
        if (free > 0 && claimed.length === free) continue;
        await this.sleep(await this.sleepMs());
      } catch (error) {
        if (!this.running) break;
        if (databaseFault(error) === "disk_full") this.onDiskFull(error);
        else this.ctx.logger.error({ err: error }, "delivery loop error; retrying in 1s");
        await this.sleep(1000);
      }
    }
  }

  private async sleepMs(): Promise<number> {
    const { wakeAt, dbNow } = await nextWakeAt(this.ctx.sql);
    if (!wakeAt) return this.pollMs;
    return Math.max(5, Math.min(this.pollMs, wakeAt.getTime() - dbNow.getTime()));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = undefined;
        done();
      };
    });
  }

  private spawn(channel: ClaimedChannel): void {
    const task = this.work(channel)
      .catch((error: unknown) =>
        databaseFault(error) === "disk_full"
          ? this.onDiskFull(error)
          : this.ctx.logger.error({ err: error, channelId: channel.id }, "channel task failed"),
      )
      .finally(() => {
        this.active.delete(channel.id);
        this.wakeForFreeSlots();
      });
    this.active.set(channel.id, task);
  }

  private policyFor(kind: ClaimedChannel["kind"]): RatePolicy {
    const base = kind === "legacy" ? LEGACY_CONNECTOR_POLICY : this.ctx.config.workflowsPolicy;
    return base.length > 0 ? withGuard(base, this.ctx.config.rateGuardMs) : base;
  }

  private async work(channel: ClaimedChannel): Promise<void> {
    // All rate arithmetic runs on the database clock, shared by every replica.
    const offset = channel.dbNow.getTime() - Date.now();
    const now = () => Date.now() + offset;
    const policy = this.policyFor(channel.kind);
    const windowMs = longestPeriodMs(policy);
    const sends = windowMs > 0 ? await loadSends(this.ctx.sql, { channelId: channel.id, windowMs }) : [];
    let badRequests = channel.consecutiveBadRequests;
    let notBefore: number | null = channel.pausedUntil ? channel.pausedUntil.getTime() : null;
    let sent = 0;
    const urls = new Map<string, string>();

    try {
      work: while (this.running && (notBefore === null || notBefore <= now())) {
        notBefore = null;
        const batch = await this.dueLists.submit(channel.id);
        if (batch.length === 0) break;
        for (const message of batch) {
          if (!this.running) break work;
          if (!message.webhookActive || message.webhookDeleted) {
            await this.failUnsendable(message);
            continue;
          }
          if (windowMs > 0) {
            const at = nextSendAt(policy, pruneOld(sends, now(), windowMs), now());
            if (at > now()) {
              metricsFor(this.ctx).rateLimitWaits.inc({ source: "window" });
              if (at - now() > this.maxHoldMs) {
                notBefore = at;
                await this.markWaiting(message, at);
                break work;
              }
              await delay(at - now());
            }
          }
          const reserved = await this.reservations.submit({
            channelId: channel.id,
            messageId: message.id,
            record: windowMs > 0,
          });
          if (reserved === null) return; // lease lost: another worker serves this channel now
          // Without windows the attempt is counted with the outcome (see reserveSends).
          const outcome = await this.deliver(channel, message, badRequests, windowMs === 0, urls);
          if (reserved.slotId !== null) sends.push(await this.settlements.submit(reserved.slotId));
          badRequests = outcome.badRequests;
          sent++;
          if (outcome.pauseUntil !== null) {
            notBefore = outcome.pauseUntil;
            break work;
          }
          if (outcome.disabled) break work;
          if (sent >= this.fairnessBudget) break work;
        }
      }
    } finally {
      await this.releases.submit({
        channelId: channel.id,
        notBefore: notBefore === null ? null : new Date(notBefore),
      });
    }
  }

  private async deliver(
    channel: ClaimedChannel,
    message: DueMessage,
    badRequests: number,
    attempted: boolean,
    urls: Map<string, string>,
  ) {
    const started = Date.now();
    // One decryption per webhook per channel visit, not per message.
    let url = urls.get(message.webhookId);
    if (url === undefined) {
      url = this.ctx.keys.decryptUrl(message.urlCiphertext, message.urlKeyId);
      urls.set(message.webhookId, url);
    }
    const answer = message.payload
      ? await this.poster.post(url, message.payload)
      : ({ type: "network_error", error: "message body was purged before delivery" } as const);
    const nowMs = Date.now();
    if (answer.type === "refused") return this.refuse(channel, message, answer.reason);
    const classification = classifyTeamsAnswer(channel.kind, answer, nowMs);
    const decision = decideDelivery(classification, {
      attempts: message.attempts + 1,
      queuedAtMs: message.createdAt.getTime(),
      nowMs,
      consecutiveBadRequests: badRequests,
      random: Math.random,
      retry: { ...DEFAULT_RETRY, maxAgeMs: this.ctx.config.retryMaxAgeMs },
      throttlePauseMs: 60_000,
    });
    const httpStatus = answer.type === "response" ? answer.status : null;
    const teamsText = "text" in classification ? classification.text : null;
    const plain = plainOutcome({
      message,
      decision,
      httpStatus,
      previousBadRequests: badRequests,
      attempted,
    });
    if (plain) {
      // The common case (delivered, or a plain retry): one statement shared with other channels.
      await this.outcomes.submit(plain);
      countOutcome(this.ctx, message, decision, plain.counter ? [plain.counter] : []);
      if (plain.status !== "queued") this.ctx.signals.messageFinished(message.id);
      return { badRequests, pauseUntil: null, disabled: false };
    }
    const applied = await applyDecision(this.ctx, {
      channelId: channel.id,
      message,
      decision,
      httpStatus,
      teamsText,
      classification: classification.kind,
      previousBadRequests: badRequests,
      attempted,
    });
    for (const id of applied.finishedMessageIds) this.ctx.signals.messageFinished(id);
    if (decision.errorLog) {
      this.ctx.logger.warn(
        {
          messageId: message.id,
          webhookId: message.webhookId,
          status: httpStatus,
          kind: decision.errorLog.kind,
          ms: Date.now() - started,
        },
        decision.errorLog.action,
      );
    }
    const c = decision.channel;
    return {
      badRequests: c.action === "count_bad_request" ? c.consecutive : c.action === "none" ? badRequests : 0,
      pauseUntil: c.action === "pause" ? c.untilMs : null,
      disabled: c.action === "disable",
    };
  }

  /** Herald itself refused to post (SSRF guard): nothing was sent; the channel is disabled with the reason. */
  private async refuse(channel: ClaimedChannel, message: DueMessage, reason: string) {
    const sentence = `Herald refused to post to this webhook URL: ${reason}`;
    const applied = await applyDecision(this.ctx, {
      channelId: channel.id,
      message,
      decision: {
        message: { action: "fail", reason: sentence },
        channel: { action: "disable", reason: sentence },
        errorLog: { kind: "URL Not Allowed", action: "Message failed; channel disabled" },
        userMessage: sentence,
      },
      httpStatus: null,
      teamsText: null,
      classification: "refused",
      previousBadRequests: 0,
    });
    for (const id of applied.finishedMessageIds) this.ctx.signals.messageFinished(id);
    this.ctx.logger.warn(
      { messageId: message.id, webhookId: message.webhookId },
      "post refused by the SSRF guard",
    );
    return { badRequests: 0, pauseUntil: null, disabled: true };
  }

  private async failUnsendable(message: DueMessage): Promise<void> {
    const reason = message.webhookDeleted
      ? "Not delivered: the webhook was deleted."
      : `Not delivered: the webhook is inactive.${message.disabledReason ? ` ${message.disabledReason}` : ""}`;
    await this.ctx.sql.begin(async (tx) => {
      await recordMessageOutcome(tx, {
        id: message.id,
        status: "failed",
        statusMessage: reason,
        lastHttpStatus: null,
      });
      await addUsage(tx, [
        {
          tenantId: message.tenantId,
          instanceId: message.instanceId,
          day: utcDay(this.ctx.clock.now()),
          counter: "messagesFailed",
          amount: 1,
        },
      ]);
    });
    metricsFor(this.ctx).countMessages("failed");
    this.ctx.signals.messageFinished(message.id);
  }

  private async markWaiting(message: DueMessage, at: number): Promise<void> {
    await recordMessageOutcome(this.ctx.sql, {
      id: message.id,
      status: "queued",
      statusMessage: `Waiting for Teams' rate limit on this channel; it allows the next post at ${new Date(at).toISOString()}.`,
      lastHttpStatus: null,
    });
  }

  private async housekeeping(): Promise<void> {
    if (Date.now() - this.lastHousekeeping < HOUSEKEEPING_MS) return;
    this.lastHousekeeping = Date.now();
    await sweepStrandedChannels(this.ctx.sql);
    await pruneRateCounters(this.ctx.sql, { olderThanMs: 3_600_000 });
    await pruneSends(this.ctx.sql, { olderThanMs: longestPeriodMs(LEGACY_CONNECTOR_POLICY) + 3_600_000 });
    await purgeMessageBodies(this.ctx.sql, {
      olderThan: new Date(this.ctx.clock.now().getTime() - this.ctx.config.retentionDays * 86_400_000),
    });
  }
}

function pruneOld(sends: number[], nowMs: number, windowMs: number): number[] {
  let drop = 0;
  while (drop < sends.length && (sends[drop] ?? 0) <= nowMs - windowMs) drop++;
  if (drop > 0) sends.splice(0, drop);
  return sends;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
