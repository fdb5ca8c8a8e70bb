import { getUserByEmail } from "@herald/db";
import type { AppContext } from "../../context.ts";
import { verifyPassword } from "../../crypto.ts";
import { DomainError } from "../../errors.ts";
import { issueSessionToken } from "./session.ts";

// A fixed hash to verify against when the email is unknown, so both paths cost the same.
const DUMMY_HASH = "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

export async function login({ ctx, input }: { ctx: AppContext; input: { email: string; password: string } }) {
  const user = await getUserByEmail(ctx.sql, { email: input.email });
  const ok = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok) throw new DomainError("invalid_credentials", "Email or password is wrong.");
  return {
    token: await issueSessionToken(ctx, { userId: user.id, tenantId: user.tenantId }),
    tenantId: user.tenantId,
  };
}
