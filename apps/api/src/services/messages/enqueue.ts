// Group commit for sendMessage: requests that arrive together share one transaction, so the
// durable insert costs one round trip per batch instead of one per message. Each message still
// gets its own race-free quota decision (a conditional upsert per message, pipelined).
import { checkQuota } from "@herald/core";
import {
  addUsage,
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
      try {
        await this.commit(batch);
      } catch (error) {
        // One bad row must not fail its neighbours: retry them one by one, so only the culprit fails.
        if (batch.length === 1) {
          for (const p of batch) p.reject(error);
        } else {
          for (const p of batch) await this.commit([p]).catch((e: unknown) => p.reject(e));
        }
      }
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

  private async commit(batch: Pending[]): Promise<void> {
    const now = this.ctx.clock.now();
    const month = utcMonth(now);
    const day = utcDay(now);
    const resetsOn = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    const settled = await (this.ctx.sql as Sql).begin(async (tx) => {
      // One quota decision per message, in arrival order, pipelined in this transaction.
      // A limited plan needs one conditional decision per message, in arrival order; messages that
      // cannot be refused (no limit, overage billed, connection tests) are counted in one upsert per tenant.
      const limited = (p: Pending) => p.request.countsAgainstQuota && p.request.monthlyLimit !== null;
      const unlimitedCounts = new Map<string, number>();
      for (const p of batch) {
        if (!limited(p) && p.request.countsAgainstQuota) {
          const tenantId = p.request.message.tenantId;
          unlimitedCounts.set(tenantId, (unlimitedCounts.get(tenantId) ?? 0) + 1);
        }
      }
      const [decisions] = await Promise.all([
        Promise.all(
          batch.map((p) =>
            limited(p)
              ? takeMonthlyMessages(tx, {
                  tenantId: p.request.message.tenantId,
                  month,
                  amount: 1,
                  limit: p.request.monthlyLimit,
                })
              : Promise.resolve(0),
          ),
        ),
        ...[...unlimitedCounts].map(([tenantId, amount]) =>
          takeMonthlyMessages(tx, { tenantId, month, amount, limit: null }),
        ),
      ]);
      const admitted = batch.filter((_, i) => decisions[i] !== null);
      const inserted = await insertMessages(
        tx,
        admitted.map((p) => p.request.message),
      );
      const duplicates = admitted.filter((p) => !inserted.has(p.request.message.id));
      for (const p of duplicates) {
        if (p.request.countsAgainstQuota) {
          await returnMonthlyMessages(tx, { tenantId: p.request.message.tenantId, month, amount: 1 });
        }
      }
      await addUsage(
        tx,
        admitted
          .filter((p) => inserted.has(p.request.message.id) && p.request.countsAgainstQuota)
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
