// Herald's Teams bot: installed teams and their channels (global: a team belongs to no tenant until
// it is linked), team links and link codes (tenant-scoped), bot webhooks' Teams targets, the ids
// Teams gave bot messages, and the per-Teams-tenant rate window.
import type { Queryable, Sql } from "../client.ts";
import type { NewWebhook } from "./webhooks.ts";

export interface BotTeamRow {
  id: string;
  teamsTenantId: string;
  name: string | null;
  serviceUrl: string;
  installed: boolean;
  installedAt: Date;
  uninstalledAt: Date | null;
}

export interface BotChannelRow {
  teamId: string;
  channelId: string;
  name: string | null;
}

/** Records an install (or any activity from a team): the team, its tenant and current serviceUrl. */
export async function upsertBotTeam(
  sql: Queryable,
  params: {
    teamId: string;
    teamsTenantId: string;
    name: string | null;
    serviceUrl: string;
    installed: boolean;
  },
): Promise<void> {
  await sql`
    INSERT INTO bot_teams (id, teams_tenant_id, name, service_url, installed)
    VALUES (${params.teamId}, ${params.teamsTenantId}, ${params.name}, ${params.serviceUrl}, ${params.installed})
    ON CONFLICT (id) DO UPDATE SET
      teams_tenant_id = EXCLUDED.teams_tenant_id,
      name = COALESCE(EXCLUDED.name, bot_teams.name),
      service_url = EXCLUDED.service_url,
      installed = EXCLUDED.installed,
      installed_at = CASE WHEN EXCLUDED.installed AND NOT bot_teams.installed THEN now() ELSE bot_teams.installed_at END,
      uninstalled_at = CASE WHEN EXCLUDED.installed THEN NULL
                            WHEN bot_teams.installed THEN now() ELSE bot_teams.uninstalled_at END,
      updated_at = now()`;
}

/** Every inbound activity names the team's current serviceUrl; Teams may move a team to another one. */
export async function refreshBotServiceUrl(
  sql: Queryable,
  params: { teamId: string; serviceUrl: string },
): Promise<void> {
  await sql`
    UPDATE bot_teams SET service_url = ${params.serviceUrl}, updated_at = now()
    WHERE id = ${params.teamId} AND service_url IS DISTINCT FROM ${params.serviceUrl}`;
}

export async function getBotTeam(
  sql: Queryable,
  params: { teamId: string },
): Promise<BotTeamRow | undefined> {
  const [row] = await sql<BotTeamRow[]>`
    SELECT id, teams_tenant_id, name, service_url, installed, installed_at, uninstalled_at
    FROM bot_teams WHERE id = ${params.teamId}`;
  return row;
}

/** The channel list as the Bot Connector gave it: new ones added, renamed ones renamed, missing ones marked deleted. */
export async function replaceBotChannels(
  sql: Queryable,
  params: { teamId: string; channels: { channelId: string; name: string | null }[] },
): Promise<void> {
  const ids = params.channels.map((c) => c.channelId);
  await sql`
    INSERT INTO bot_team_channels (team_id, channel_id, name)
    SELECT ${params.teamId}, c.id, c.name
    FROM unnest(${ids}::text[], ${params.channels.map((c) => c.name)}::text[]) AS c(id, name)
    ON CONFLICT (team_id, channel_id) DO UPDATE SET name = EXCLUDED.name, deleted_at = NULL, updated_at = now()`;
  await sql`
    UPDATE bot_team_channels SET deleted_at = now(), updated_at = now()
    WHERE team_id = ${params.teamId} AND deleted_at IS NULL AND NOT (channel_id = ANY(${ids}::text[]))`;
}

export async function upsertBotChannel(
  sql: Queryable,
  params: { teamId: string; channelId: string; name: string | null },
): Promise<void> {
  await sql`
    INSERT INTO bot_team_channels (team_id, channel_id, name) VALUES (${params.teamId}, ${params.channelId}, ${params.name})
    ON CONFLICT (team_id, channel_id) DO UPDATE SET name = COALESCE(EXCLUDED.name, bot_team_channels.name),
      deleted_at = NULL, updated_at = now()`;
}

export async function markBotChannelDeleted(sql: Queryable, params: { teamId: string; channelId: string }) {
  await sql`
    UPDATE bot_team_channels SET deleted_at = now(), updated_at = now()
    WHERE team_id = ${params.teamId} AND channel_id = ${params.channelId}`;
}

export async function insertLinkCode(
  sql: Queryable,
  params: { codeHash: Uint8Array; tenantId: string; instanceId: string; expiresAt: Date },
): Promise<void> {
  await sql`
    INSERT INTO team_link_codes (code_hash, tenant_id, instance_id, expires_at)
    VALUES (${Buffer.from(params.codeHash)}, ${params.tenantId}, ${params.instanceId}, ${params.expiresAt})`;
}

/** Uses a code once: answers its instance, or why it links nothing. The UPDATE is the single use. */
export async function consumeLinkCode(
  sql: Queryable,
  params: { codeHash: Uint8Array; teamId: string },
): Promise<{ tenantId: string; instanceId: string } | "unknown" | "expired" | "used"> {
  const [row] = await sql<{ tenantId: string; instanceId: string }[]>`
    UPDATE team_link_codes SET used_at = now(), used_by_team = ${params.teamId}
    WHERE code_hash = ${Buffer.from(params.codeHash)} AND used_at IS NULL AND expires_at > now()
    RETURNING tenant_id, instance_id`;
  if (row) return row;
  const [seen] = await sql<{ used: boolean }[]>`
    SELECT used_at IS NOT NULL AS used FROM team_link_codes WHERE code_hash = ${Buffer.from(params.codeHash)}`;
  if (!seen) return "unknown";
  return seen.used ? "used" : "expired";
}

export async function linkTeam(
  sql: Queryable,
  params: { tenantId: string; instanceId: string; teamId: string; linkedBy: string | null },
): Promise<void> {
  await sql`
    INSERT INTO team_links (tenant_id, instance_id, team_id, linked_by)
    VALUES (${params.tenantId}, ${params.instanceId}, ${params.teamId}, ${params.linkedBy})
    ON CONFLICT (tenant_id, instance_id, team_id) DO UPDATE SET linked_by = EXCLUDED.linked_by, linked_at = now()`;
}

export interface LinkedTeamRow extends BotTeamRow {
  linkedAt: Date;
  channels: { channelId: string; name: string | null }[];
}

export async function listLinkedTeams(
  sql: Queryable,
  params: { tenantId: string; instanceId: string },
): Promise<LinkedTeamRow[]> {
  return sql<LinkedTeamRow[]>`
    SELECT t.id, t.teams_tenant_id, t.name, t.service_url, t.installed, t.installed_at, t.uninstalled_at,
           l.linked_at,
           COALESCE((SELECT json_agg(json_build_object('channelId', c.channel_id, 'name', c.name)
                                     ORDER BY c.name IS NOT NULL, c.name, c.channel_id)
                     FROM bot_team_channels c WHERE c.team_id = t.id AND c.deleted_at IS NULL), '[]'::json) AS channels
    FROM team_links l JOIN bot_teams t ON t.id = l.team_id
    WHERE l.tenant_id = ${params.tenantId} AND l.instance_id = ${params.instanceId}
    ORDER BY l.linked_at, t.id`;
}

/** A channel of a team linked to this instance, or undefined (unknown, someone else's, or deleted). */
export async function getLinkedChannel(
  sql: Queryable,
  params: { tenantId: string; instanceId: string; teamId: string; channelId: string },
): Promise<(BotChannelRow & { teamName: string | null; installed: boolean }) | undefined> {
  const [row] = await sql<(BotChannelRow & { teamName: string | null; installed: boolean })[]>`
    SELECT c.team_id, c.channel_id, c.name, t.name AS team_name, t.installed
    FROM team_links l JOIN bot_teams t ON t.id = l.team_id
      JOIN bot_team_channels c ON c.team_id = t.id AND c.deleted_at IS NULL
    WHERE l.tenant_id = ${params.tenantId} AND l.instance_id = ${params.instanceId}
      AND l.team_id = ${params.teamId} AND c.channel_id = ${params.channelId}`;
  return row;
}

/** Every live bot webhook of a team, in every tenant: the bot left it, so none of them can post. */
export async function disableTeamWebhooks(
  sql: Queryable,
  params: { teamId: string; reason: string; channelId?: string },
): Promise<{ id: string; tenantId: string; instanceId: string }[]> {
  return sql<{ id: string; tenantId: string; instanceId: string }[]>`
    UPDATE webhooks SET active = false, disabled_reason = ${params.reason}, disabled_at = now(), updated_at = now()
    WHERE teams_team_id = ${params.teamId} AND deleted_at IS NULL AND active
      AND (${params.channelId ?? null}::text IS NULL OR teams_channel_id = ${params.channelId ?? null})
    RETURNING id, tenant_id, instance_id`;
}

/**
 * Re-linking a team brings back the instance's bot webhooks that Herald disabled (uninstall, roster
 * errors); those a person inactivated (no reason recorded) stay inactive.
 */
export async function reactivateTeamWebhooks(
  sql: Queryable,
  params: { tenantId: string; instanceId: string; teamId: string },
): Promise<{ id: string; channelId: string }[]> {
  return sql<{ id: string; channelId: string }[]>`
    UPDATE webhooks SET active = true, disabled_reason = NULL, disabled_at = NULL, updated_at = now()
    WHERE tenant_id = ${params.tenantId} AND instance_id = ${params.instanceId} AND teams_team_id = ${params.teamId}
      AND deleted_at IS NULL AND NOT active AND disabled_reason IS NOT NULL
    RETURNING id, channel_id::text AS channel_id`;
}

export interface BotTargetRow {
  webhookId: string;
  teamId: string;
  channelId: string;
  serviceUrl: string;
  teamsTenantId: string;
  installed: boolean;
}

/** Where each bot webhook posts: its Teams channel and the team's current serviceUrl. */
export async function botTargetsOf(
  sql: Queryable,
  params: { webhookIds: string[] },
): Promise<BotTargetRow[]> {
  if (params.webhookIds.length === 0) return [];
  return sql<BotTargetRow[]>`
    SELECT w.id AS webhook_id, w.teams_team_id AS team_id, w.teams_channel_id AS channel_id,
           t.service_url, t.teams_tenant_id, t.installed
    FROM webhooks w JOIN bot_teams t ON t.id = w.teams_team_id
    WHERE w.id = ANY(${params.webhookIds}::text[])`;
}

export interface BotMessageRow {
  messageId: string;
  tenantId: string;
  webhookId: string;
  teamsChannelId: string;
  activityId: string | null;
  rootActivityId: string;
  postedAt: Date;
  updatedAt: Date | null;
  deletedAt: Date | null;
}

export async function recordBotMessage(
  sql: Queryable,
  params: Pick<
    BotMessageRow,
    "messageId" | "tenantId" | "webhookId" | "teamsChannelId" | "activityId" | "rootActivityId"
  >,
): Promise<void> {
  await sql`
    INSERT INTO bot_messages (message_id, tenant_id, webhook_id, teams_channel_id, activity_id, root_activity_id)
    VALUES (${params.messageId}, ${params.tenantId}, ${params.webhookId}, ${params.teamsChannelId},
            ${params.activityId}, ${params.rootActivityId})
    ON CONFLICT (message_id) DO UPDATE SET activity_id = EXCLUDED.activity_id, root_activity_id = EXCLUDED.root_activity_id`;
}

export async function markBotMessage(
  sql: Queryable,
  params: { tenantId: string; messageId: string; change: "updated" | "deleted" },
): Promise<void> {
  await sql`
    UPDATE bot_messages SET
      updated_at = ${params.change === "updated" ? sql`now()` : sql`updated_at`},
      deleted_at = ${params.change === "deleted" ? sql`now()` : sql`deleted_at`}
    WHERE tenant_id = ${params.tenantId} AND message_id = ${params.messageId}`;
}

export async function getBotMessages(
  sql: Queryable,
  params: { tenantId: string; messageIds: string[] },
): Promise<BotMessageRow[]> {
  if (params.messageIds.length === 0) return [];
  return sql<BotMessageRow[]>`
    SELECT message_id, tenant_id, webhook_id, teams_channel_id, activity_id, root_activity_id, posted_at,
           updated_at, deleted_at
    FROM bot_messages WHERE tenant_id = ${params.tenantId} AND message_id = ANY(${params.messageIds}::text[])`;
}

/**
 * Reserves one request in a Teams tenant's window (limit per periodMs, all channels and replicas):
 * the tenant's row is locked while the recent slots are counted, so two workers cannot both take
 * the last one. Answers the slot (to settle once Teams answers), or, when the window is full, in
 * how many milliseconds it admits the next request. A reservation is dated `inFlightMs` ahead (the
 * latest the request can reach Teams) until settleTenantSend moves it to Teams' answer: many
 * channels send at once, and a request held up longer than the window between its reservation and
 * Teams' door must still count when it arrives. One whose answer never came (a crash) counts
 * until then.
 */
export async function reserveTenantSend(
  sql: Sql,
  params: { teamsTenantId: string; limit: number; periodMs: number; inFlightMs: number },
): Promise<{ admitted: true; slot: string } | { admitted: false; retryInMs: number }> {
  return sql.begin(async (tx) => {
    await tx`INSERT INTO bot_tenant_windows (teams_tenant_id) VALUES (${params.teamsTenantId}) ON CONFLICT DO NOTHING`;
    await tx`SELECT 1 FROM bot_tenant_windows WHERE teams_tenant_id = ${params.teamsTenantId} FOR UPDATE`;
    // An unsettled slot frees a place no sooner than a period after now (its answer is yet to come).
    // The wait is answered in the database's time, so no caller's clock has to agree with it.
    const recent = await tx<{ freesInMs: number }[]>`
      SELECT (extract(epoch FROM LEAST(sent_at, clock_timestamp()) - clock_timestamp()) * 1000
              + ${params.periodMs})::float8 AS frees_in_ms
      FROM bot_tenant_sends
      WHERE teams_tenant_id = ${params.teamsTenantId}
        AND sent_at > clock_timestamp() - ${params.periodMs} * interval '1 millisecond'
      ORDER BY sent_at DESC LIMIT ${params.limit}`;
    const oldest = recent[params.limit - 1];
    if (recent.length >= params.limit && oldest !== undefined) {
      return { admitted: false as const, retryInMs: Math.max(0, oldest.freesInMs) };
    }
    const [slot] = await tx<{ slot: string }[]>`
      INSERT INTO bot_tenant_sends (teams_tenant_id, sent_at)
      VALUES (${params.teamsTenantId}, clock_timestamp() + ${params.inFlightMs} * interval '1 millisecond')
      RETURNING sent_at::text AS slot`;
    return { admitted: true as const, slot: slot?.slot ?? "" };
  });
}

/**
 * Moves a tenant slot to Teams' answer, as channel slots are (see settleSendSlots): the request
 * reached Teams before it, and counting it at the answer keeps the window intact at Teams' door
 * whatever the latency. A slot is named by its reserved time (microseconds); reservations of one
 * tenant are made one after another under its row lock, so no two share one. The slot goes to the
 * server as text: postgres.js sends a timestamptz parameter through a JavaScript Date, which keeps
 * milliseconds only, and the slot would then match no row.
 */
export async function settleTenantSend(
  sql: Queryable,
  params: { teamsTenantId: string; slot: string },
): Promise<void> {
  if (params.slot === "") return;
  await sql`
    UPDATE bot_tenant_sends SET sent_at = clock_timestamp()
    WHERE teams_tenant_id = ${params.teamsTenantId} AND sent_at = (${params.slot}::text)::timestamptz`;
}

export async function pruneTenantSends(sql: Queryable, params: { olderThanMs: number }): Promise<number> {
  const rows = await sql`
    DELETE FROM bot_tenant_sends WHERE sent_at < clock_timestamp() - ${params.olderThanMs} * interval '1 millisecond'
    RETURNING 1`;
  return rows.length;
}

/** A webhook of kind bot: it names a Teams channel instead of carrying an encrypted URL. */
export async function insertBotWebhook(
  sql: Queryable,
  params: NewWebhook & { teamsTeamId: string; teamsChannelId: string },
): Promise<void> {
  await sql`
    INSERT INTO webhooks (id, tenant_id, instance_id, channel_id, name, description, url_mask, kind,
                          teams_team_id, teams_channel_id)
    VALUES (${params.id}, ${params.tenantId}, ${params.instanceId}, ${params.channelId}, ${params.name},
            ${params.description}, ${params.urlMask}, 'bot', ${params.teamsTeamId}, ${params.teamsChannelId})`;
}

/** A message's stored payload (a bot envelope for bot webhooks); null once purged. */
export async function getMessagePayload(
  sql: Queryable,
  params: { tenantId: string; messageId: string },
): Promise<string | null | undefined> {
  const [row] = await sql<{ payload: string | null }[]>`
    SELECT payload FROM messages WHERE tenant_id = ${params.tenantId} AND id = ${params.messageId}`;
  return row === undefined ? undefined : row.payload;
}
