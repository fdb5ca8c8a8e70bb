// Metered billing: messages past a plan's monthly allowance, on plans that bill overage, are
// reported to a Stripe Billing meter. Each report is first recorded with a stable identifier, then
// sent; Stripe refuses an identifier it has seen, so a retried report never bills twice.
import {
  insertMeterReport,
  lockTenant,
  type MeterReport,
  markMeterReportFailed,
  markMeterReportSent,
  nextMeterReportSeq,
  overageCandidates,
  pendingMeterReports,
} from "@herald/db";
import type Stripe from "stripe";
import { type AppContext, utcDay, utcMonth } from "../../context.ts";
import { stripeFor } from "./stripe.ts";

/** The event name of the Stripe meter the plans' metered prices are attached to. */
export const METER_EVENT_NAME = "herald_overage_messages";
const SEND_BATCH = 500;
const SEND_CONCURRENCY = 8;

export interface OverageReport {
  recorded: number;
  sent: number;
  failed: number;
}

/** One pass: record what is owed since the last report, then send every pending report. */
export async function reportOverage(ctx: AppContext): Promise<OverageReport> {
  const stripe = stripeFor(ctx);
  if (!stripe) return { recorded: 0, sent: 0, failed: 0 };
  const recorded = await recordOverage(ctx);
  const { sent, failed } = await sendPending(ctx, stripe);
  return { recorded, sent, failed };
}

async function recordOverage(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  // Last month too: overage counted in its final minutes is reported after it has ended.
  const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const months = [utcMonth(lastMonth), utcMonth(now)];
  const owed = (await overageCandidates(ctx.sql, { months })).filter((c) => c.overage > c.reported);
  let recorded = 0;
  for (const candidate of owed) {
    const created = await ctx.sql.begin(async (tx) => {
      // Under the tenant's row lock the figures cannot move between reading and recording, so two
      // replicas reporting at once record the difference once.
      await lockTenant(tx, { tenantId: candidate.tenantId });
      const [fresh] = await overageCandidates(tx, {
        months: [candidate.month],
        tenantId: candidate.tenantId,
      });
      if (!fresh || fresh.overage <= fresh.reported) return false;
      const day = utcDay(now);
      const seq = await nextMeterReportSeq(tx, { tenantId: fresh.tenantId, day });
      await insertMeterReport(tx, {
        identifier: `${fresh.tenantId}:${day}:${seq}`,
        tenantId: fresh.tenantId,
        month: fresh.month,
        quantity: fresh.overage - fresh.reported,
        stripeCustomerId: fresh.stripeCustomerId,
        eventName: METER_EVENT_NAME,
        occurredAt: now,
      });
      return true;
    });
    if (created) recorded++;
  }
  return recorded;
}

async function sendPending(ctx: AppContext, stripe: Stripe): Promise<{ sent: number; failed: number }> {
  const pending = await pendingMeterReports(ctx.sql, { limit: SEND_BATCH });
  let sent = 0;
  let failed = 0;
  for (let i = 0; i < pending.length; i += SEND_CONCURRENCY) {
    const results = await Promise.all(
      pending.slice(i, i + SEND_CONCURRENCY).map((report) => sendOne(ctx, stripe, report)),
    );
    sent += results.filter(Boolean).length;
    failed += results.filter((ok) => !ok).length;
  }
  return { sent, failed };
}

async function sendOne(ctx: AppContext, stripe: Stripe, report: MeterReport): Promise<boolean> {
  try {
    await stripe.billing.meterEvents.create(
      {
        event_name: report.eventName,
        identifier: report.identifier,
        timestamp: Math.floor(report.occurredAt.getTime() / 1000),
        payload: { stripe_customer_id: report.stripeCustomerId, value: String(report.quantity) },
      },
      { idempotencyKey: `herald-meter-${report.identifier}` },
    );
  } catch (error) {
    if (!alreadyRecorded(stripe, error)) {
      const message = error instanceof Error ? error.message : String(error);
      await markMeterReportFailed(ctx.sql, { identifier: report.identifier, error: message });
      ctx.logger.warn(
        { identifier: report.identifier, tenantId: report.tenantId, err: error },
        "meter event not reported; it is retried on the next pass with the same identifier",
      );
      return false;
    }
    // Stripe has it from an earlier attempt whose answer was lost: reported, not to be sent again.
  }
  await markMeterReportSent(ctx.sql, { identifier: report.identifier });
  return true;
}

function alreadyRecorded(stripe: Stripe, error: unknown): boolean {
  return (
    error instanceof stripe.errors.StripeInvalidRequestError &&
    /already exists with identifier/i.test(error.message)
  );
}

/** Runs reportOverage on the housekeeping schedule; a pass still running is not started twice. */
export class OverageReporter {
  private running: Promise<OverageReport> | undefined;

  constructor(private readonly ctx: AppContext) {}

  runOnce(): Promise<OverageReport> {
    this.running ??= reportOverage(this.ctx)
      .catch((error: unknown) => {
        this.ctx.logger.error({ err: error }, "overage report pass failed");
        return { recorded: 0, sent: 0, failed: 0 };
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}
