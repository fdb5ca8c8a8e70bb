import type { Queryable } from "../client.ts";

export interface InstanceRow {
  id: string;
  tenantId: string;
  name: string;
  createdAt: Date;
}

export async function insertInstance(sql: Queryable, params: { id: string; tenantId: string; name: string }) {
  const [row] = await sql<InstanceRow[]>`
    INSERT INTO instances (id, tenant_id, name) VALUES (${params.id}, ${params.tenantId}, ${params.name})
    RETURNING id, tenant_id, name, created_at`;
  if (!row) throw new Error("instance insert returned no row");
  return row;
}

export async function listInstances(sql: Queryable, params: { tenantId: string }): Promise<InstanceRow[]> {
  return sql<InstanceRow[]>`
    SELECT id, tenant_id, name, created_at FROM instances WHERE tenant_id = ${params.tenantId} ORDER BY created_at, id`;
}

export async function getInstance(sql: Queryable, params: { tenantId: string; instanceId: string }) {
  const [row] = await sql<InstanceRow[]>`
    SELECT id, tenant_id, name, created_at FROM instances
    WHERE tenant_id = ${params.tenantId} AND id = ${params.instanceId}`;
  return row;
}

export async function renameInstance(
  sql: Queryable,
  params: { tenantId: string; instanceId: string; name: string },
) {
  const [row] = await sql<InstanceRow[]>`
    UPDATE instances SET name = ${params.name} WHERE tenant_id = ${params.tenantId} AND id = ${params.instanceId}
    RETURNING id, tenant_id, name, created_at`;
  return row;
}
