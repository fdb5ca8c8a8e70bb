// What Herald's bot does with an activity from Teams, once it is verified: installs and
// uninstalls, channel changes, and `@Herald link <code>`, answered in the thread. Nothing is
// recorded before the activity's token has been checked.
import { normaliseLinkCode, parseLinkCommand } from "@herald/core";
import {
  consumeLinkCode,
  getBotTeam,
  getInstance,
  linkTeam,
  markBotChannelDeleted,
  reactivateTeamWebhooks,
  refreshBotServiceUrl,
  replaceBotChannels,
  resetChannel,
  settleTenantSend,
  upsertBotChannel,
  upsertBotTeam,
} from "@herald/db";
import { type BotClient, type BotConfig, disableBotTeam, takeTenantSlot } from "@herald/delivery";
import type { AppContext } from "../../context.ts";
import { DomainError } from "../../errors.ts";
import { forgetWebhook } from "../messages/webhook-cache.ts";

type Activity = Record<string, unknown>;

function obj(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
function str(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

interface TeamContext {
  teamId: string;
  teamName: string | null;
  teamsTenantId: string;
  serviceUrl: string;
}

function teamOf(activity: Activity): TeamContext | null {
  const channelData = obj(activity.channelData);
  const team = obj(channelData.team);
  const teamId = str(team.id) ?? str(channelData.teamsTeamId);
  const teamsTenantId = str(obj(channelData.tenant).id) ?? str(obj(activity.conversation).tenantId);
  const serviceUrl = str(activity.serviceUrl);
  if (teamId === null || teamsTenantId === null || serviceUrl === null) return null;
  return { teamId, teamName: str(team.name), teamsTenantId, serviceUrl };
}

function mentionsBot(list: unknown, botId: string | null): boolean {
  return Array.isArray(list) && list.some((m) => str(obj(m).id) === botId);
}

export function requireBot(ctx: AppContext): BotConfig {
  const bot = ctx.config.bot;
  if (bot === undefined) {
    throw new DomainError(
      "bot_not_configured",
      "This Herald has no Teams bot: the operator must set HERALD_BOT_APP_ID, HERALD_BOT_APP_SECRET and HERALD_BOT_TENANT_ID.",
    );
  }
  return bot;
}

/** Verifies and handles one activity POSTed to /bot/messages. */
export async function receiveActivity({
  ctx,
  authorization,
  body,
}: {
  ctx: AppContext;
  authorization: string | undefined;
  body: string;
}): Promise<void> {
  requireBot(ctx);
  let activity: Activity;
  try {
    activity = obj(JSON.parse(body));
  } catch {
    throw new DomainError("invalid_request", "The activity must be a JSON object.");
  }
  const check = await botParts(ctx).verifier.check(authorization, activity);
  if (!check.ok) {
    ctx.logger.warn({ reason: check.reason, type: str(activity.type) }, "bot activity refused");
    throw new DomainError(
      check.status === 401 ? "unauthorized" : "forbidden",
      `Activity refused: ${check.reason}. Only the Bot Framework may post to /bot/messages.`,
    );
  }
  const team = teamOf(activity);
  if (team === null) return; // personal chats and group chats: Herald's bot works in teams only
  const type = str(activity.type);
  const botId = str(obj(activity.recipient).id);
  const eventType = str(obj(activity.channelData).eventType);
  if (type === "installationUpdate") {
    const action = str(activity.action) ?? "";
    if (action.startsWith("add")) await installed(ctx, team);
    else if (action.startsWith("remove")) await uninstalled(ctx, team);
    return;
  }
  if (type === "conversationUpdate") {
    if (eventType === "teamMemberAdded" && mentionsBot(activity.membersAdded, botId)) {
      await installed(ctx, team);
    } else if (eventType === "teamMemberRemoved" && mentionsBot(activity.membersRemoved, botId)) {
      await uninstalled(ctx, team);
    } else {
      await refreshBotServiceUrl(ctx.sql, { teamId: team.teamId, serviceUrl: team.serviceUrl });
      await channelEvent(ctx, team, eventType, obj(obj(activity.channelData).channel));
    }
    return;
  }
  if (type === "message") {
    await upsertBotTeam(ctx.sql, { ...team, name: team.teamName, installed: true });
    await message(ctx, team, activity);
  }
}

async function installed(ctx: AppContext, team: TeamContext): Promise<void> {
  await upsertBotTeam(ctx.sql, { ...team, name: team.teamName, installed: true });
  await refreshChannels(ctx, team);
}

async function uninstalled(ctx: AppContext, team: TeamContext): Promise<void> {
  await upsertBotTeam(ctx.sql, { ...team, name: team.teamName, installed: false });
  const at = ctx.clock.now().toISOString().slice(0, 16).replace("T", " ");
  await disableBotTeam(ctx, {
    teamId: team.teamId,
    reason: `Herald's app was removed from the team ${team.teamName ?? team.teamId} on ${at} UTC; add the app to the team again and post a new link code to restore this channel.`,
  });
}

async function channelEvent(
  ctx: AppContext,
  team: TeamContext,
  eventType: string | null,
  channel: Record<string, unknown>,
): Promise<void> {
  const channelId = str(channel.id);
  if (channelId === null) return;
  if (eventType === "channelCreated" || eventType === "channelRenamed" || eventType === "channelRestored") {
    await upsertBotChannel(ctx.sql, { teamId: team.teamId, channelId, name: str(channel.name) });
  } else if (eventType === "channelDeleted") {
    await markBotChannelDeleted(ctx.sql, { teamId: team.teamId, channelId });
    await disableBotTeam(ctx, {
      teamId: team.teamId,
      channelId,
      reason: `The Teams channel ${str(channel.name) ?? channelId} was deleted.`,
    });
  }
}

/** The channel list from the Bot Connector; a failure leaves the stored list as it was. */
async function refreshChannels(ctx: AppContext, team: TeamContext): Promise<void> {
  try {
    const channels = await withTenantSlot(ctx, team.teamsTenantId, () =>
      botParts(ctx).client.listChannels(team.serviceUrl, team.teamId, ctx.config.sendTimeoutMs),
    );
    if (channels === null) throw new Error("Teams' limit of 50 requests per second left no slot within 3 s");
    await replaceBotChannels(ctx.sql, { teamId: team.teamId, channels });
  } catch (error) {
    ctx.logger.warn({ err: error, teamId: team.teamId }, "could not list the team's channels");
    await upsertBotChannel(ctx.sql, { teamId: team.teamId, channelId: team.teamId, name: null });
  }
}

async function message(ctx: AppContext, team: TeamContext, activity: Activity): Promise<void> {
  const text = str(activity.text);
  const code = text === null ? null : parseLinkCommand(text);
  if (code === null) return;
  const linkedBy = str(obj(activity.from).aadObjectId);
  const result = await consumeLinkCode(ctx.sql, {
    codeHash: linkCodeHash(ctx, code),
    teamId: team.teamId,
  });
  let answer: string;
  if (result === "unknown") {
    answer =
      "That link code is not one Herald issued. Create a code in the Herald console (Connect a Microsoft Teams team) and post it here within 30 minutes.";
  } else if (result === "expired") {
    answer =
      "That link code has expired (codes last 30 minutes). Create a new one in the Herald console and post it here.";
  } else if (result === "used") {
    answer =
      "That link code was already used: each code links one team, once. Create a new one in the Herald console.";
  } else {
    await linkTeam(ctx.sql, { ...result, teamId: team.teamId, linkedBy });
    const restored = await reactivateTeamWebhooks(ctx.sql, { ...result, teamId: team.teamId });
    for (const w of restored) {
      await resetChannel(ctx.sql, { channelId: w.channelId });
      forgetWebhook(ctx, result.tenantId, w.id);
    }
    await refreshChannels(ctx, team);
    const instance = await getInstance(ctx.sql, { tenantId: result.tenantId, instanceId: result.instanceId });
    const teamName = team.teamName ?? (await getBotTeam(ctx.sql, { teamId: team.teamId }))?.name ?? null;
    const again = restored.length > 0 ? ` ${restored.length} bot channel(s) of this team work again.` : "";
    answer = `Linked this team${teamName ? ` (${teamName})` : ""} to the Herald instance "${instance?.name ?? result.instanceId}". Add its channels in the Herald console.${again}`;
  }
  await replyInThread(ctx, activity, answer);
}

export function linkCodeHash(ctx: AppContext, code: string): Uint8Array {
  return ctx.keys.channelHash(`team-link:${normaliseLinkCode(code)}`);
}

async function replyInThread(ctx: AppContext, activity: Activity, text: string): Promise<void> {
  const serviceUrl = str(activity.serviceUrl);
  const conversation = str(obj(activity.conversation).id);
  if (serviceUrl === null || conversation === null) return;
  const url = `${serviceUrl.replace(/\/+$/, "")}/v3/conversations/${encodeURIComponent(conversation)}/activities`;
  const body = JSON.stringify({ type: "message", text, textFormat: "plain", replyToId: str(activity.id) });
  const tenantId =
    str(obj(obj(activity.channelData).tenant).id) ?? str(obj(activity.conversation).tenantId) ?? "";
  const answer = await withTenantSlot(ctx, tenantId, () =>
    botParts(ctx).client.send({ method: "POST", url, body }, ctx.config.sendTimeoutMs),
  );
  if (answer === null || answer.type !== "response" || answer.status >= 300) {
    ctx.logger.warn(
      {
        answer:
          answer === null
            ? "no slot in Teams' 50/s window"
            : answer.type === "response"
              ? answer.status
              : answer.type,
      },
      "could not answer the link command",
    );
  }
}

/**
 * The api's own Bot Connector requests (channel lists, answers in a thread) count in the Teams
 * tenant's 50/s window like the worker's: each takes a slot, waiting up to 3 s for one. Null when
 * none came: nothing was sent.
 */
async function withTenantSlot<T>(
  ctx: AppContext,
  teamsTenantId: string,
  request: () => Promise<T>,
): Promise<T | null> {
  const slot = await takeTenantSlot(
    { sql: ctx.sql, guardMs: ctx.config.rateGuardMs },
    { teamsTenantId, timeoutMs: ctx.config.sendTimeoutMs, maxWaitMs: 3_000 },
  );
  if (slot === null) return null;
  try {
    return await request();
  } finally {
    await settleTenantSend(ctx.sql, { teamsTenantId, slot });
  }
}

function botParts(ctx: AppContext): { client: BotClient; verifier: NonNullable<AppContext["botVerifier"]> } {
  if (ctx.bot === undefined || ctx.botVerifier === undefined) {
    throw new DomainError("not_found", "Herald's Teams bot is not configured on this server.");
  }
  return { client: ctx.bot, verifier: ctx.botVerifier };
}
