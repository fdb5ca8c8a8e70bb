import { jwtVerify, SignJWT } from "jose";
import type { AppContext } from "../../context.ts";
import { DomainError } from "../../errors.ts";

export const SESSION_TTL_SECONDS = 7 * 24 * 3600;

export interface Session {
  userId: string;
  tenantId: string;
}

export async function issueSessionToken(ctx: AppContext, session: Session): Promise<string> {
  return new SignJWT({ tid: session.tenantId })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(session.userId)
    .setIssuer("herald")
    .setAudience("herald-console")
    .setIssuedAt()
    .setExpirationTime(`${SESSION_TTL_SECONDS}s`)
    .sign(ctx.keys.sessionKey);
}

export async function verifySessionToken(ctx: AppContext, token: string): Promise<Session> {
  try {
    const { payload } = await jwtVerify(token, ctx.keys.sessionKey, {
      issuer: "herald",
      audience: "herald-console",
      algorithms: ["HS256"],
    });
    if (typeof payload.sub !== "string" || typeof payload.tid !== "string") throw new Error("claims missing");
    return { userId: payload.sub, tenantId: payload.tid };
  } catch {
    throw new DomainError("unauthorized", "Your session is invalid or has expired; sign in again.");
  }
}
