import type { Queryable } from "../client.ts";

export interface UserRow {
  id: string;
  tenantId: string;
  email: string;
  passwordHash: string;
}

export async function insertUser(sql: Queryable, user: UserRow): Promise<void> {
  await sql`INSERT INTO users (id, tenant_id, email, password_hash)
            VALUES (${user.id}, ${user.tenantId}, ${user.email}, ${user.passwordHash})`;
}

export async function getUserByEmail(
  sql: Queryable,
  params: { email: string },
): Promise<UserRow | undefined> {
  const [row] = await sql<UserRow[]>`
    SELECT id, tenant_id, email, password_hash FROM users WHERE lower(email) = lower(${params.email})`;
  return row;
}

export async function getUser(sql: Queryable, params: { tenantId: string; userId: string }) {
  const [row] = await sql<UserRow[]>`
    SELECT id, tenant_id, email, password_hash FROM users WHERE id = ${params.userId} AND tenant_id = ${params.tenantId}`;
  return row;
}

export async function setUserPassword(
  sql: Queryable,
  params: { tenantId: string; userId: string; passwordHash: string },
): Promise<void> {
  await sql`UPDATE users SET password_hash = ${params.passwordHash}
            WHERE id = ${params.userId} AND tenant_id = ${params.tenantId}`;
}
