// The Teams bot's settings: HERALD_BOT_APP_ID, HERALD_BOT_APP_SECRET, HERALD_BOT_TENANT_ID,
// HERALD_BOT_OPENID_METADATA and HERALD_BOT_SERVICE_URLS (with HERALD_ENTRA_AUTHORITY for tokens).
// Without an app id Herald runs without a bot. The secret lives in this object only: it is not
// stored, not logged (the logger redacts it) and never answered.
import {
  BOT_FRAMEWORK_OPENID_METADATA,
  DEFAULT_BOT_SERVICE_HOSTS,
  DEFAULT_ENTRA_AUTHORITY,
  invalidHostPatterns,
  isLoopbackHost,
  parseHostPatterns,
} from "@herald/core";
import type { BotConfig } from "@herald/delivery";

export class BotConfigError extends Error {}

function urlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be a URL";
  }
  if (url.protocol === "https:") return null;
  if (url.protocol === "http:" && isLoopbackHost(url.hostname.replace(/^\[(.*)\]$/, "$1"))) return null;
  return "must be an https:// URL (plain http only for a loopback host, in tests)";
}

export function loadBotConfig(env: Record<string, string | undefined>): BotConfig | undefined {
  const read = (name: string) => {
    const value = env[name]?.trim();
    return value === undefined || value === "" ? undefined : value;
  };
  const appId = read("HERALD_BOT_APP_ID");
  const appSecret = read("HERALD_BOT_APP_SECRET");
  const tenantId = read("HERALD_BOT_TENANT_ID");
  const problems: string[] = [];
  if (appId === undefined) {
    if (appSecret !== undefined || tenantId !== undefined) {
      problems.push(
        "  HERALD_BOT_APP_ID: required when HERALD_BOT_APP_SECRET or HERALD_BOT_TENANT_ID is set",
      );
    } else return undefined;
  }
  if (appSecret === undefined)
    problems.push("  HERALD_BOT_APP_SECRET: required when HERALD_BOT_APP_ID is set");
  if (tenantId === undefined) {
    problems.push(
      "  HERALD_BOT_TENANT_ID: required when HERALD_BOT_APP_ID is set (the bot's home tenant, where its tokens are minted)",
    );
  }
  const openIdMetadataUrl = read("HERALD_BOT_OPENID_METADATA") ?? BOT_FRAMEWORK_OPENID_METADATA;
  const metadataProblem = urlProblem(openIdMetadataUrl);
  if (metadataProblem !== null) problems.push(`  HERALD_BOT_OPENID_METADATA: ${metadataProblem}`);
  const authority = (read("HERALD_ENTRA_AUTHORITY") ?? DEFAULT_ENTRA_AUTHORITY).replace(/\/+$/, "");
  const authorityProblem = urlProblem(authority);
  if (authorityProblem !== null) problems.push(`  HERALD_ENTRA_AUTHORITY: ${authorityProblem}`);
  const hosts = read("HERALD_BOT_SERVICE_URLS");
  let serviceHosts: readonly string[] = DEFAULT_BOT_SERVICE_HOSTS;
  if (hosts !== undefined) {
    serviceHosts = parseHostPatterns(hosts);
    const invalid = invalidHostPatterns(serviceHosts);
    if (invalid.length > 0 || serviceHosts.length === 0) {
      problems.push(
        `  HERALD_BOT_SERVICE_URLS: must be host names, *.domain patterns or IP addresses, comma-separated; not ${invalid.join(", ") || "empty"}`,
      );
    }
  }
  if (problems.length > 0 || appId === undefined || appSecret === undefined || tenantId === undefined) {
    throw new BotConfigError(`Invalid configuration:\n${problems.join("\n")}`);
  }
  return { appId, appSecret, tenantId, authority, openIdMetadataUrl, serviceHosts };
}
