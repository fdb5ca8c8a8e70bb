import { addUsage, type FailedMessage, type Queryable } from "@herald/db";
import { type AppContext, utcDay } from "../../context.ts";

/** Counts messages that failed outside a delivery attempt (channel disabled, webhook deleted). */
export async function recordFailures(
  ctx: AppContext,
  sql: Queryable,
  failed: FailedMessage[],
): Promise<void> {
  const day = utcDay(ctx.clock.now());
  await addUsage(
    sql,
    failed.map((m) => ({
      tenantId: m.tenantId,
      instanceId: m.instanceId,
      day,
      counter: "messagesFailed",
      amount: 1,
    })),
  );
}
