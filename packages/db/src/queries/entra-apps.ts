// Entra app registrations a tenant gives Herald to call flows restricted to its users. The client
// secret leaves this module only through getEntraAppSecret, for the token request.
import type { Queryable } from "../client.ts";

export interface EntraAppRow {
  id: string;
  tenantId: string;
  instanceId: string;
  name: string;
  entraTenantId: string;
  clientId: string;
  audience: string;
  createdAt: Date;
}

export interface EntraAppSecretRow extends EntraAppRow {
  secretCiphertext: Uint8Array;
  secretKeyId: string;
}

const columns = (sql: Queryable) =>
  sql`id, tenant_id, instance_id, name, entra_tenant_id, client_id, audience, created_at`;

export async function insertEntraApp(
  sql: Queryable,
  params: Omit<EntraAppRow, "createdAt"> & { secretCiphertext: Uint8Array; secretKeyId: string },
): Promise<EntraAppRow> {
  const [row] = await sql<EntraAppRow[]>`
    INSERT INTO entra_apps (id, tenant_id, instance_id, name, entra_tenant_id, client_id, audience,
                            secret_ciphertext, secret_key_id)
    VALUES (${params.id}, ${params.tenantId}, ${params.instanceId}, ${params.name}, ${params.entraTenantId},
            ${params.clientId}, ${params.audience}, ${Buffer.from(params.secretCiphertext)}, ${params.secretKeyId})
    RETURNING ${columns(sql)}`;
  if (!row) throw new Error("entra app insert returned no row");
  return row;
}

export async function listEntraApps(sql: Queryable, params: { tenantId: string; instanceId: string }) {
  return sql<EntraAppRow[]>`
    SELECT ${columns(sql)} FROM entra_apps
    WHERE tenant_id = ${params.tenantId} AND instance_id = ${params.instanceId}
    ORDER BY created_at, id`;
}

export async function getEntraApp(
  sql: Queryable,
  params: { tenantId: string; entraAppId: string },
): Promise<EntraAppRow | undefined> {
  const [row] = await sql<EntraAppRow[]>`
    SELECT ${columns(sql)} FROM entra_apps WHERE tenant_id = ${params.tenantId} AND id = ${params.entraAppId}`;
  return row;
}

export async function getEntraAppSecret(
  sql: Queryable,
  params: { tenantId: string; entraAppId: string },
): Promise<EntraAppSecretRow | undefined> {
  const [row] = await sql<EntraAppSecretRow[]>`
    SELECT ${columns(sql)}, secret_ciphertext, secret_key_id FROM entra_apps
    WHERE tenant_id = ${params.tenantId} AND id = ${params.entraAppId}`;
  return row;
}

/** Live webhooks that call their flow with this app; a used app cannot be removed. */
export async function webhooksUsingEntraApp(
  sql: Queryable,
  params: { tenantId: string; entraAppId: string },
): Promise<{ id: string; name: string }[]> {
  return sql<{ id: string; name: string }[]>`
    SELECT id, name FROM webhooks
    WHERE tenant_id = ${params.tenantId} AND entra_app_id = ${params.entraAppId} AND deleted_at IS NULL
    ORDER BY created_at, id`;
}

/**
 * Removes an app no live webhook uses. Deleted webhooks still reference it; they let go of it here,
 * so that the foreign key never keeps a secret alive.
 */
export async function deleteEntraApp(
  sql: Queryable,
  params: { tenantId: string; entraAppId: string },
): Promise<boolean> {
  await sql`
    UPDATE webhooks SET entra_app_id = NULL
    WHERE tenant_id = ${params.tenantId} AND entra_app_id = ${params.entraAppId} AND deleted_at IS NOT NULL`;
  const rows = await sql`
    DELETE FROM entra_apps WHERE tenant_id = ${params.tenantId} AND id = ${params.entraAppId}
      AND NOT EXISTS (SELECT 1 FROM webhooks w WHERE w.entra_app_id = entra_apps.id AND w.deleted_at IS NULL)
    RETURNING id`;
  return rows.length === 1;
}
