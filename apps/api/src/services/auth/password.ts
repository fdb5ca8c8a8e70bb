// Changing a password (signed in, knowing the current one) and resetting it with a one-time link
// the operator hands out (`herald users reset-password`; Herald sends no email). Both end the
// user's other sessions; a reset also clears the account's sign-in lockout.
import { createHash, randomBytes } from "node:crypto";
import {
  clearRateCounter,
  consumePasswordReset,
  getUser,
  getUserByEmail,
  insertPasswordReset,
  setUserPassword,
} from "@herald/db";
import type { AppContext } from "../../context.ts";
import { DomainError } from "../../errors.ts";
import { hit } from "../throttle.ts";
import { hashPasswordQueued, passwordHashing, verifyPasswordQueued } from "./hashing.ts";
import { endUserSessions, type Session } from "./session.ts";
import { PASSWORD_PER_ACCOUNT, PASSWORD_PER_ADDRESS, SIGN_IN_PER_ACCOUNT } from "./throttles.ts";

export const RESET_LINK_TTL_MS = 60 * 60_000;
export const RESET_PATH = "/console/reset-password";

const tokenHash = (token: string) => createHash("sha256").update(token).digest();

export async function changePassword({
  ctx,
  session,
  input,
  clientAddress,
}: {
  ctx: AppContext;
  session: Session;
  input: { currentPassword: string; newPassword: string };
  clientAddress: string | undefined;
}): Promise<void> {
  passwordHashing.assertRoom();
  if (clientAddress) await hit(ctx, PASSWORD_PER_ADDRESS, clientAddress);
  await hit(ctx, PASSWORD_PER_ACCOUNT, session.userId);
  const user = await getUser(ctx.sql, { tenantId: session.tenantId, userId: session.userId });
  if (!user) throw new DomainError("unauthorized", "Your session is invalid or has expired; sign in again.");
  if (!(await verifyPasswordQueued(input.currentPassword, user.passwordHash))) {
    throw new DomainError("invalid_credentials", "The current password is wrong.", {
      fields: [{ field: "currentPassword", problem: "is wrong" }],
    });
  }
  const passwordHash = await hashPasswordQueued(input.newPassword);
  await setUserPassword(ctx.sql, { tenantId: user.tenantId, userId: user.id, passwordHash });
  // Whoever else holds a session (the reason to change it, often) is signed out; this one stays.
  await endUserSessions(ctx, { tenantId: user.tenantId, userId: user.id }, session.sessionId);
}

/** A one-time reset link for the account, valid for an hour. Undefined when there is no such account. */
export async function createPasswordReset(
  ctx: AppContext,
  input: { email: string; baseUrl: string },
): Promise<{ link: string; expiresAt: Date } | undefined> {
  const user = await getUserByEmail(ctx.sql, { email: input.email });
  if (!user) return undefined;
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(ctx.clock.now().getTime() + RESET_LINK_TTL_MS);
  await insertPasswordReset(ctx.sql, { tokenHash: tokenHash(token), userId: user.id, expiresAt });
  const link = `${input.baseUrl.replace(/\/$/, "")}${RESET_PATH}?token=${token}`;
  return { link, expiresAt };
}

export async function resetPassword({
  ctx,
  input,
  clientAddress,
}: {
  ctx: AppContext;
  input: { token: string; newPassword: string };
  clientAddress: string | undefined;
}): Promise<void> {
  passwordHashing.assertRoom();
  if (clientAddress) await hit(ctx, PASSWORD_PER_ADDRESS, clientAddress);
  const passwordHash = await hashPasswordQueued(input.newPassword);
  const user = await consumePasswordReset(ctx.sql, {
    tokenHash: tokenHash(input.token),
    now: ctx.clock.now(),
  });
  if (!user) {
    throw new DomainError(
      "invalid_request",
      "This password reset link is unknown, used or expired; ask your operator for a new one (`herald users reset-password`).",
      { fields: [{ field: "token", problem: "is unknown, used or expired" }] },
    );
  }
  await setUserPassword(ctx.sql, { tenantId: user.tenantId, userId: user.userId, passwordHash });
  await endUserSessions(ctx, { tenantId: user.tenantId, userId: user.userId });
  await clearRateCounter(ctx.sql, { key: `${SIGN_IN_PER_ACCOUNT.name}:${user.email.trim().toLowerCase()}` });
  ctx.logger.info(
    { audit: "password_reset", address: clientAddress ?? null, account: user.email },
    "password reset",
  );
}
