// Webhook URLs shaped like Teams' own, and how a request path maps to a webhook.

import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { WebhookKind } from "./types.ts";

/** For hosts outside Microsoft's the path decides the kind, as Herald does (see ARCHITECTURE.md). */
export function kindOfPath(pathname: string): WebhookKind | null {
  if (pathname.includes("/webhookb2/") || pathname.includes("/webhook/")) return "legacy";
  if (pathname.includes("/workflows/") || pathname.includes("/powerautomate/")) return "workflows";
  return null;
}

/** The pathname of a full URL or of a path with a query; webhooks are identified by it. */
export function pathnameOf(urlOrPath: string): string {
  if (/^https?:\/\//i.test(urlOrPath)) return new URL(urlOrPath).pathname;
  const end = urlOrPath.search(/[?#]/);
  return end === -1 ? urlOrPath : urlOrPath.slice(0, end);
}

/** Hex derived from a seed (same channel, same URL), or random when there is none. */
function hex(bytes: number, seed: string | undefined): string {
  if (seed === undefined) return randomBytes(bytes).toString("hex");
  return createHash("sha256")
    .update(seed)
    .digest("hex")
    .slice(0, bytes * 2);
}

function uuid(seed: string | undefined): string {
  if (seed === undefined) return randomUUID();
  const h = hex(16, seed);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** `/webhookb2/<channel>@<uuid>/IncomingWebhook/<32 hex>/<uuid>` */
export function legacyPath(channel?: string): string {
  const seed = channel === undefined ? undefined : `legacy:${channel}`;
  const group = channel === undefined ? randomUUID() : encodeURIComponent(channel);
  return `/webhookb2/${group}@${uuid(seed && `${seed}:tenant`)}/IncomingWebhook/${hex(16, seed)}/${uuid(seed && `${seed}:owner`)}`;
}

export interface WorkflowsUrlOptions {
  /**
   * "direct" (default): today's `/powerautomate/automations/direct[/cu/<n>]/workflows/...` form;
   * "logic": the older `prod-NN.<region>.logic.azure.com` path `/workflows/...`.
   */
  form?: "direct" | "logic";
  /** The routing segment `/cu/<n>/` of newer URLs. */
  cu?: number;
  /** Leave out `sig`: the flow is restricted to Entra-authenticated callers. */
  unsigned?: boolean;
}

/**
 * `/powerautomate/automations/direct[/cu/<n>]/workflows/<channel or 32 hex>/triggers/manual/paths/invoke?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=<43 chars>`
 * (or `/workflows/...?api-version=2016-06-01&...` in the "logic" form).
 */
export function workflowsPath(channel?: string, options: WorkflowsUrlOptions = {}): string {
  const seed = channel === undefined ? undefined : `workflows:${channel}`;
  const flow = channel === undefined ? hex(16, undefined) : encodeURIComponent(channel);
  const logic = options.form === "logic";
  const prefix = logic
    ? ""
    : `/powerautomate/automations/direct${options.cu === undefined ? "" : `/cu/${options.cu}`}`;
  const version = logic ? "2016-06-01" : "1";
  const query = `api-version=${version}&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0`;
  if (options.unsigned === true) return `${prefix}/workflows/${flow}/triggers/manual/paths/invoke?${query}`;
  const sig = Buffer.from(hex(32, seed && `${seed}:sig`), "hex").toString("base64url");
  return `${prefix}/workflows/${flow}/triggers/manual/paths/invoke?${query}&sig=${sig}`;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** A readable channel name for the status page: the group of a legacy URL, the flow of a Workflows one. */
export function channelOfPath(pathname: string): string {
  const legacy = /\/webhook(?:b2)?\/([^/@]+)/.exec(pathname);
  if (legacy?.[1] !== undefined) return decode(legacy[1]);
  const flow = /\/workflows\/([^/]+)/.exec(pathname);
  if (flow?.[1] !== undefined) return decode(flow[1]);
  return pathname;
}
