import { getInstance, insertInstance, listInstances as listInstancesQuery, renameInstance } from "@herald/db";
import type { AppContext } from "../../context.ts";
import { found } from "../../errors.ts";

export function listInstances({ ctx, tenantId }: { ctx: AppContext; tenantId: string }) {
  return listInstancesQuery(ctx.sql, { tenantId });
}

export function createInstance({
  ctx,
  tenantId,
  input,
}: {
  ctx: AppContext;
  tenantId: string;
  input: { name: string };
}) {
  return insertInstance(ctx.sql, { id: ctx.ids.id("ins"), tenantId, name: input.name });
}

/** Every instance-scoped call goes through this: another tenant's instance is simply not found. */
export async function requireInstance(ctx: AppContext, tenantId: string, instanceId: string) {
  return found(await getInstance(ctx.sql, { tenantId, instanceId }), "instance", instanceId);
}

export async function updateInstance({
  ctx,
  tenantId,
  instanceId,
  input,
}: {
  ctx: AppContext;
  tenantId: string;
  instanceId: string;
  input: { name: string };
}) {
  return found(
    await renameInstance(ctx.sql, { tenantId, instanceId, name: input.name }),
    "instance",
    instanceId,
  );
}
