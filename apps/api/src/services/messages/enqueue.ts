// Group commit for sendMessage: requests that arrive together are stored together. Messages no
// quota can refuse go in one statement per batch (one round trip); messages under a monthly limit
// share one transaction in which each gets its own race-free quota decision (a conditional upsert
// per message, pipelined).
import { checkQuota } from "@herald/core";
import {
  addUsage,
  enqueueUnrefusable,
  insertMessages,
  type NewMessage,
  returnMonthlyMessages,
  type Sql,
  takeMonthlyMessages,
} from "@herald/db";
import { type AppContext, utcDay, utcMonth } from "../../context.ts";
import { DomainError } from "../../errors.ts";
import { metricsFor } from "../../metrics/index.ts";

export interface EnqueueRequest {
  message: NewMessage;
  /** null: the plan has no monthly limit or bills overage; the counter still counts. */
  monthlyLimit: number | null;
  planName: string;
  countsAgainstQuota: boolean;
}

export type EnqueueResult = { outcome: "queued" } | { outcome: "duplicate" };

interface Pending {
  request: EnqueueRequest;
  resolve: (result: EnqueueResult) => void;
  reject: (error: unknown) => void;
}

const MAX_BATCH = 256;

/** Under a monthly limit that can refuse it (a limited plan without overage billing, not a connection test). */
const isLimited = (p: Pending) => p.request.countsAgainstQuota && p.request.monthlyLimit !== null;

export class Enqueuer {
  private pending: Pending[] = [];
  private flushing = false;

  constructor(private readonly ctx: AppContext) {}

  enqueue(request: EnqueueRequest): Promise<EnqueueResult> {
    return new Promise((resolve, reject) => {
      this.pending.push({ request, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, MAX_BATCH);
      const limited = batch.filter(isLimited);
      const unrefusable = batch.filter((p) => !isLimited(p));
      await Promise.all([
        this.settle(unrefusable, (b) => this.commitUnrefusable(b)),
        this.settle(limited, (b) => this.commitLimited(b)),
      ]);
    }
    this.flushing = false;
    this.ctx.signals.workQueued();
    // Workers in other processes LISTEN for this; without it they would find the work by polling.
    if (this.ctx.engine === "postgres") {
      this.ctx.sql
        .notify("herald_work", "")
        .catch((error: unknown) => this.ctx.logger.warn({ err: error }, "NOTIFY failed"));
    }
  }

  /** Commits a batch all or nothing; if it fails, retries its requests one by one so only the culprit fails. */
  private async settle(batch: Pending[], commit: (batch: Pending[]) => Promise<void>): Promise<void> {
    if (batch.length === 0) return;
    try {
      await commit(batch);
    } catch (error) {
      if (batch.length === 1) {
        for (const p of batch) p.reject(error);
      } else {
        for (const p of batch) await commit([p]).catch((e: unknown) => p.reject(e));
      }
    }
  }

  /** Messages no quota can refuse: one statement for the whole batch. */
  private async commitUnrefusable(batch: Pending[]): Promise<void> {
    const now = this.ctx.clock.now();
    const inserted = await enqueueUnrefusable(this.ctx.sql, {
      messages: batch.map((p) => ({ ...p.request.message, metered: p.request.countsAgainstQuota })),
      month: utcMonth(now),
      day: utcDay(now),
    });
    metricsFor(this.ctx).countMessages("accepted", inserted.size);
    for (const p of batch)
      p.resolve({ outcome: inserted.has(p.request.message.id) ? "queued" : "duplicate" });
  }

  /** Messages under a monthly limit: one race-free quota decision each, in arrival order, in one transaction. */
  private async commitLimited(batch: Pending[]): Promise<void> {
    const now = this.ctx.clock.now();
    const month = utcMonth(now);
    const day = utcDay(now);
    const resetsOn = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    const settled = await (this.ctx.sql as Sql).begin(async (tx) => {
      // One conditional decision per message, in arrival order, pipelined in this transaction.
      const decisions = await Promise.all(
        batch.map((p) =>
          takeMonthlyMessages(tx, {
            tenantId: p.request.message.tenantId,
            month,
            amount: 1,
            limit: p.request.monthlyLimit,
          }),
        ),
      );
      const admitted = batch.filter((_, i) => decisions[i] !== null);
      const inserted = await insertMessages(
        tx,
        admitted.map((p) => p.request.message),
      );
      const duplicates = admitted.filter((p) => !inserted.has(p.request.message.id));
      for (const p of duplicates) {
        await returnMonthlyMessages(tx, { tenantId: p.request.message.tenantId, month, amount: 1 });
      }
      await addUsage(
        tx,
        admitted
          .filter((p) => inserted.has(p.request.message.id))
          .map((p) => ({
            tenantId: p.request.message.tenantId,
            instanceId: p.request.message.instanceId,
            day,
            counter: "messagesAccepted" as const,
            amount: 1,
          })),
      );
      return { decisions, inserted };
    });
    metricsFor(this.ctx).countMessages("accepted", settled.inserted.size);
    batch.forEach((p, i) => {
      if (settled.decisions[i] === null) {
        const limit = p.request.monthlyLimit ?? 0;
        const quota = checkQuota("messages", limit, limit, 1, p.request.planName, resetsOn.getTime());
        p.reject(
          new DomainError("quota_exhausted", quota.message, { used: limit, limit, plan: p.request.planName }),
        );
      } else if (settled.inserted.has(p.request.message.id)) {
        p.resolve({ outcome: "queued" });
      } else {
        p.resolve({ outcome: "duplicate" });
      }
    });
  }
}
