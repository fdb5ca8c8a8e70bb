// Group commit for sendMessage (a Batcher each): requests that arrive together are stored
// together. Messages no quota can refuse go in one statement per batch (one round trip); messages
// under a monthly limit share one transaction in which each gets its own race-free quota decision
// (a conditional upsert per message, pipelined). Each committed batch wakes the workers.
import { checkQuota } from "@herald/core";
import {
  addUsage,
  Batcher,
  enqueueUnrefusable,
  insertMessages,
  type NewMessage,
  returnMonthlyMessages,
  type Sql,
  takeMonthlyMessages,
} from "@herald/db";
import { type AppContext, utcDay, utcMonth } from "../../context.ts";
import { DomainError } from "../../errors.ts";

export interface EnqueueRequest {
  message: NewMessage;
  /** null: the plan has no monthly limit or bills overage; the counter still counts. */
  monthlyLimit: number | null;
  planName: string;
  countsAgainstQuota: boolean;
}

export type EnqueueResult = { outcome: "queued" } | { outcome: "duplicate" };

/** A batch answers every request; a quota refusal is one request's answer, not the batch's failure. */
type Settled = EnqueueResult | { outcome: "refused"; error: DomainError };

const MAX_BATCH = 256;

/** Under a monthly limit that can refuse it (a limited plan without overage billing, not a connection test). */
const isLimited = (r: EnqueueRequest) => r.countsAgainstQuota && r.monthlyLimit !== null;

export class Enqueuer {
  private readonly unrefusable: Batcher<EnqueueRequest, Settled>;
  private readonly limited: Batcher<EnqueueRequest, Settled>;

  constructor(private readonly ctx: AppContext) {
    this.unrefusable = new Batcher((batch) => this.commitUnrefusable(batch), MAX_BATCH);
    this.limited = new Batcher((batch) => this.commitLimited(batch), MAX_BATCH);
  }

  async enqueue(request: EnqueueRequest): Promise<EnqueueResult> {
    const settled = await (isLimited(request) ? this.limited : this.unrefusable).submit(request);
    if (settled.outcome === "refused") throw settled.error;
    return settled;
  }

  /** New work is committed: wake this process's worker, and (NOTIFY) the workers of other processes. */
  private announce(): void {
    this.ctx.signals.workQueued();
    if (this.ctx.engine === "postgres") {
      this.ctx.sql
        .notify("herald_work", this.ctx.signals.origin)
        .catch((error: unknown) => this.ctx.logger.warn({ err: error }, "NOTIFY failed"));
    }
  }

  /** Messages no quota can refuse: one statement for the whole batch. */
  private async commitUnrefusable(batch: EnqueueRequest[]): Promise<Settled[]> {
    const now = this.ctx.clock.now();
    const inserted = await enqueueUnrefusable(this.ctx.sql, {
      messages: batch.map((r) => ({ ...r.message, metered: r.countsAgainstQuota })),
      month: utcMonth(now),
      day: utcDay(now),
    });
    this.ctx.metrics.countMessages("accepted", inserted.size);
    if (inserted.size > 0) this.announce();
    return batch.map((r) => ({ outcome: inserted.has(r.message.id) ? "queued" : "duplicate" }));
  }

  /** Messages under a monthly limit: one race-free quota decision each, in arrival order, in one transaction. */
  private async commitLimited(batch: EnqueueRequest[]): Promise<Settled[]> {
    const now = this.ctx.clock.now();
    const month = utcMonth(now);
    const day = utcDay(now);
    const resetsOn = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    const settled = await (this.ctx.sql as Sql).begin(async (tx) => {
      // One conditional decision per message, in arrival order, pipelined in this transaction.
      const decisions = await Promise.all(
        batch.map((r) =>
          takeMonthlyMessages(tx, { tenantId: r.message.tenantId, month, amount: 1, limit: r.monthlyLimit }),
        ),
      );
      const admitted = batch.filter((_, i) => decisions[i] !== null);
      const inserted = await insertMessages(
        tx,
        admitted.map((r) => r.message),
      );
      const duplicates = admitted.filter((r) => !inserted.has(r.message.id));
      for (const r of duplicates) {
        await returnMonthlyMessages(tx, { tenantId: r.message.tenantId, month, amount: 1 });
      }
      await addUsage(
        tx,
        admitted
          .filter((r) => inserted.has(r.message.id))
          .map((r) => ({
            tenantId: r.message.tenantId,
            instanceId: r.message.instanceId,
            day,
            counter: "messagesAccepted" as const,
            amount: 1,
          })),
      );
      return { decisions, inserted };
    });
    this.ctx.metrics.countMessages("accepted", settled.inserted.size);
    if (settled.inserted.size > 0) this.announce();
    return batch.map((r, i): Settled => {
      if (settled.decisions[i] === null) {
        const limit = r.monthlyLimit ?? 0;
        const quota = checkQuota("messages", limit, limit, 1, r.planName, resetsOn.getTime());
        return {
          outcome: "refused",
          error: new DomainError("quota_exhausted", quota.message, { used: limit, limit, plan: r.planName }),
        };
      }
      return { outcome: settled.inserted.has(r.message.id) ? "queued" : "duplicate" };
    });
  }
}
