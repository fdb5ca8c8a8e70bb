// Webhook URLs: which ones Herald may post to, what kind of Teams endpoint they are, and how to show them.
import { DEFAULT_WEBHOOK_HOSTS, type HostPattern, matchHost, parseHostPatterns } from "./host-patterns.ts";
import { isInternalAddress, isLoopbackAddress, isLoopbackHost } from "./ip.ts";

export type { HostPattern };
export { DEFAULT_WEBHOOK_HOSTS, isInternalAddress, isLoopbackAddress, parseHostPatterns };

export type UrlKind = "legacy" | "workflows";

export type WebhookUrlCheck =
  | { ok: true; url: string; kind: UrlKind; host: string }
  | { ok: false; reason: string };

export const MAX_WEBHOOK_URL_LENGTH = 2048;

const LEGACY_HOSTS = ["*.webhook.office.com", "outlook.office.com", "outlook.office365.com"];
const WORKFLOWS_HOSTS = ["*.logic.azure.com", "*.powerplatform.com"];

function kindFromPath(pathname: string): UrlKind | null {
  const path = pathname.toLowerCase();
  if (path.includes("/webhookb2/") || path.includes("/webhook/")) return "legacy";
  if (path.includes("/workflows/")) return "workflows";
  return null;
}

function refuse(reason: string): WebhookUrlCheck {
  return { ok: false, reason };
}

/**
 * Checks a candidate webhook URL against the allowed host patterns. Reasons never quote the path or
 * query: in a Teams webhook URL those are the credential.
 *
 * On Microsoft's hosts the host decides the kind, but the path must still be that kind's webhook path,
 * so that a pasted mailbox or portal link is refused now rather than disabling the channel later.
 * Host names are not resolved here; whoever connects must also refuse internal resolved addresses.
 */
export function checkWebhookUrl(raw: string, allowedHosts: readonly string[]): WebhookUrlCheck {
  const text = raw.trim();
  if (text === "") return refuse("Enter the webhook URL copied from the Teams channel.");
  if (text.length > MAX_WEBHOOK_URL_LENGTH) {
    return refuse(
      `The webhook URL is ${text.length} characters long; the limit is ${MAX_WEBHOOK_URL_LENGTH}. Copy it again from Teams.`,
    );
  }

  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refuse(
      "That is not a complete URL; paste the whole webhook URL from Teams, starting with https://.",
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return refuse("A webhook URL must start with https://.");
  }
  if (url.username !== "" || url.password !== "") {
    return refuse("A webhook URL must not contain a user name or password before the host.");
  }

  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const schemePort = url.protocol === "https:" ? 443 : 80;
  const port = url.port === "" ? schemePort : Number(url.port);
  const match = matchHost(host, allowedHosts, { port, schemePort });
  if (match === null) {
    // The allowed list is the operator's business (it may name internal hosts); tenants are not shown it.
    return refuse(
      matchHost(host, allowedHosts) === null
        ? `${host} is not among the webhook hosts this Herald accepts; an operator can allow it in HERALD_WEBHOOK_HOSTS.`
        : `Port ${port} of ${host} is not one this Herald posts to; an operator can allow it in HERALD_WEBHOOK_HOSTS (host:port).`,
    );
  }
  const internal = isLoopbackHost(host) || isInternalAddress(host);
  if (internal && match !== "explicit") {
    return refuse(
      `${host} is a loopback or private address, which is refused unless HERALD_WEBHOOK_HOSTS names it exactly.`,
    );
  }
  if (url.protocol === "http:" && !(match === "explicit" && isLoopbackHost(host))) {
    return refuse(
      "A webhook URL must use https://; plain http is allowed only for a loopback host listed in HERALD_WEBHOOK_HOSTS.",
    );
  }

  const pathKind = kindFromPath(url.pathname);
  const hostKind: UrlKind | null =
    matchHost(host, LEGACY_HOSTS) !== null
      ? "legacy"
      : matchHost(host, WORKFLOWS_HOSTS) !== null
        ? "workflows"
        : null;
  const kind = hostKind ?? pathKind;
  if (kind === null || (hostKind !== null && pathKind !== hostKind)) {
    return refuse(
      "This is not a Teams webhook URL: copy the URL of an Incoming Webhook connector or of a Workflows " +
        '"post to a channel when a webhook request is received" trigger.',
    );
  }

  // The fragment never reaches the server; dropping it makes one endpoint one URL, so rate windows
  // (kept per URL) cannot be dodged by appending "#2".
  url.hash = "";
  return { ok: true, url: url.href, kind, host: url.hostname };
}

const SAFE_FIRST_SEGMENTS = new Set(["webhookb2", "webhook", "workflows", "powerautomate"]);
const MIN_HIDDEN_FOR_TAIL = 16;

/**
 * For display and logs: scheme://host/ + the first path segment when it is a well-known word, then "…"
 * and the URL's last 4 characters ("https://contoso.webhook.office.com/webhookb2/…a1b2"). The tail is
 * left out when fewer than 16 characters would stay hidden, so short secrets are never half-shown.
 */
export function maskWebhookUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return "(invalid URL)";
  }
  parsed.hash = "";
  parsed.username = "";
  parsed.password = "";
  const href = parsed.href;
  const origin = `${parsed.protocol}//${parsed.host}/`;
  const first = parsed.pathname.split("/")[1] ?? "";
  const shown = SAFE_FIRST_SEGMENTS.has(first.toLowerCase()) ? `${origin}${first}/` : origin;
  const hidden = href.length - shown.length;
  if (hidden <= 0) return shown;
  const tail = hidden >= MIN_HIDDEN_FOR_TAIL ? href.slice(-4) : "";
  return `${shown}…${tail}`;
}

export interface WorkflowsUrlShape {
  /** "direct": `/powerautomate/automations/direct[/cu/<n>]/workflows/…`; "logic": `/workflows/…` (logic.azure.com). */
  form: "direct" | "logic";
  /** The routing segment of newer URLs (`/cu/16/`), or null. */
  cu: number | null;
  flowId: string;
  /**
   * False when the URL has no `sig`: the flow admits only Entra-authenticated callers ("Any user in
   * my tenant" / "Specific users in my tenant"), so Herald needs an Entra app to call it.
   */
  signed: boolean;
}

const DIRECT_PATH = /^\/powerautomate\/automations\/direct(?:\/cu\/(\d+))?\/workflows\/([^/]+)\//i;
const LOGIC_PATH = /^\/workflows\/([^/]+)\//i;

/** The parts of a Workflows trigger URL that change how Herald calls it; null for other URLs. */
export function workflowsUrlShape(raw: string): WorkflowsUrlShape | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  const signed = (url.searchParams.get("sig") ?? "") !== "";
  const direct = DIRECT_PATH.exec(url.pathname);
  if (direct?.[2] !== undefined) {
    return {
      form: "direct",
      cu: direct[1] === undefined ? null : Number(direct[1]),
      flowId: direct[2],
      signed,
    };
  }
  const logic = LOGIC_PATH.exec(url.pathname);
  if (logic?.[1] !== undefined) return { form: "logic", cu: null, flowId: logic[1], signed };
  return null;
}
