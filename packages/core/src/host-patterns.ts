// Host patterns ("*.webhook.office.com", "127.0.0.1", "127.0.0.1:4010", "[::1]:*"): which hosts,
// and on which ports, a webhook URL may target. A pattern without a port admits only the URL
// scheme's own port (443, or 80): listing a host opens its web port, not every service on it.
import { canonicalIp } from "./ip.ts";

export interface HostPattern {
  readonly pattern: string;
}

/** Microsoft's Teams webhook hosts: legacy connectors, then Power Automate Workflows. */
export const DEFAULT_WEBHOOK_HOSTS: readonly string[] = Object.freeze([
  "*.webhook.office.com",
  "outlook.office.com",
  "outlook.office365.com",
  "*.logic.azure.com",
  "*.environment.api.powerplatform.com",
]);

/** Splits a comma-separated list (HERALD_WEBHOOK_HOSTS): trims, lowercases, drops empties and repeats. */
export function parseHostPatterns(csv: string): readonly string[] {
  const patterns = csv
    .split(",")
    .map((p) => p.trim().toLowerCase())
    .filter((p) => p !== "");
  return Object.freeze([...new Set(patterns)]);
}

const LABEL = "[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?";
const HOST_NAME = new RegExp(`^${LABEL}(\\.${LABEL})*$`);

/** A pattern's host part and its port: a number, "*" (any), or undefined (the scheme's own). */
export function splitHostPattern(pattern: string): { host: string; port: number | "*" | undefined } | null {
  const match = /^(\[[^\]]+\]|[^:]+|[^[\]]*:[^[\]]*:[^[\]]*)(?::(\d{1,5}|\*))?$/.exec(pattern);
  // Unbracketed IPv6 (several colons) has no port; "[::1]:8080" and "host:8080" do.
  if (!match) return null;
  const rawHost = match[1] ?? "";
  if (!rawHost.startsWith("[") && rawHost.includes(":")) return { host: rawHost, port: undefined };
  const host = rawHost.replace(/^\[(.*)\]$/, "$1");
  const port = match[2] === undefined ? undefined : match[2] === "*" ? "*" : Number(match[2]);
  if (typeof port === "number" && (port < 1 || port > 65535)) return null;
  return { host, port };
}

/** The patterns that are neither "*." + host name, a host name, nor an IP literal (each with an optional ":port" or ":*"); for config checks. */
export function invalidHostPatterns(patterns: readonly string[]): string[] {
  return patterns.filter((p) => {
    const split = splitHostPattern(p);
    if (!split) return true;
    if (split.host.startsWith("*.")) return !HOST_NAME.test(split.host.slice(2));
    return canonicalIp(split.host) === null && !HOST_NAME.test(split.host);
  });
}

/** Host names compare lowercased; IP literals compare in canonical form ("[::1]", "0:0::1" and "::1" agree). */
function normaliseHost(host: string): string {
  return canonicalIp(host) ?? host.toLowerCase();
}

export type HostMatch = "explicit" | "wildcard" | null;

/** The port a URL targets and its scheme's own, for patterns that name (or omit) a port. */
export interface PortToMatch {
  port: number;
  schemePort: number;
}

/**
 * How `host` is allowed by `patterns`: "explicit" when one names it exactly, "wildcard" when only a
 * "*.x" pattern covers it (subdomains of x at any depth, never x itself), null when none does.
 * With `target`, a pattern also needs its port to match (none given: the scheme's own port).
 */
export function matchHost(host: string, patterns: readonly string[], target?: PortToMatch): HostMatch {
  const name = normaliseHost(host);
  let match: HostMatch = null;
  for (const raw of patterns) {
    const split = splitHostPattern(raw.trim().toLowerCase());
    if (!split) continue;
    if (target) {
      const wanted = split.port ?? target.schemePort;
      if (wanted !== "*" && wanted !== target.port) continue;
    }
    const pattern = split.host;
    if (pattern.startsWith("*.")) {
      const suffix = pattern.slice(1);
      if (name.endsWith(suffix) && name.length > suffix.length) match = "wildcard";
    } else if (pattern !== "" && normaliseHost(pattern) === name) {
      return "explicit";
    }
  }
  return match;
}
