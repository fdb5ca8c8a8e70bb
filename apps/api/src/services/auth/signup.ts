import { getPlan, getUserByEmail, insertInstance, insertTenant, insertUser } from "@herald/db";
import type { AppContext } from "../../context.ts";
import { DomainError } from "../../errors.ts";
import { hit } from "../throttle.ts";
import { hashPasswordQueued, passwordHashing } from "./hashing.ts";
import { issueSession } from "./session.ts";
import { SIGN_UP_PER_ADDRESS } from "./throttles.ts";

export interface SignupInput {
  email: string;
  password: string;
  organization: string;
}

/** A new tenant on the trial plan, with its first instance, as Mendix's "Try for Free" does. */
export async function signup({
  ctx,
  input,
  clientAddress,
}: {
  ctx: AppContext;
  input: SignupInput;
  clientAddress: string | undefined;
}) {
  passwordHashing.assertRoom();
  // Herald sends no email, so "already exists" stays an answer; this bounds how fast anyone can ask.
  if (clientAddress) await hit(ctx, SIGN_UP_PER_ADDRESS, clientAddress);
  if (await getUserByEmail(ctx.sql, { email: input.email })) {
    throw new DomainError("email_taken", `An account for ${input.email} already exists; sign in instead.`);
  }
  const passwordHash = await hashPasswordQueued(input.password);
  const tenantId = ctx.ids.id("ten");
  const instanceId = ctx.ids.id("ins");
  const userId = ctx.ids.id("usr");
  const now = ctx.clock.now();
  await ctx.sql
    .begin(async (tx) => {
      const plan = await getPlan(tx, { name: "trial" });
      const trialEndsAt = plan?.trialDays ? new Date(now.getTime() + plan.trialDays * 86_400_000) : null;
      await insertTenant(tx, {
        id: tenantId,
        name: input.organization,
        plan: "trial",
        trialEndsAt,
        subscriptionStatus: "trialing",
      });
      await insertUser(tx, { id: userId, tenantId, email: input.email, passwordHash });
      await insertInstance(tx, { id: instanceId, tenantId, name: "Developer Instance" });
    })
    .catch((error: unknown) => {
      if (isUniqueViolation(error)) {
        throw new DomainError(
          "email_taken",
          `An account for ${input.email} already exists; sign in instead.`,
        );
      }
      throw error;
    });
  const { token } = await issueSession(ctx, { userId, tenantId, clientAddress });
  return { token, tenantId, instanceId };
}

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "23505";
}
