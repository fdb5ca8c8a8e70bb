// Housekeeping that wherever delivery runs also does: channels stranded by a crashed worker are
// handed back, rate-limit bookkeeping older than any window is pruned, message bodies past the
// retention period are purged, and periodic jobs of the host (overage reports to Stripe) run.
// Every replica may run it; each statement is idempotent, so replicas never need to agree on one.
import {
  pruneRateCounters,
  pruneSends,
  pruneTenantSends,
  purgeMessageBodies,
  sweepStrandedChannels,
} from "@herald/db";
import type { DeliveryContext } from "./context.ts";
import { longestWindowMs } from "./kinds/index.ts";

/** A job of the host run on the housekeeping schedule; a pass still running is not started twice. */
export interface PeriodicJob {
  readonly name: string;
  readonly everyMs: number;
  run(): Promise<unknown>;
}

export const HOUSEKEEPING_MS = 60_000;

export class Housekeeping {
  private lastSweepMs = Number.NEGATIVE_INFINITY;
  private readonly lastRunMs = new Map<string, number>();
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(
    private readonly ctx: DeliveryContext,
    private readonly jobs: readonly PeriodicJob[] = [],
  ) {}

  /** Runs what is due at `nowMs`: the sweep in line (the claim loop waits for it), jobs in the background. */
  async runDue(nowMs: number): Promise<void> {
    for (const job of this.jobs) {
      if (this.running.has(job.name)) continue;
      const last = this.lastRunMs.get(job.name);
      // A job's first pass is one interval after start, as with setInterval.
      if (last === undefined) this.lastRunMs.set(job.name, nowMs);
      if (last === undefined || nowMs - last < job.everyMs) continue;
      this.lastRunMs.set(job.name, nowMs);
      const pass = job
        .run()
        .catch((error: unknown) =>
          this.ctx.logger.error({ err: error, job: job.name }, "periodic job failed"),
        )
        .finally(() => this.running.delete(job.name));
      this.running.set(job.name, pass);
    }
    if (nowMs - this.lastSweepMs < HOUSEKEEPING_MS) return;
    this.lastSweepMs = nowMs;
    await this.sweep(nowMs);
  }

  private async sweep(nowMs: number): Promise<void> {
    const { sql, config } = this.ctx;
    await sweepStrandedChannels(sql);
    await pruneRateCounters(sql, { olderThanMs: 3_600_000 });
    await pruneSends(sql, { olderThanMs: longestWindowMs(config) + 3_600_000 });
    await pruneTenantSends(sql, { olderThanMs: 60_000 });
    await purgeMessageBodies(sql, { olderThan: new Date(nowMs - config.retentionDays * 86_400_000) });
  }

  /** Waits for jobs in flight (at shutdown). */
  async settle(): Promise<void> {
    await Promise.allSettled(this.running.values());
  }
}
