// The control API under /_sim/bot/: plays the Teams client for a process that did not start the
// emulator (a browser test, a person with curl): teams, channels, installs, user posts.

import type { IncomingMessage, ServerResponse } from "node:http";
import type { BotService } from "./bot-service.ts";
import type { ForgeKind, SendOptions } from "./bot-types.ts";
import { readBodyAsync, sendJson } from "./http-io.ts";

const FORGERIES: ReadonlySet<string> = new Set([
  "bad_signature",
  "unknown_key",
  "wrong_audience",
  "wrong_issuer",
  "expired",
  "service_url_mismatch",
  "no_token",
]);

class BadInput extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  const { text } = await readBodyAsync(req, 1024 * 1024);
  if (text.trim() === "") return {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === "object" && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {}
  throw new BadInput(400, "The body must be a JSON object.");
}

function str(input: Record<string, unknown>, name: string, required: true): string;
function str(input: Record<string, unknown>, name: string, required?: false): string | undefined;
function str(input: Record<string, unknown>, name: string, required = false): string | undefined {
  const value = input[name];
  if (value === undefined && !required) return undefined;
  if (typeof value !== "string" || value === "")
    throw new BadInput(400, `${name} must be a non-empty string.`);
  return value;
}

function sendOptions(input: Record<string, unknown>): SendOptions {
  const forge = str(input, "forge");
  if (forge !== undefined && !FORGERIES.has(forge)) {
    throw new BadInput(400, `forge must be one of ${[...FORGERIES].join(", ")}.`);
  }
  const serviceUrl = str(input, "serviceUrl");
  return {
    ...(forge === undefined ? {} : { forge: forge as ForgeKind }),
    ...(serviceUrl === undefined ? {} : { serviceUrl }),
  };
}

export function isBotControlPath(pathname: string): boolean {
  return pathname === "/_sim/bot" || pathname.startsWith("/_sim/bot/");
}

async function route(
  bot: BotService,
  req: IncomingMessage,
  parts: string[],
  search: string,
): Promise<[number, unknown]> {
  const method = req.method ?? "GET";
  const [first, id, sub, subId] = parts;
  const teamOf = (teamId: string) => {
    const team = bot.team(teamId);
    if (team === undefined) throw new BadInput(404, `No team ${teamId}.`);
    return team;
  };
  if (first === undefined && method === "GET") {
    return [
      200,
      {
        appId: bot.appId,
        homeTenantId: bot.homeTenantId,
        serviceUrl: bot.serviceUrl,
        openIdMetadataUrl: bot.openIdMetadataUrl,
        authority: bot.authority,
      },
    ];
  }
  if (first === "config" && method === "POST") {
    bot.setMessagingEndpoint(str(await body(req), "messagingEndpoint", true));
    return [200, { ok: true }];
  }
  if (first === "teams" && id === undefined) {
    if (method === "GET") return [200, [...bot.connector.teams.values()]];
    if (method === "POST") {
      const input = await body(req);
      const channels = input.channels;
      if (
        channels !== undefined &&
        (!Array.isArray(channels) || channels.some((c) => typeof c !== "string"))
      ) {
        throw new BadInput(400, "channels must be an array of names.");
      }
      const tenantId = str(input, "tenantId");
      return [
        201,
        bot.createTeam({
          name: str(input, "name", true),
          ...(tenantId === undefined ? {} : { tenantId }),
          ...(channels === undefined ? {} : { channels: channels as string[] }),
        }),
      ];
    }
  }
  if (first === "teams" && id !== undefined) {
    const team = teamOf(id);
    if (sub === undefined && method === "GET") return [200, team];
    if (sub === "install" && method === "POST")
      return [200, { deliveries: await bot.install(team.id, sendOptions(await body(req))) }];
    if (sub === "uninstall" && method === "POST")
      return [200, { deliveries: await bot.uninstall(team.id, sendOptions(await body(req))) }];
    if (sub === "channels" && subId === undefined && method === "POST") {
      return [201, await bot.addChannel(team.id, str(await body(req), "name", true))];
    }
    if (sub === "channels" && subId !== undefined && method === "DELETE") {
      return [200, { delivery: await bot.removeChannel(team.id, subId) }];
    }
    if (sub === "messages" && method === "POST") {
      const input = await body(req);
      const channelId = str(input, "channelId");
      const userName = str(input, "userName");
      return [
        200,
        await bot.postAsUser(team.id, {
          text: str(input, "text", true),
          ...(channelId === undefined ? {} : { channelId }),
          ...(userName === undefined ? {} : { userName }),
          ...sendOptions(input),
        }),
      ];
    }
  }
  if (first === "activities" && method === "POST") {
    const input = await body(req);
    const activity = input.activity;
    if (typeof activity !== "object" || activity === null || Array.isArray(activity)) {
      throw new BadInput(400, "activity must be an object.");
    }
    return [200, await bot.sendActivity(activity as Record<string, unknown>, sendOptions(input))];
  }
  if (first === "channels" && id !== undefined && sub === "messages" && method === "GET") {
    return [200, bot.messages(id)];
  }
  if (first === "requests" && method === "GET") {
    const params = new URLSearchParams(search);
    const channelId = params.get("channelId") ?? undefined;
    return [200, bot.requests(channelId === undefined ? {} : { channelId })];
  }
  if (first === "violations" && method === "GET") return [200, bot.violations()];
  if (first === "fail" && method === "POST") {
    const input = await body(req);
    const status = input.status;
    const times = input.times ?? 1;
    if (typeof status !== "number" || !Number.isInteger(status) || status < 400 || status > 599) {
      throw new BadInput(400, "status must be an error status (400..599).");
    }
    if (typeof times !== "number" || !Number.isInteger(times) || times < 1)
      throw new BadInput(400, "times must be >= 1.");
    const message = str(input, "message");
    const retryAfter = str(input, "retryAfter");
    bot.failNext(
      str(input, "channelId", true),
      {
        status,
        code: str(input, "code", true),
        ...(message === undefined ? {} : { message }),
        ...(retryAfter === undefined ? {} : { retryAfter }),
      },
      times,
    );
    return [200, { ok: true }];
  }
  throw new BadInput(404, `No bot control route ${method} /_sim/bot/${parts.join("/")}.`);
}

export async function handleBotControl(
  bot: BotService,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  search: string,
): Promise<void> {
  const parts = pathname
    .slice("/_sim/bot".length)
    .split("/")
    .filter((p) => p !== "")
    .map(decodeURIComponent);
  try {
    const [status, value] = await route(bot, req, parts, search);
    sendJson(res, status, value);
  } catch (error) {
    if (error instanceof BadInput) {
      sendJson(res, error.status, {
        error: { code: error.status === 404 ? "not_found" : "invalid_request", message: error.message },
      });
      return;
    }
    sendJson(res, 500, {
      error: { code: "internal", message: error instanceof Error ? error.message : String(error) },
    });
  }
}
