// Console sessions: a signed token (an HS256 JWT) naming a row in `sessions`. The signature is
// checked with node:crypto's synchronous HMAC on the event loop: WebCrypto's (jose's) runs on
// libuv's thread pool, where a flood of scrypt sign-ins queued every session check behind it.
// The row is what makes a session revocable; each replica remembers a row for at most
// SESSION_CHECK_TTL_MS (caches.ts), so a revocation reaches every replica within that bound.
import { createHmac, timingSafeEqual } from "node:crypto";
import { SESSION_TTL_SECONDS } from "@herald/contract";
import {
  getSession,
  insertSession,
  pruneSessions,
  revokeSession,
  revokeUserSessions,
  type SessionRow,
} from "@herald/db";
import type { AppContext } from "../../context.ts";
import { DomainError } from "../../errors.ts";
import { KNOWN_ADDRESS_DAYS } from "./throttles.ts";

export interface Session {
  userId: string;
  tenantId: string;
  sessionId: string;
}

const HEADER = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");
const ISSUER = "herald";
const AUDIENCE = "herald-console";

function sign(ctx: AppContext, signingInput: string): Buffer {
  return createHmac("sha256", ctx.keys.sessionKey).update(signingInput).digest();
}

function expired(): DomainError {
  return new DomainError("unauthorized", "Your session is invalid or has expired; sign in again.");
}

/** Starts a session for a user who just proved who they are, and returns its token. */
export async function issueSession(
  ctx: AppContext,
  user: { userId: string; tenantId: string; clientAddress: string | undefined },
): Promise<{ token: string; session: Session }> {
  const now = ctx.clock.now();
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + SESSION_TTL_SECONDS;
  const sessionId = ctx.ids.id("ses");
  await insertSession(ctx.sql, {
    id: sessionId,
    userId: user.userId,
    tenantId: user.tenantId,
    expiresAt: new Date(exp * 1000),
    addressHash: user.clientAddress ? (ctx.keys.addressHashes(user.clientAddress)[0] ?? null) : null,
  });
  const payload = Buffer.from(
    JSON.stringify({
      sub: user.userId,
      tid: user.tenantId,
      sid: sessionId,
      iss: ISSUER,
      aud: AUDIENCE,
      iat,
      exp,
    }),
  ).toString("base64url");
  const signingInput = `${HEADER}.${payload}`;
  return {
    token: `${signingInput}.${sign(ctx, signingInput).toString("base64url")}`,
    session: { userId: user.userId, tenantId: user.tenantId, sessionId },
  };
}

/** The claims of a token signed by this Herald and not past its `exp` (required), without the database. */
export function readSessionToken(ctx: AppContext, token: string): Session {
  const parts = token.split(".");
  if (parts.length !== 3 || parts[0] !== HEADER) throw expired();
  const [header, payload, signature] = parts as [string, string, string];
  const expected = sign(ctx, `${header}.${payload}`);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw expired();
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    throw expired();
  }
  const nowSeconds = ctx.clock.now().getTime() / 1000;
  if (
    claims.iss !== ISSUER ||
    claims.aud !== AUDIENCE ||
    typeof claims.exp !== "number" ||
    claims.exp <= nowSeconds ||
    typeof claims.sub !== "string" ||
    typeof claims.tid !== "string" ||
    typeof claims.sid !== "string"
  ) {
    throw expired();
  }
  return { userId: claims.sub, tenantId: claims.tid, sessionId: claims.sid };
}

function sessionRow(ctx: AppContext, sessionId: string): Promise<SessionRow | undefined> {
  const hit = ctx.caches.sessions.fresh(sessionId);
  if (hit) return hit.value;
  const row = getSession(ctx.sql, { sessionId });
  ctx.caches.sessions.set(sessionId, row);
  // A failed read is not remembered: the next request tries again.
  row.catch(() => ctx.caches.sessions.delete(sessionId));
  return row;
}

/** A token's session, if the token is genuine and its session still live (not revoked, user not deleted). */
export async function verifySession(ctx: AppContext, token: string): Promise<Session> {
  const session = readSessionToken(ctx, token);
  const row = await sessionRow(ctx, session.sessionId);
  if (
    !row ||
    row.revokedAt ||
    row.expiresAt <= ctx.clock.now() ||
    row.userId !== session.userId ||
    row.tenantId !== session.tenantId
  ) {
    throw expired();
  }
  return session;
}

export async function endSession(ctx: AppContext, session: Session): Promise<void> {
  await revokeSession(ctx.sql, { tenantId: session.tenantId, sessionId: session.sessionId });
  ctx.caches.sessions.delete(session.sessionId);
}

/** Ends every session of the user (but `keep`): sign out everywhere, a password change or reset. */
export async function endUserSessions(
  ctx: AppContext,
  user: { tenantId: string; userId: string },
  keep?: string,
): Promise<number> {
  const ended = await revokeUserSessions(ctx.sql, { ...user, keep });
  for (const id of ended) ctx.caches.sessions.delete(id);
  return ended.length;
}

/**
 * The CSRF token of a session: derived from its id, so a token planted in a victim's cookie jar
 * (a sibling subdomain can set cookies) matches no session but the attacker's own.
 */
export function csrfTokenFor(ctx: AppContext, sessionId: string): string {
  return createHmac("sha256", ctx.keys.sessionKey)
    .update(`csrf:${sessionId}`)
    .digest("base64url")
    .slice(0, 32);
}

/** The CSRF token for a session token, or undefined when the token is not a genuine, unexpired one. */
export function csrfTokenForToken(ctx: AppContext, token: string): string | undefined {
  try {
    return csrfTokenFor(ctx, readSessionToken(ctx, token).sessionId);
  } catch {
    return undefined;
  }
}

/**
 * Deletes the sessions that are over (expired or revoked) once they are older than
 * KNOWN_ADDRESS_DAYS, the sign-in record the lockout reads, and reset links past their hour.
 */
export function pruneEndedSessions(ctx: AppContext): Promise<void> {
  const now = ctx.clock.now();
  return pruneSessions(ctx.sql, {
    now,
    signInsSince: new Date(now.getTime() - KNOWN_ADDRESS_DAYS * 86_400_000),
  });
}
