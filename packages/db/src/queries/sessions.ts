// Console sessions and one-time password reset tokens.
import type { Queryable } from "../client.ts";

export interface SessionRow {
  id: string;
  userId: string;
  tenantId: string;
  expiresAt: Date;
  revokedAt: Date | null;
}

/**
 * `client_address` holds a keyed hash of the address signed in from (Keyring.addressHashes), never
 * the address: it is only compared, by hasSignedInFrom. The audit log line has the address itself.
 */
export async function insertSession(
  sql: Queryable,
  session: { id: string; userId: string; tenantId: string; expiresAt: Date; addressHash: string | null },
): Promise<void> {
  await sql`INSERT INTO sessions (id, user_id, tenant_id, expires_at, client_address)
            VALUES (${session.id}, ${session.userId}, ${session.tenantId}, ${session.expiresAt}, ${session.addressHash})`;
}

/** The session row, revoked or not; undefined once it (or its user or tenant) is gone. */
export async function getSession(
  sql: Queryable,
  params: { sessionId: string },
): Promise<SessionRow | undefined> {
  const [row] = await sql<SessionRow[]>`
    SELECT id, user_id, tenant_id, expires_at, revoked_at FROM sessions WHERE id = ${params.sessionId}`;
  return row;
}

export async function revokeSession(
  sql: Queryable,
  params: { tenantId: string; sessionId: string },
): Promise<void> {
  await sql`UPDATE sessions SET revoked_at = now()
            WHERE id = ${params.sessionId} AND tenant_id = ${params.tenantId} AND revoked_at IS NULL`;
}

/** Revokes every live session of a user, but `keep` (the one changing its password); returns their ids. */
export async function revokeUserSessions(
  sql: Queryable,
  params: { tenantId: string; userId: string; keep?: string | undefined },
): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    UPDATE sessions SET revoked_at = now()
    WHERE user_id = ${params.userId} AND tenant_id = ${params.tenantId} AND revoked_at IS NULL
      AND ${params.keep ? sql`id <> ${params.keep}` : sql`true`}
    RETURNING id`;
  return rows.map((r) => r.id);
}

/** Whether the user signed in within `withinDays` from the address these hashes (one per key) name. */
export async function hasSignedInFrom(
  sql: Queryable,
  params: { userId: string; addressHashes: string[]; withinDays: number },
): Promise<boolean> {
  const [row] = await sql<{ found: boolean }[]>`
    SELECT EXISTS (
      SELECT 1 FROM sessions
      WHERE user_id = ${params.userId} AND client_address = ANY(${params.addressHashes}::text[])
        AND created_at > now() - ${params.withinDays} * interval '1 day'
    ) AS found`;
  return row?.found ?? false;
}

/**
 * Deletes the sessions that can no longer be used (expired or revoked) and began before
 * `signInsSince`: until then a row is also the record that its user signed in from its address
 * (hasSignedInFrom), which lets the owner past the per-account lockout. Reset links go once expired.
 */
export async function pruneSessions(
  sql: Queryable,
  params: { now: Date; signInsSince: Date },
): Promise<void> {
  await sql`DELETE FROM sessions
            WHERE (expires_at <= ${params.now} OR revoked_at IS NOT NULL) AND created_at < ${params.signInsSince}`;
  await sql`DELETE FROM password_resets WHERE expires_at <= ${params.now}`;
}

export async function insertPasswordReset(
  sql: Queryable,
  params: { tokenHash: Uint8Array; userId: string; expiresAt: Date },
): Promise<void> {
  await sql`INSERT INTO password_resets (token_hash, user_id, expires_at)
            VALUES (${params.tokenHash}, ${params.userId}, ${params.expiresAt})`;
}

/** Marks a reset token used and returns its user, if it was unused and unexpired at `now`; a token works once. */
export async function consumePasswordReset(
  sql: Queryable,
  params: { tokenHash: Uint8Array; now: Date },
): Promise<{ userId: string; tenantId: string; email: string } | undefined> {
  const [row] = await sql<{ userId: string; tenantId: string; email: string }[]>`
    UPDATE password_resets r SET used_at = ${params.now}
    FROM users u
    WHERE r.token_hash = ${params.tokenHash} AND r.used_at IS NULL AND r.expires_at > ${params.now}
      AND u.id = r.user_id
    RETURNING u.id AS user_id, u.tenant_id, u.email`;
  return row;
}
