import type { Queryable } from "../client.ts";

export interface BindingKeyRow {
  id: string;
  tenantId: string;
  instanceId: string;
  name: string;
  licenseKey: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** What authenticating an activity call needs, in one round trip. */
export interface LicenseRow extends BindingKeyRow {
  secretHash: Uint8Array;
  instanceName: string;
  tenantName: string;
  plan: string;
  subscriptionStatus: string;
  trialEndsAt: Date | null;
  currentPeriodEnd: Date | null;
  webhookLimit: number | null;
  monthlyMessageLimit: number | null;
  billOverage: boolean;
  requestsPerSecond: number | null;
}

const keyColumns = (sql: Queryable) =>
  sql`id, tenant_id, instance_id, name, license_key, created_at, last_used_at, revoked_at`;

export async function insertBindingKey(
  sql: Queryable,
  params: {
    id: string;
    tenantId: string;
    instanceId: string;
    name: string;
    licenseKey: string;
    secretHash: Uint8Array;
  },
): Promise<BindingKeyRow> {
  const [row] = await sql<BindingKeyRow[]>`
    INSERT INTO binding_keys (id, tenant_id, instance_id, name, license_key, secret_hash)
    VALUES (${params.id}, ${params.tenantId}, ${params.instanceId}, ${params.name}, ${params.licenseKey},
            ${Buffer.from(params.secretHash)})
    RETURNING ${keyColumns(sql)}`;
  if (!row) throw new Error("binding key insert returned no row");
  return row;
}

export async function listBindingKeys(sql: Queryable, params: { tenantId: string; instanceId: string }) {
  return sql<BindingKeyRow[]>`
    SELECT ${keyColumns(sql)} FROM binding_keys
    WHERE tenant_id = ${params.tenantId} AND instance_id = ${params.instanceId}
    ORDER BY created_at DESC, id`;
}

export async function revokeBindingKey(
  sql: Queryable,
  params: { tenantId: string; instanceId: string; bindingKeyId: string },
): Promise<BindingKeyRow | undefined> {
  const [row] = await sql<BindingKeyRow[]>`
    UPDATE binding_keys SET revoked_at = COALESCE(revoked_at, now())
    WHERE tenant_id = ${params.tenantId} AND instance_id = ${params.instanceId} AND id = ${params.bindingKeyId}
    RETURNING ${keyColumns(sql)}`;
  return row;
}

/** Looks a license key up across tenants: the key itself is what identifies the tenant. */
export async function getLicense(
  sql: Queryable,
  params: { licenseKey: string },
): Promise<LicenseRow | undefined> {
  const [row] = await sql<LicenseRow[]>`
    SELECT k.id, k.tenant_id, k.instance_id, k.name, k.license_key, k.created_at, k.last_used_at, k.revoked_at,
           k.secret_hash, i.name AS instance_name, t.name AS tenant_name, t.plan, t.subscription_status,
           t.trial_ends_at, t.current_period_end, p.webhook_limit, p.monthly_message_limit, p.bill_overage,
           p.requests_per_second
    FROM binding_keys k
    JOIN instances i ON i.id = k.instance_id
    JOIN tenants t ON t.id = k.tenant_id
    JOIN plans p ON p.name = t.plan
    WHERE k.license_key = ${params.licenseKey}`;
  return row;
}

/** last_used_at is advisory; callers batch it so that the hot path writes at most once a minute per key. */
export async function touchBindingKeys(sql: Queryable, params: { ids: string[] }): Promise<void> {
  if (params.ids.length === 0) return;
  await sql`UPDATE binding_keys SET last_used_at = now() WHERE id = ANY(${params.ids})`;
}
