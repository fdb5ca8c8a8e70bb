import { getUserByEmail, hasSignedInFrom } from "@herald/db";
import type { AppContext } from "../../context.ts";
import { DomainError } from "../../errors.ts";
import { hit, release } from "../throttle.ts";
import { passwordHashing, verifyPasswordQueued } from "./hashing.ts";
import { issueSession } from "./session.ts";
import { KNOWN_ADDRESS_DAYS, SIGN_IN_PER_ACCOUNT, SIGN_IN_PER_ADDRESS } from "./throttles.ts";

// A fixed hash to verify against when the email is unknown, so both paths cost the same.
const DUMMY_HASH = "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

export type SignInOutcome = "signed_in" | "invalid_credentials" | "rate_limited" | "busy" | "error";

function outcomeOf(error: unknown): SignInOutcome {
  if (!(error instanceof DomainError)) return "error";
  if (error.code === "invalid_credentials") return "invalid_credentials";
  if (error.code === "rate_limited") return "rate_limited";
  if (error.code === "service_unavailable") return "busy";
  return "error";
}

export async function login({
  ctx,
  input,
  clientAddress,
}: {
  ctx: AppContext;
  input: { email: string; password: string };
  clientAddress: string | undefined;
}) {
  const account = input.email.trim().toLowerCase();
  // One audit line per attempt, whatever its outcome: who tried which account from where.
  const audit = (outcome: SignInOutcome) =>
    ctx.logger.info(
      { audit: "sign_in", address: clientAddress ?? null, account, outcome },
      "sign-in attempt",
    );
  try {
    passwordHashing.assertRoom();
    // Counted before the password is checked, so guessing is slow whatever the answer.
    if (clientAddress) await hit(ctx, SIGN_IN_PER_ADDRESS, clientAddress);
    const user = await getUserByEmail(ctx.sql, { email: account });
    const knownAddress =
      user && clientAddress
        ? await hasSignedInFrom(ctx.sql, {
            userId: user.id,
            addressHashes: ctx.keys.addressHashes(clientAddress),
            withinDays: KNOWN_ADDRESS_DAYS,
          })
        : false;
    if (!knownAddress) await hit(ctx, SIGN_IN_PER_ACCOUNT, account);
    const ok = await verifyPasswordQueued(input.password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok) throw new DomainError("invalid_credentials", "Email or password is wrong.");
    // The rightful owner's attempt does not use up either budget.
    await Promise.all([
      clientAddress ? release(ctx, SIGN_IN_PER_ADDRESS, clientAddress) : undefined,
      knownAddress ? undefined : release(ctx, SIGN_IN_PER_ACCOUNT, account),
    ]);
    const { token } = await issueSession(ctx, { userId: user.id, tenantId: user.tenantId, clientAddress });
    audit("signed_in");
    return { token, tenantId: user.tenantId };
  } catch (error) {
    audit(outcomeOf(error));
    throw error;
  }
}
