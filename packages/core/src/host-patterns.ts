// Host patterns ("*.webhook.office.com", "127.0.0.1"): which hosts a webhook URL may target.
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

/** The patterns that are neither "*." + host name, a host name, nor an IP literal; for config checks. */
export function invalidHostPatterns(patterns: readonly string[]): string[] {
  return patterns.filter((p) => {
    if (p.startsWith("*.")) return !HOST_NAME.test(p.slice(2));
    return canonicalIp(p) === null && !HOST_NAME.test(p);
  });
}

/** Host names compare lowercased; IP literals compare in canonical form ("[::1]", "0:0::1" and "::1" agree). */
function normaliseHost(host: string): string {
  return canonicalIp(host) ?? host.toLowerCase();
}

export type HostMatch = "explicit" | "wildcard" | null;

/**
 * How `host` is allowed by `patterns`: "explicit" when one names it exactly, "wildcard" when only a
 * "*.x" pattern covers it (subdomains of x at any depth, never x itself), null when none does.
 */
export function matchHost(host: string, patterns: readonly string[]): HostMatch {
  const name = normaliseHost(host);
  let match: HostMatch = null;
  for (const raw of patterns) {
    const pattern = raw.trim().toLowerCase();
    if (pattern.startsWith("*.")) {
      const suffix = pattern.slice(1);
      if (name.endsWith(suffix) && name.length > suffix.length) match = "wildcard";
    } else if (pattern !== "" && normaliseHost(pattern) === name) {
      return "explicit";
    }
  }
  return match;
}
