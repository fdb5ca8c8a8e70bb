// The claim loop. It leases ready channels (FOR UPDATE SKIP LOCKED + locked_until) and runs one
// channel task per channel; idle and waiting channels cost nothing: the loop sleeps until the
// earliest ready time, or until new work is signalled. The statements every task makes (due
// messages, reservations, outcomes, releases) go through Batchers, so the database sees one
// statement per batch of concurrent tasks rather than one per send.
import { randomBytes } from "node:crypto";
import {
  Batcher,
  type ClaimedChannel,
  claimChannels,
  databaseFault,
  dueMessagesOf,
  nextWakeAt,
  recentSendsOf,
  recordOutcomes,
  releaseChannels,
  reserveSends,
  settleSendSlots,
} from "@herald/db";
import { type ChannelStatements, type ChannelTaskEnv, serveChannel } from "./channel-task.ts";
import { type DeliveryContext, utcDay } from "./context.ts";
import { EntraTokens } from "./entra-tokens.ts";
import { Housekeeping, type PeriodicJob } from "./housekeeping.ts";
import { createPoster, type Poster } from "./poster.ts";
import { WakeUp } from "./wake-up.ts";

export interface WorkerOptions {
  concurrency?: number;
  leaseMs?: number;
  /** Longest pause a channel task sleeps while holding its lease before it hands the channel back. */
  maxHoldMs?: number;
  /** Most messages one channel task sends before giving other channels their turn. */
  fairnessBudget?: number;
  pollMs?: number;
  /** Posts to Teams; tests may pass their own. */
  poster?: Poster;
  /** The host's periodic jobs (overage reports), run on the housekeeping schedule. */
  jobs?: readonly PeriodicJob[];
  /**
   * Awaited between a claim and the sleep after it, where the loop is busy and a wake-up must be
   * kept rather than lost; the wake-up test holds the loop here while it enqueues.
   */
  beforeSleep?: () => Promise<void>;
}

/** How long the worker claims nothing after the database said its disk is full. */
const DISK_FULL_HOLD_MS = 10_000;

export class DeliveryWorker {
  readonly owner = `w-${process.pid}-${randomBytes(4).toString("hex")}`;
  private readonly poster: Poster;
  /** Entra tokens, shared by this worker's channel tasks. */
  readonly tokens: EntraTokens;
  private readonly active = new Map<string, Promise<void>>();
  private running = false;
  private loop: Promise<void> | undefined;
  /** New work, a free slot or a stop; kept if it arrives while the loop is busy, not asleep. */
  private readonly wakeUp = new WakeUp();
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly housekeeping: Housekeeping;
  private readonly taskEnv: ChannelTaskEnv;
  private unlisten: (() => Promise<void>) | undefined;
  private readonly onWork = () => this.wake();
  private slotTimer: NodeJS.Timeout | undefined;
  private diskFullUntil = 0;
  private readonly beforeSleep: (() => Promise<void>) | undefined;

  constructor(
    private readonly ctx: DeliveryContext,
    options: WorkerOptions = {},
  ) {
    this.concurrency = options.concurrency ?? ctx.config.workerConcurrency;
    this.leaseMs = options.leaseMs ?? ctx.config.workerLeaseMs;
    this.pollMs = options.pollMs ?? 1_000;
    this.beforeSleep = options.beforeSleep;
    this.poster =
      options.poster ??
      createPoster({
        timeoutMs: ctx.config.sendTimeoutMs,
        allowedHosts: ctx.config.webhookHosts,
        connections: 32,
      });
    this.housekeeping = new Housekeeping(ctx, options.jobs);
    const statements: ChannelStatements = {
      reservations: new Batcher((items) =>
        reserveSends(ctx.leaseSql, { owner: this.owner, leaseMs: this.leaseMs, items }),
      ),
      settlements: new Batcher((slotIds) => settleSendSlots(ctx.leaseSql, { slotIds })),
      dueLists: new Batcher((channelIds) => dueMessagesOf(ctx.sql, { channelIds, limit: 20 })),
      recentSends: new Batcher((items) => recentSendsOf(ctx.sql, items)),
      releases: new Batcher(async (items) => {
        await releaseChannels(ctx.leaseSql, { owner: this.owner, items });
        return items.map(() => undefined);
      }),
      outcomes: new Batcher(async (outcomes) => {
        await recordOutcomes(ctx.sql, { outcomes, day: utcDay(ctx.clock.now()) });
        return outcomes.map(() => undefined);
      }),
    };
    this.tokens = new EntraTokens(ctx);
    this.taskEnv = {
      ctx,
      poster: this.poster,
      tokens: this.tokens,
      statements,
      options: { maxHoldMs: options.maxHoldMs ?? 1_500, fairnessBudget: options.fairnessBudget ?? 100 },
      running: () => this.running,
      crowded: () => this.active.size >= this.concurrency,
    };
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.ctx.signals.on("work", this.onWork);
    if (this.ctx.engine === "postgres") {
      // Other processes enqueue too: NOTIFY wakes this worker at once; polling stays the fallback.
      const listener = await this.ctx.sql
        .listen("herald_work", (origin) => {
          if (origin !== this.ctx.signals.origin) this.wake();
        })
        .catch(() => undefined);
      this.unlisten = listener?.unlisten;
    }
    this.loop = this.run();
  }

  wake(): void {
    this.wakeUp.ring();
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
    await this.housekeeping.settle();
    await this.unlisten?.().catch(() => undefined);
    await this.poster.close();
    await this.tokens.close();
  }

  /**
   * The database is out of disk space. A post whose outcome cannot be recorded is sent again once
   * its lease lapses, so while the disk is full the worker claims nothing for a while rather than
   * repeat posts it cannot record.
   */
  private onDiskFull(error: unknown): void {
    const nowMs = this.ctx.clock.now().getTime();
    this.ctx.diskFull.report(error, nowMs);
    this.diskFullUntil = nowMs + DISK_FULL_HOLD_MS;
  }

  /**
   * A channel task ended. Tasks ending within a few milliseconds share one claim; a worker with
   * most slots free claims at once.
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

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const held = this.diskFullUntil - this.ctx.clock.now().getTime();
        if (held > 0) {
          await this.sleep(held);
          continue;
        }
        await this.housekeeping.runDue(this.ctx.clock.now().getTime());
        // Wakes from here on are for work this claim may not see yet; earlier ones it serves.
        this.wakeUp.clear();
        const free = this.concurrency - this.active.size;
        let claimed: ClaimedChannel[] = [];
        if (free > 0) {
          claimed = await claimChannels(this.ctx.leaseSql, {
            owner: this.owner,
            leaseMs: this.leaseMs,
            limit: free,
            busy: [...this.active.keys()],
          });
          for (const channel of claimed) this.spawn(channel);
        }
        if (free > 0 && claimed.length === free) continue;
        const ms = await this.sleepMs();
        await this.beforeSleep?.();
        await this.sleep(ms);
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
    return this.running ? this.wakeUp.wait(ms) : Promise.resolve();
  }

  private spawn(channel: ClaimedChannel): void {
    const task = serveChannel(this.taskEnv, channel)
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
}
