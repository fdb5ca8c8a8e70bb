// Herald's side of the Bot Connector: an Entra token for https://api.botframework.com (client
// credentials in the bot's home tenant, reused until shortly before it expires), and requests to a
// team's serviceUrl. Direct REST rather than a Teams SDK: Herald needs five routes, its own rate
// windows in PostgreSQL and its own answer classification, and an SDK would own all three.
// The app secret is read from the configuration only; it never reaches an error, a log or a row.
import {
  type BotAnswer,
  type BotConnectorRequest,
  readTokenAnswer,
  serviceUrlProblem,
  tokenEndpoint,
  tokenRequestBody,
} from "@herald/core";
import type { Clock } from "./context.ts";
import { readCapped } from "./read-capped.ts";

export interface BotConfig {
  readonly appId: string;
  readonly appSecret: string;
  /** The bot's home tenant: outbound tokens are minted there. */
  readonly tenantId: string;
  readonly authority: string;
  readonly openIdMetadataUrl: string;
  /** HERALD_BOT_SERVICE_URLS: the host patterns a serviceUrl may have. */
  readonly serviceHosts: readonly string[];
}

export const BOT_AUDIENCE = "https://api.botframework.com";
const MAX_ANSWER_BYTES = 64 * 1024;

export class BotTokenError extends Error {}

export interface BotClient {
  send(
    request: BotConnectorRequest,
    timeoutMs: number,
  ): Promise<BotAnswer | { type: "refused"; reason: string }>;
  /** The team's channels, General first without a name, as the Bot Connector lists them. */
  listChannels(
    serviceUrl: string,
    teamId: string,
    timeoutMs: number,
  ): Promise<{ channelId: string; name: string | null }[]>;
}

interface CachedToken {
  accessToken: string;
  reuseUntilMs: number;
}

/** The bot's client: one per runtime (openRuntime), so its token is shared by every channel task. */
export function createBotClient(config: BotConfig, clock: Clock): BotClient {
  let cached: CachedToken | null = null;
  let pending: Promise<string> | null = null;

  async function fetchToken(timeoutMs: number): Promise<string> {
    const res = await fetch(tokenEndpoint(config.authority, config.tenantId), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: tokenRequestBody({
        clientId: config.appId,
        clientSecret: config.appSecret,
        audience: BOT_AUDIENCE,
      }),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "manual",
    });
    const answer = readTokenAnswer(res.status, await res.text(), clock.now().getTime());
    if (!answer.ok) {
      throw new BotTokenError(
        answer.refused
          ? `Entra refused the bot's token request (${answer.code}: ${answer.description}); check HERALD_BOT_APP_ID, HERALD_BOT_APP_SECRET and HERALD_BOT_TENANT_ID.`
          : `Entra did not issue the bot's token (${answer.description}).`,
      );
    }
    cached = { accessToken: answer.accessToken, reuseUntilMs: answer.reuseUntilMs };
    return answer.accessToken;
  }

  async function token(timeoutMs: number): Promise<string> {
    if (cached !== null && cached.reuseUntilMs > clock.now().getTime()) return cached.accessToken;
    // Concurrent channel tasks share one token request.
    pending ??= fetchToken(timeoutMs).finally(() => {
      pending = null;
    });
    return pending;
  }

  async function call(
    method: string,
    url: string,
    body: string | null,
    timeoutMs: number,
  ): Promise<BotAnswer | { type: "refused"; reason: string }> {
    const problem = serviceUrlProblem(url, config.serviceHosts);
    if (problem !== null)
      return { type: "refused", reason: `Herald does not post to this serviceUrl: ${problem}.` };
    // One deadline for the token and the request: a slot in Teams' windows is held until then.
    // Real time, not the injected clock: it bounds a network request.
    const deadline = performance.now() + timeoutMs;
    let bearer: string;
    try {
      bearer = await token(timeoutMs);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { type: "network_error", error: message };
    }
    try {
      const res = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${bearer}`,
          "content-type": "application/json; charset=utf-8",
          "user-agent": "Herald/0.1 (+teams-bot)",
        },
        ...(body === null ? {} : { body }),
        signal: AbortSignal.timeout(Math.max(1, Math.ceil(deadline - performance.now()))),
        redirect: "manual",
      });
      const text = res.body === null ? "" : await readCapped(res.body, MAX_ANSWER_BYTES);
      // A refused token (rotated secret, clock skew) is fetched anew for the retry.
      if (res.status === 401) cached = null;
      return { type: "response", status: res.status, body: text, retryAfter: res.headers.get("retry-after") };
    } catch (error) {
      const name = (error as { name?: string }).name ?? "";
      const message = (error instanceof Error ? error.message : String(error)).replace(
        /https?:\/\/\S+/g,
        "<serviceUrl>",
      );
      if (name === "TimeoutError" || name === "AbortError") return { type: "timeout", error: message };
      return { type: "network_error", error: message };
    }
  }

  return {
    send: (request, timeoutMs) => call(request.method, request.url, request.body, timeoutMs),
    async listChannels(serviceUrl, teamId, timeoutMs) {
      const url = `${serviceUrl.replace(/\/+$/, "")}/v3/teams/${encodeURIComponent(teamId)}/conversations`;
      const answer = await call("GET", url, null, timeoutMs);
      if (answer.type !== "response" || answer.status !== 200) {
        const why =
          answer.type === "response"
            ? `HTTP ${answer.status} ${answer.body.slice(0, 200)}`
            : answer.type === "refused"
              ? answer.reason
              : answer.error;
        throw new Error(`The Bot Connector did not list the team's channels: ${why}`);
      }
      const parsed = JSON.parse(answer.body) as { conversations?: { id?: unknown; name?: unknown }[] };
      return (parsed.conversations ?? []).flatMap((c) =>
        typeof c.id === "string"
          ? [{ channelId: c.id, name: typeof c.name === "string" ? c.name : null }]
          : [],
      );
    },
  };
}
