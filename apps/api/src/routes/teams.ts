// Herald's Teams bot: the messaging endpoint Teams posts activities to, and the console's team
// links (a code to post in Teams, then the linked teams with their channels).
import { InstanceParams, LinkedTeamList, TeamLink } from "@herald/contract";
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppContext } from "../context.ts";
import type { AppEnv } from "../hono-env.ts";
import { receiveActivity } from "../services/bot/receive.ts";
import { createTeamLink, listTeams } from "../services/teams/links.ts";
import { errorResponses, json } from "./responses.ts";

const security = [{ Session: [] }];

const botMessagesRoute = createRoute({
  method: "post",
  path: "/bot/messages",
  operationId: "receiveBotActivity",
  summary: "The Teams bot's messaging endpoint (the Bot Connector posts activities here)",
  description:
    "Each activity must carry the Bot Framework's JWT (issuer https://api.botframework.com, audience HERALD_BOT_APP_ID, RS256 keys from HERALD_BOT_OPENID_METADATA, serviceUrl claim equal to the activity's, on HERALD_BOT_SERVICE_URLS). Anything else answers 401 or 403 and changes nothing.",
  tags: ["Teams bot"],
  // The Bot Framework's token is checked by the service, not by a session or license scheme.
  security: [],
  responses: { 200: json(z.object({}), "Accepted"), ...errorResponses(400, 401, 403, 409, 413) },
});

const createLinkRoute = createRoute({
  method: "post",
  path: "/v1/instances/{instanceId}/teams-links",
  operationId: "createTeamsLink",
  summary: "Connect a Microsoft Teams team: a single-use code (30 minutes) to post as @Herald link <code>",
  description:
    "Answers a single-use code, valid for 30 minutes; posting `@Herald link <code>` in any channel of a team links that team (and its channels) to the instance.",
  tags: ["Console"],
  security,
  request: { params: InstanceParams },
  responses: {
    201: json(TeamLink, "Post the command in any channel of the team"),
    ...errorResponses(401, 404, 409),
  },
});

const listTeamsRoute = createRoute({
  method: "get",
  path: "/v1/instances/{instanceId}/teams",
  operationId: "listTeams",
  summary: "Teams linked to the instance, with their channels",
  description:
    "The Microsoft Teams teams linked to the instance through the bot, with the channels a webhook can target (teamsChannel).",
  tags: ["Console"],
  security,
  request: { params: InstanceParams },
  responses: {
    200: json(LinkedTeamList, "Linked teams"),
    ...errorResponses(401, 404),
  },
});

export function teamsRoutes(ctx: AppContext) {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(botMessagesRoute, async (c) => {
    await receiveActivity({ ctx, authorization: c.req.header("authorization"), body: await c.req.text() });
    return c.json({}, 200);
  });
  app.openapi(createLinkRoute, async (c) => {
    const link = await createTeamLink({
      ctx,
      tenantId: c.get("session").tenantId,
      instanceId: c.req.valid("param").instanceId,
    });
    return c.json({ ...link, expiresAt: link.expiresAt.toISOString() }, 201);
  });
  app.openapi(listTeamsRoute, async (c) => {
    const rows = await listTeams({
      ctx,
      tenantId: c.get("session").tenantId,
      instanceId: c.req.valid("param").instanceId,
    });
    const items = rows.map((t) => ({
      teamId: t.id,
      name: t.name,
      teamsTenantId: t.teamsTenantId,
      installed: t.installed,
      linkedAt: t.linkedAt.toISOString(),
      channels: t.channels.map((ch) => ({ channelId: ch.channelId, name: ch.name ?? "General" })),
    }));
    return c.json({ items }, 200);
  });
  return app;
}
