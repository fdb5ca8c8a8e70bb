// Teams' per-organization window for bot requests (50 a second across every channel of a Teams
// tenant and every Herald replica). The worker's posts and the api's own Bot Connector requests
// (channel lists, answers to `@Herald link`) take their slots here, so both count in one window.
import { BOT_TENANT_POLICY } from "@herald/core";
import { reserveTenantSend, type Sql } from "@herald/db";

export interface TenantWindowEnv {
  sql: Sql;
  /** Added to the window's period, as for every other window (HERALD_RATE_GUARD_MS). */
  guardMs: number;
  /** False once the runtime stops: waiting ends at once. */
  running?: () => boolean;
  /** Called each time the window is full and the request waits. */
  onWait?: () => void;
}

/**
 * Waits up to `maxWaitMs` for a slot in the Teams tenant's window and answers it, or null when
 * none came in time (nothing may then be sent). Settle the slot with settleTenantSend once Teams
 * answers. `timeoutMs` is the longest the request can take (the bot client abandons it then):
 * until it is settled, the slot counts as if the request reached Teams at that deadline, so a
 * request held up between its reservation and Teams' door (a busy event loop, a slow token)
 * still counts however late it arrives.
 */
export async function takeTenantSlot(
  env: TenantWindowEnv,
  params: { teamsTenantId: string; timeoutMs: number; maxWaitMs: number },
): Promise<string | null> {
  const window = BOT_TENANT_POLICY[0];
  if (window === undefined) return "";
  // Real elapsed time bounds the wait; the window itself is the database's (see reserveTenantSend).
  const deadline = performance.now() + params.maxWaitMs;
  const running = env.running ?? (() => true);
  while (running()) {
    const slot = await reserveTenantSend(env.sql, {
      teamsTenantId: params.teamsTenantId,
      limit: window.limit,
      periodMs: window.periodMs + env.guardMs,
      inFlightMs: params.timeoutMs + env.guardMs,
    });
    if (slot.admitted) return slot.slot;
    env.onWait?.();
    const waitMs = Math.max(5, Math.ceil(slot.retryInMs));
    if (performance.now() + waitMs > deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
  return null;
}
