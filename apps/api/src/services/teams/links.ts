// Linking a Teams team to an instance: a single-use code valid 30 minutes, which a member of the
// team posts to Herald's bot (`@Herald link <code>`). Only a keyed hash of the code is stored.
import { randomBytes } from "node:crypto";
import { formatLinkCode } from "@herald/core";
import { insertLinkCode, listLinkedTeams } from "@herald/db";
import { linkCodeHash, requireBot } from "../bot/receive.ts";
import { type InstanceScope, listInInstance, requireInstance } from "../instances/index.ts";

export const LINK_CODE_TTL_MS = 30 * 60_000;

export async function createTeamLink({
  ctx,
  tenantId,
  instanceId,
}: InstanceScope): Promise<{ code: string; expiresAt: Date; command: string }> {
  // Another tenant's instance is not found, whether or not a bot is configured.
  await requireInstance(ctx, tenantId, instanceId);
  requireBot(ctx);
  const code = formatLinkCode(randomBytes(8));
  const expiresAt = new Date(ctx.clock.now().getTime() + LINK_CODE_TTL_MS);
  await insertLinkCode(ctx.sql, { codeHash: linkCodeHash(ctx, code), tenantId, instanceId, expiresAt });
  return { code, expiresAt, command: `@Herald link ${code}` };
}

export function listTeams(scope: InstanceScope) {
  return listInInstance(scope, listLinkedTeams);
}
