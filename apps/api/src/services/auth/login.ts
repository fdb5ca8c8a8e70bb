import { getUserByEmail } from "@herald/db";
import type { AppContext } from "../../context.ts";
import { verifyPassword } from "../../crypto.ts";
import { DomainError } from "../../errors.ts";
import { enforce } from "../throttle.ts";
import { issueSessionToken } from "./session.ts";

// A fixed hash to verify against when the email is unknown, so both paths cost the same.
const DUMMY_HASH = "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

export const LOGIN_ATTEMPTS = 10;
export const LOGIN_WINDOW_MS = 15 * 60_000;

export async function login({ ctx, input }: { ctx: AppContext; input: { email: string; password: string } }) {
  // Counted per account before the password is checked, so guessing is slow whatever the answer.
  await enforce(
    ctx,
    `login:${input.email.trim().toLowerCase()}`,
    LOGIN_WINDOW_MS,
    LOGIN_ATTEMPTS,
    "sign-in to this account",
  );
  const user = await getUserByEmail(ctx.sql, { email: input.email });
  const ok = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok) throw new DomainError("invalid_credentials", "Email or password is wrong.");
  return {
    token: await issueSessionToken(ctx, { userId: user.id, tenantId: user.tenantId }),
    tenantId: user.tenantId,
  };
}
