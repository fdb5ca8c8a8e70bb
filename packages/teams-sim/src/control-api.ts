// The control API under /_sim/ (and the status page at /): lets another process, such as a browser
// test, a benchmark or a person with curl, drive an emulator it did not start.

import type { IncomingMessage, ServerResponse } from "node:http";
import { behaviorProblem } from "./answers.ts";
import { readBodyAsync, sendJson, sendText } from "./http-io.ts";
import type { ChannelSummary } from "./request-log.ts";
import { renderStatusPage } from "./status-page.ts";
import type { Behavior, FlowOAuth, TeamsSim, WorkflowsUrlOptions } from "./types.ts";

const MAX_CONTROL_BODY = 1024 * 1024;

export interface ControlContext {
  sim: TeamsSim;
  startedAt: number;
  channels(): ChannelSummary[];
}

class ControlError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type JsonObject = Record<string, unknown>;

async function readJsonObject(req: IncomingMessage): Promise<JsonObject> {
  const { text } = await readBodyAsync(req, MAX_CONTROL_BODY);
  let value: unknown;
  try {
    value = text === "" ? {} : JSON.parse(text);
  } catch {
    throw new ControlError(400, "invalid_json", "The body must be JSON.");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ControlError(400, "invalid_json", "The body must be a JSON object.");
  }
  return value as JsonObject;
}

function optionalNumber(params: URLSearchParams, name: string): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new ControlError(400, "invalid_query", `${name} must be a number.`);
  return value;
}

function requestsQuery(sim: TeamsSim, params: URLSearchParams): unknown[] {
  const since = optionalNumber(params, "since");
  const limit = optionalNumber(params, "limit");
  let found = sim.requests(params.get("path") ?? undefined);
  if (since !== undefined) found = found.filter((r) => r.seq > since);
  if (limit !== undefined) found = found.slice(-Math.max(0, limit));
  return found;
}

async function setBehavior(sim: TeamsSim, req: IncomingMessage): Promise<unknown> {
  const input = await readJsonObject(req);
  const { path, behavior, times } = input;
  if (typeof path !== "string" || path === "") {
    throw new ControlError(
      400,
      "invalid_request",
      'path must be a webhook path or URL, or "*" for the default.',
    );
  }
  const problem = behaviorProblem(behavior);
  if (problem !== null) throw new ControlError(400, "invalid_request", problem);
  if (times !== undefined && (typeof times !== "number" || !Number.isInteger(times) || times < 1)) {
    throw new ControlError(400, "invalid_request", "times must be a whole number >= 1.");
  }
  const chosen = behavior as Behavior;
  if (path === "*") {
    if (times !== undefined)
      throw new ControlError(400, "invalid_request", "times is per webhook, not for *.");
    sim.setDefaultBehavior(chosen);
  } else {
    sim.setBehavior(path, chosen, times === undefined ? undefined : { times });
  }
  return { ok: true };
}

function oauthOf(value: unknown): FlowOAuth | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ControlError(400, "invalid_request", "oauth must be {tenantId, objectIds?, audience?}.");
  }
  const { tenantId, objectIds, audience } = value as JsonObject;
  if (typeof tenantId !== "string" || tenantId === "") {
    throw new ControlError(400, "invalid_request", "oauth.tenantId must be the Entra tenant id.");
  }
  if (
    objectIds !== undefined &&
    !(Array.isArray(objectIds) && objectIds.every((o) => typeof o === "string"))
  ) {
    throw new ControlError(400, "invalid_request", "oauth.objectIds must be an array of strings.");
  }
  if (audience !== undefined && typeof audience !== "string") {
    throw new ControlError(400, "invalid_request", "oauth.audience must be a string.");
  }
  return {
    tenantId,
    ...(objectIds === undefined ? {} : { objectIds: objectIds as string[] }),
    ...(audience === undefined ? {} : { audience }),
  };
}

async function createWebhook(sim: TeamsSim, req: IncomingMessage): Promise<unknown> {
  const { kind, channel, cu, form, oauth } = await readJsonObject(req);
  if (channel !== undefined && (typeof channel !== "string" || channel === "")) {
    throw new ControlError(400, "invalid_request", "channel must be a non-empty string.");
  }
  if (kind === "legacy") return { kind, url: sim.legacyUrl(channel) };
  if (kind !== "workflows") {
    throw new ControlError(400, "invalid_request", 'kind must be "legacy" or "workflows".');
  }
  if (cu !== undefined && (typeof cu !== "number" || !Number.isInteger(cu) || cu < 0)) {
    throw new ControlError(400, "invalid_request", "cu must be a whole number.");
  }
  if (form !== undefined && form !== "direct" && form !== "logic") {
    throw new ControlError(400, "invalid_request", 'form must be "direct" or "logic".');
  }
  const options: WorkflowsUrlOptions & { oauth?: FlowOAuth } = {};
  if (cu !== undefined) options.cu = cu;
  if (form !== undefined) options.form = form;
  const restriction = oauthOf(oauth);
  if (restriction !== undefined) options.oauth = restriction;
  return { kind, url: sim.workflowsUrl(channel, options) };
}

async function setFlow(sim: TeamsSim, req: IncomingMessage): Promise<unknown> {
  const { path, state } = await readJsonObject(req);
  if (typeof path !== "string" || path === "") {
    throw new ControlError(400, "invalid_request", "path must be a Workflows webhook path or URL.");
  }
  if (state !== "on" && state !== "off" && state !== "deleted") {
    throw new ControlError(400, "invalid_request", 'state must be "on", "off" or "deleted".');
  }
  sim.setFlowState(path, state);
  return { ok: true };
}

async function registerApp(sim: TeamsSim, req: IncomingMessage): Promise<unknown> {
  const { tenantId, clientId, clientSecret } = await readJsonObject(req);
  if (typeof tenantId !== "string" || tenantId === "") {
    throw new ControlError(400, "invalid_request", "tenantId must be the Entra tenant id.");
  }
  for (const [name, value] of [
    ["clientId", clientId],
    ["clientSecret", clientSecret],
  ] as const) {
    if (value !== undefined && (typeof value !== "string" || value === "")) {
      throw new ControlError(400, "invalid_request", `${name} must be a non-empty string.`);
    }
  }
  return sim.registerEntraApp({
    tenantId,
    ...(typeof clientId === "string" ? { clientId } : {}),
    ...(typeof clientSecret === "string" ? { clientSecret } : {}),
  });
}

async function wait(sim: TeamsSim, params: URLSearchParams): Promise<unknown> {
  const count = optionalNumber(params, "count") ?? 1;
  const timeoutMs = optionalNumber(params, "timeoutMs");
  try {
    return await sim.waitForRequests(count, { urlOrPath: params.get("path") ?? undefined, timeoutMs });
  } catch (error) {
    throw new ControlError(408, "timeout", error instanceof Error ? error.message : String(error));
  }
}

type Route = (ctx: ControlContext, req: IncomingMessage, params: URLSearchParams) => unknown;

const ROUTES: Record<string, Partial<Record<string, Route>>> = {
  "/_sim/health": {
    GET: ({ sim, startedAt }) => ({
      ok: true,
      baseUrl: sim.baseUrl,
      uptimeMs: Date.now() - startedAt,
      ...sim.stats(),
    }),
  },
  "/_sim/stats": { GET: ({ sim }) => sim.stats() },
  "/_sim/requests": { GET: ({ sim }, _req, params) => requestsQuery(sim, params) },
  "/_sim/violations": { GET: ({ sim }, _req, params) => sim.violations(params.get("path") ?? undefined) },
  "/_sim/channels": { GET: ({ channels }) => channels() },
  "/_sim/wait": { GET: ({ sim }, _req, params) => wait(sim, params) },
  "/_sim/behavior": { POST: ({ sim }, req) => setBehavior(sim, req) },
  "/_sim/webhooks": { POST: ({ sim }, req) => createWebhook(sim, req) },
  "/_sim/flows": { POST: ({ sim }, req) => setFlow(sim, req) },
  "/_sim/entra/apps": { POST: ({ sim }, req) => registerApp(sim, req) },
  "/_sim/entra/token-requests": {
    GET: ({ sim }, _req, params) => sim.tokenRequests(params.get("clientId") ?? undefined),
  },
  "/_sim/reset": {
    POST: ({ sim }) => {
      sim.reset();
      return { ok: true };
    },
  },
};

const CORS_PREFLIGHT = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, OPTIONS",
  "access-control-allow-headers": "content-type",
  "access-control-max-age": "600",
};

export function isControlPath(pathname: string): boolean {
  return pathname === "/" || pathname.startsWith("/_sim/");
}

export async function handleControl(
  ctx: ControlContext,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  search: string,
): Promise<void> {
  const method = req.method ?? "GET";
  try {
    if (pathname === "/") {
      if (method !== "GET" && method !== "HEAD")
        throw new ControlError(405, "method_not_allowed", "Use GET.");
      const page = renderStatusPage(ctx.sim.baseUrl, ctx.sim.stats(), ctx.channels());
      sendText(res, 200, page, { "content-type": "text/html; charset=utf-8" });
      return;
    }
    const routes = ROUTES[pathname];
    if (routes === undefined) throw new ControlError(404, "not_found", `No control route ${pathname}.`);
    if (method === "OPTIONS") {
      sendText(res, 204, "", CORS_PREFLIGHT);
      return;
    }
    const route = routes[method];
    if (route === undefined) {
      const allowed = Object.keys(routes).join(", ");
      throw new ControlError(405, "method_not_allowed", `Use ${allowed} on ${pathname}.`);
    }
    const result = await route(ctx, req, new URLSearchParams(search));
    const created = pathname === "/_sim/webhooks" || pathname === "/_sim/entra/apps";
    sendJson(res, created ? 201 : 200, result);
  } catch (error) {
    if (error instanceof ControlError) {
      sendJson(res, error.status, { error: { code: error.code, message: error.message } });
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    sendJson(res, 500, { error: { code: "internal", message } });
  }
}
