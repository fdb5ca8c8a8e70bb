// What a bot webhook stores: the Teams channel of a team linked to the instance, and the Herald
// channel (one per Teams channel) whose queue and per-thread windows it shares with other webhooks.
import { createHash } from "node:crypto";
import { getLinkedChannel, type Queryable, upsertChannel } from "@herald/db";
import type { AppContext } from "../../context.ts";
import { DomainError } from "../../errors.ts";
import { requireBot } from "../bot/receive.ts";

export interface TeamsChannelInput {
  teamId: string;
  channelId: string;
}

export async function prepareBotChannel(
  ctx: AppContext,
  sql: Queryable,
  params: { tenantId: string; instanceId: string; teamsChannel: TeamsChannelInput },
) {
  requireBot(ctx);
  const { teamId, channelId } = params.teamsChannel;
  const channel = await getLinkedChannel(sql, {
    tenantId: params.tenantId,
    instanceId: params.instanceId,
    teamId,
    channelId,
  });
  if (channel === undefined) {
    throw new DomainError(
      "invalid_request",
      `Channel ${channelId} is not a channel of a team linked to this instance. Link the team first (Connect a Microsoft Teams team), then pick one of its channels from GET /v1/instances/${params.instanceId}/teams.`,
      { field: "teamsChannel" },
    );
  }
  if (!channel.installed) {
    throw new DomainError(
      "invalid_request",
      `Herald's app is not installed in the team ${channel.teamName ?? teamId}; add it to the team in Teams first.`,
      { field: "teamsChannel" },
    );
  }
  // A Teams channel id is no secret: the channel row is keyed by a plain hash of it, so it survives a HERALD_SECRET rotation.
  const urlHash = createHash("sha256").update(`bot:${channelId}`).digest();
  const heraldChannelId = await upsertChannel(sql, { urlHash, kind: "bot" });
  const shown = `${channel.teamName ?? "Team"} › ${channel.name ?? "General"}`;
  return {
    channelId: heraldChannelId,
    urlMask: `Teams bot: ${shown}`,
    teamsTeamId: teamId,
    teamsChannelId: channelId,
  };
}
