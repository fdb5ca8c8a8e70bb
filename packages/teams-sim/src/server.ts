// The emulator's HTTP server: Teams legacy connector and Workflows webhooks, plus the control API.
//
// Plain node:http rather than hono: the benchmark blasts this server with thousands of requests per
// second to measure Herald against a raw baseline, so the emulator must cost as little as possible
// per request (no Request/Response objects, no router); and "hang" and "reset" need the raw socket,
// which node:http hands over directly. The whole routing is two prefixes, so a framework buys little.

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import {
  type Answer,
  forcedOutcome,
  LEGACY_DELIVERED,
  LEGACY_THROTTLED,
  LEGACY_TOO_LARGE,
  legacyRefused,
  type Outcome,
  WORKFLOWS_ACCEPTED,
  workflowsError,
  workflowsThrottled,
} from "./answers.ts";
import { BehaviorTable } from "./behaviors.ts";
import { handleBotControl, isBotControlPath } from "./bot-control.ts";
import { BotService } from "./bot-service.ts";
import { handleControl, isControlPath } from "./control-api.ts";
import { EntraDirectory } from "./entra.ts";
import { FlowTable, type FlowVerdict } from "./flows.ts";
import { type ReceivedBody, readBody, readBodyAsync, sendJson, sendText } from "./http-io.ts";
import { checkLegacyPayload, checkWorkflowsPayload, parseJson, payloadText } from "./payloads.ts";
import { TEAMS_LEGACY_WINDOWS, type WindowLog, windowLogOf } from "./rate-windows.ts";
import { RequestLog } from "./request-log.ts";
import type {
  Behavior,
  RateWindow,
  RecordedRequest,
  TeamsSim,
  TeamsSimOptions,
  WebhookKind,
} from "./types.ts";
import { kindOfPath, legacyPath, pathnameOf, workflowsPath } from "./urls.ts";

const TOKEN_PATH = /^\/([^/]+)\/oauth2\/v2\.0\/token$/;
const KEYS_PATH = /^\/([^/]+)\/discovery\/v2\.0\/keys$/;

const DEFAULT_MAX_PAYLOAD_BYTES = 28_672;
const DEFAULT_WAIT_MS = 10_000;

/** What the "ok" path decided for a request, before it is recorded and answered. */
interface Judgement {
  answer: Answer;
  json: unknown;
  text: string | null;
  violation: RateWindow | null;
  delivered: boolean;
}

interface Settings {
  legacyWindows: readonly RateWindow[];
  workflowsWindows: readonly RateWindow[];
  maxPayloadBytes: number;
  quiet: boolean;
}

function baseUrlFor(host: string, port: number): string {
  if (host === "0.0.0.0" || host === "") return `http://127.0.0.1:${port}`;
  if (host === "::") return `http://[::1]:${port}`;
  return host.includes(":") ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}

function splitUrl(url: string): { pathname: string; search: string } {
  const q = url.indexOf("?");
  return q === -1 ? { pathname: url, search: "" } : { pathname: url.slice(0, q), search: url.slice(q) };
}

export async function startTeamsSim(options: TeamsSimOptions = {}): Promise<TeamsSim> {
  const host = options.host ?? "127.0.0.1";
  const settings: Settings = {
    legacyWindows:
      options.enforceLegacyWindows === false ? [] : (options.legacyWindows ?? TEAMS_LEGACY_WINDOWS),
    workflowsWindows: options.workflowsWindows ?? [],
    maxPayloadBytes: options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
    quiet: options.quiet ?? true,
  };
  // Keep a little more than the limit so an oversized body is still recorded recognisably.
  const readCap = Math.max(settings.maxPayloadBytes * 2, 64 * 1024);
  const log = new RequestLog({
    maxRecordedBodies: options.maxRecordedBodies ?? 100_000,
    maxRecords: options.maxRecords ?? 1_000_000,
  });
  const behaviors = new BehaviorTable();
  const entra = new EntraDirectory({ tokenLifetimeSeconds: options.entraTokenLifetimeSeconds });
  const flows = new FlowTable(entra);
  let windows = new Map<string, WindowLog>();
  const sockets = new Set<Socket>();
  const delayed = new Set<NodeJS.Timeout>();
  const startedAt = Date.now();
  let closed = false;
  const bot = await BotService.create(options.bot ?? {}, settings.maxPayloadBytes, entra);

  function windowsOf(pathname: string, kind: WebhookKind): WindowLog | null {
    return windowLogOf(
      windows,
      pathname,
      kind === "legacy" ? settings.legacyWindows : settings.workflowsWindows,
    );
  }

  /** Teams' own handling of a message: size, then payload, then the rate windows (valid messages only). */
  function judge(kind: WebhookKind, pathname: string, body: ReceivedBody, at: number): Judgement {
    const legacy = kind === "legacy";
    if (body.bytes > settings.maxPayloadBytes) {
      const answer = legacy
        ? LEGACY_TOO_LARGE
        : workflowsError(
            413,
            "RequestEntityTooLarge",
            `The message is larger than ${settings.maxPayloadBytes} bytes.`,
          );
      const json = parseJson(body.text);
      return { answer, json, text: payloadText(json), violation: null, delivered: false };
    }
    const check = legacy ? checkLegacyPayload(body.text) : checkWorkflowsPayload(body.text);
    if (!check.ok) {
      const answer = legacy
        ? legacyRefused(check.reason)
        : workflowsError(400, "InvalidRequestContent", check.reason);
      return { answer, json: check.json, text: payloadText(check.json), violation: null, delivered: false };
    }
    const breach = windowsOf(pathname, kind)?.judge(at) ?? null;
    if (breach !== null) {
      const answer = legacy ? LEGACY_THROTTLED : workflowsThrottled(breach.retryAfterMs);
      return { answer, json: check.json, text: check.text, violation: breach.window, delivered: false };
    }
    const answer = legacy ? LEGACY_DELIVERED : WORKFLOWS_ACCEPTED;
    return { answer, json: check.json, text: check.text, violation: null, delivered: true };
  }

  function answer(req: IncomingMessage, res: ServerResponse, outcome: Outcome): void {
    if (outcome === "hang") return;
    if (outcome === "reset") {
      req.socket.resetAndDestroy();
      return;
    }
    if (outcome.delayMs <= 0) {
      sendText(res, outcome.status, outcome.body, outcome.headers);
      return;
    }
    const timer = setTimeout(() => {
      delayed.delete(timer);
      sendText(res, outcome.status, outcome.body, outcome.headers);
    }, outcome.delayMs);
    delayed.add(timer);
  }

  function onWebhook(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    pathname: string,
    kind: WebhookKind,
  ) {
    readBody(req, readCap, (body) => {
      const at = Date.now();
      const method = req.method ?? "GET";
      if (kind !== "workflows" || method !== "POST") {
        respond(req, res, { path, pathname, kind, method, body, at }, null);
        return;
      }
      // Power Automate decides about the flow (on, deleted, who may call it) before the message.
      const verdict = flows.judge(pathname, req.headers.authorization);
      const request = { path, pathname, kind, method, body, at };
      if (verdict instanceof Promise) {
        verdict.then(
          (v) => respond(req, res, request, v),
          () => respond(req, res, request, null),
        );
      } else {
        respond(req, res, request, verdict);
      }
    });
  }

  function respond(
    req: IncomingMessage,
    res: ServerResponse,
    request: {
      path: string;
      pathname: string;
      kind: WebhookKind;
      method: string;
      body: ReceivedBody;
      at: number;
    },
    verdict: FlowVerdict | null,
  ) {
    const { path, pathname, kind, method, body, at } = request;
    let outcome: Outcome;
    let judgement: Judgement | null = null;
    let json: unknown;
    let text: string | null;
    if (method !== "POST") {
      outcome = { status: 405, headers: { allow: "POST" }, body: "Method Not Allowed", delayMs: 0 };
      json = parseJson(body.text);
      text = null;
    } else if (verdict?.refusal) {
      outcome = verdict.refusal;
      json = parseJson(body.text);
      text = payloadText(json);
    } else {
      const behavior = behaviors.take(pathname);
      if (behavior === "ok") {
        judgement = judge(kind, pathname, body, at);
        outcome = judgement.answer;
        json = judgement.json;
        text = judgement.text;
      } else {
        outcome = forcedOutcome(behavior, kind);
        json = parseJson(body.text);
        text = payloadText(json);
      }
    }
    const seq = log.nextSeq;
    const record: RecordedRequest = {
      seq,
      at,
      path,
      kind,
      method,
      body: body.text,
      bytes: body.bytes,
      json: json ?? null,
      contentType: req.headers["content-type"] ?? null,
      answeredStatus: typeof outcome === "string" ? 0 : outcome.status,
      violation: (judgement?.violation ?? null) !== null,
      delivered: judgement?.delivered ?? false,
      text,
      bodyDropped: false,
      bearer: verdict?.bearer ?? null,
    };
    log.add(record, pathname);
    if (judgement?.violation) log.addViolation({ seq, path, at, window: { ...judgement.violation } });
    if (!settings.quiet) logLine(record);
    answer(req, res, outcome);
  }

  /** The emulated Entra ID: the token endpoint and its signing keys. */
  async function onEntra(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const token = TOKEN_PATH.exec(pathname);
    if (token?.[1] !== undefined) {
      if (req.method !== "POST") {
        sendJson(res, 405, { error: "invalid_request", error_description: "Use POST." });
        return;
      }
      const { text } = await readBodyAsync(req, 64 * 1024);
      const result = await entra.token(decodeURIComponent(token[1]), new URLSearchParams(text));
      sendJson(res, result.status, result.body);
      return;
    }
    sendJson(res, 200, await entra.jwks());
  }

  const server = createServer((req, res) => {
    const url = req.url ?? "/";
    const { pathname, search } = splitUrl(url);
    if (TOKEN_PATH.test(pathname) || KEYS_PATH.test(pathname)) {
      onEntra(req, res, pathname).catch((error: unknown) =>
        sendJson(res, 500, { error: "server_error", error_description: String(error) }),
      );
      return;
    }
    if (bot.handles(pathname)) {
      bot.handle(req, res, pathname, url).catch((error: unknown) => internalError(res, error));
      return;
    }
    if (isBotControlPath(pathname)) {
      void handleBotControl(bot, req, res, pathname, search);
      return;
    }
    const kind = kindOfPath(pathname);
    if (kind !== null) {
      onWebhook(req, res, url, pathname, kind);
      return;
    }
    if (isControlPath(pathname)) {
      void handleControl({ sim, startedAt, channels: () => log.channels() }, req, res, pathname, search);
      return;
    }
    sendText(
      res,
      404,
      "Not Found: webhook paths contain /webhookb2/, /webhook/, /workflows/ or /powerautomate/.",
    );
  });
  // Clients keep connections alive between bursts; Node's 5 s default drops them too eagerly.
  server.keepAliveTimeout = 30_000;
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const baseUrl = baseUrlFor(host, port);
  bot.setBaseUrl(baseUrl);

  const sim: TeamsSim = {
    baseUrl,
    port,
    authority: baseUrl,
    bot,
    legacyUrl(channel) {
      const path = legacyPath(channel);
      log.registerWebhook(path, "legacy");
      return baseUrl + path;
    },
    workflowsUrl(channel, urlOptions = {}) {
      const { oauth, ...shape } = urlOptions;
      const path = workflowsPath(channel, oauth === undefined ? shape : { ...shape, unsigned: true });
      log.registerWebhook(path, "workflows");
      if (oauth !== undefined) flows.restrict(pathnameOf(path), oauth);
      return baseUrl + path;
    },
    setFlowState(urlOrPath, state) {
      flows.setState(pathnameOf(urlOrPath), state);
    },
    registerEntraApp(input) {
      return entra.registerApp(input);
    },
    tokenRequests(clientId) {
      return entra.tokenRequests(clientId);
    },
    setBehavior(urlOrPath: string, behavior: Behavior, opts?: { times?: number }) {
      behaviors.set(pathnameOf(urlOrPath), behavior, opts?.times);
    },
    setDefaultBehavior(behavior: Behavior) {
      behaviors.setDefault(behavior);
    },
    requests(urlOrPath) {
      return log.requests(urlOrPath === undefined ? undefined : pathnameOf(urlOrPath));
    },
    violations(urlOrPath) {
      return log.violations(urlOrPath === undefined ? undefined : pathnameOf(urlOrPath));
    },
    stats() {
      return log.stats();
    },
    waitForRequests(count, opts) {
      if (closed) return Promise.reject(new Error("teams-sim: closed"));
      const pathname = opts?.urlOrPath === undefined ? undefined : pathnameOf(opts.urlOrPath);
      return log.waitFor(count, pathname, opts?.timeoutMs ?? DEFAULT_WAIT_MS);
    },
    reset() {
      bot.reset();
      log.clear();
      behaviors.clear();
      flows.reset();
      entra.resetCounts();
      windows = new Map();
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const timer of delayed) clearTimeout(timer);
      delayed.clear();
      log.rejectWaiters("closed");
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await stopped;
    },
  };
  return sim;
}

function internalError(res: ServerResponse, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  sendText(res, 500, JSON.stringify({ error: { code: "InternalServerError", message } }), {
    "content-type": "application/json; charset=utf-8",
  });
}

function logLine(r: RecordedRequest): void {
  const time = new Date(r.at).toISOString().slice(11, 23);
  const verdict = r.violation ? " RATE-WINDOW VIOLATION" : r.delivered ? " delivered" : "";
  const text = r.text === null ? "" : ` "${r.text.replace(/\s+/g, " ").slice(0, 80)}"`;
  process.stdout.write(`${time} ${r.kind} ${r.method} ${r.path} -> ${r.answeredStatus}${verdict}${text}\n`);
}
