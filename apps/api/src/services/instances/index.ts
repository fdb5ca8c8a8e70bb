import {
  getInstance,
  insertInstance,
  listInstances as listInstancesQuery,
  type Queryable,
  renameInstance,
} from "@herald/db";
import type { AppContext } from "../../context.ts";
import { found } from "../../errors.ts";

/** Who calls an instance-scoped verb, and on which instance. */
export interface InstanceScope {
  ctx: AppContext;
  tenantId: string;
  instanceId: string;
}

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

/** What an instance holds, by `query`; another tenant's instance is not found rather than empty. */
export async function listInInstance<Rows>(
  { ctx, tenantId, instanceId }: InstanceScope,
  query: (sql: Queryable, params: { tenantId: string; instanceId: string }) => Promise<Rows>,
): Promise<Rows> {
  await requireInstance(ctx, tenantId, instanceId);
  return query(ctx.sql, { tenantId, instanceId });
}

export async function updateInstance({
  ctx,
  tenantId,
  instanceId,
  input,
}: InstanceScope & { input: { name: string } }) {
  return found(
    await renameInstance(ctx.sql, { tenantId, instanceId, name: input.name }),
    "instance",
    instanceId,
  );
}
