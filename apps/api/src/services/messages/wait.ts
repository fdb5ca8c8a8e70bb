import { getMessage, type MessageRow } from "@herald/db";
import type { AppContext } from "../../context.ts";

/**
 * Waits up to `seconds` for a message to leave the queue. Returns early when it is already known
 * that the next attempt is due after the deadline (rate window, pause or backoff): waiting longer
 * would only delay the caller's "queued" answer.
 */
export async function waitForOutcome(ctx: AppContext, row: MessageRow, seconds: number): Promise<MessageRow> {
  const deadline = Date.now() + seconds * 1000;
  let current = row;
  let pollMs = 20;
  while (current.status === "queued" && Date.now() < deadline) {
    const due = Math.max(current.dueAt.getTime(), current.channelReadyAt?.getTime() ?? 0);
    if (current.attempts > 0 && due > deadline) break;
    await new Promise<void>((resolve) => {
      const event = `finished:${current.id}`;
      const done = () => {
        clearTimeout(timer);
        ctx.signals.off(event, done);
        resolve();
      };
      const timer = setTimeout(done, Math.min(pollMs, Math.max(0, deadline - Date.now())));
      ctx.signals.once(event, done);
    });
    pollMs = Math.min(pollMs * 2, 250);
    current = (await getMessage(ctx.sql, { tenantId: current.tenantId, messageId: current.id })) ?? current;
  }
  return current;
}
