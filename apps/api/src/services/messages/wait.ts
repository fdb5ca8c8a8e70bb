import { getMessage, type MessageRow } from "@herald/db";
import { type FinalState, WakeUp } from "@herald/delivery";
import type { AppContext } from "../../context.ts";

/**
 * Waits up to `seconds` for a message to leave the queue. Returns early when it is already known
 * that the next attempt is due after the deadline (rate window, pause or backoff): waiting longer
 * would only delay the caller's "queued" answer.
 *
 * The in-process worker says when the message finished, with what it stored (then nothing is read
 * back); the call listens for the whole wait, so a finish that lands while it re-reads the message
 * is kept rather than missed until the next poll. The poll (20 ms, doubling to 250 ms) serves a
 * worker in another process.
 */
export async function waitForOutcome(ctx: AppContext, row: MessageRow, seconds: number): Promise<MessageRow> {
  const nowMs = () => ctx.clock.now().getTime();
  const deadline = nowMs() + seconds * 1000;
  let current = row;
  if (current.status !== "queued") return current;
  const finished = new WakeUp();
  const event = `finished:${current.id}`;
  let final: FinalState | undefined;
  const onFinished = (state?: FinalState) => {
    final = state;
    finished.ring();
  };
  ctx.signals.on(event, onFinished);
  try {
    let pollMs = 20;
    while (current.status === "queued" && nowMs() < deadline) {
      // The next attempt's distance is the database's (it set the due time); the wait is this clock's.
      if (current.attempts > 0 && (current.nextAttemptInMs ?? 0) > deadline - nowMs()) break;
      await finished.wait(Math.min(pollMs, Math.max(0, deadline - nowMs())));
      pollMs = Math.min(pollMs * 2, 250);
      if (final !== undefined) return { ...current, ...final };
      current = (await getMessage(ctx.sql, { tenantId: current.tenantId, messageId: current.id })) ?? current;
    }
  } finally {
    ctx.signals.off(event, onFinished);
  }
  return current;
}
