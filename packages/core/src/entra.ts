// Microsoft Entra ID client credentials for flows restricted to a tenant's users: the token request,
// what Entra's answer means, and how long a token may be reused.
import { collapseText } from "./text.ts";

export const DEFAULT_ENTRA_AUTHORITY = "https://login.microsoftonline.com";
/** Power Automate's audience in the public cloud; sovereign clouds have their own (GCC: https://gov.service.flow.microsoft.us/). */
export const FLOW_AUDIENCE = "https://service.flow.microsoft.com/";
/** A token is renewed this long before it expires, so none is sent that could expire on the way. */
export const TOKEN_RENEW_MARGIN_MS = 5 * 60_000;

/**
 * The client-credentials scope of an audience: the resource plus "/.default". The audience ends in
 * a slash, so the scope has two ("https://service.flow.microsoft.com//.default"), which is what
 * makes Entra issue the token for the audience with its trailing slash.
 */
export function scopeForAudience(audience: string): string {
  return `${audience}/.default`;
}

export function tokenEndpoint(authority: string, tenantId: string): string {
  return `${authority.replace(/\/+$/, "")}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`;
}

export function tokenRequestBody(app: { clientId: string; clientSecret: string; audience: string }): string {
  return new URLSearchParams({
    grant_type: "client_credentials",
    client_id: app.clientId,
    client_secret: app.clientSecret,
    scope: scopeForAudience(app.audience),
  }).toString();
}

export type TokenAnswer =
  | { ok: true; accessToken: string; expiresAtMs: number; reuseUntilMs: number }
  /** Entra refused the request: the app's configuration is wrong; asking again changes nothing. */
  | { ok: false; refused: true; code: string; description: string; status: number }
  /** Entra did not answer usefully (5xx, garbage): worth another try later. */
  | { ok: false; refused: false; description: string; status: number | null };

/** Entra's first line: "AADSTS7000215: Invalid client secret provided. …" without trace and correlation ids. */
function firstLine(description: string): string {
  return collapseText(description.split(/\r?\n/)[0] ?? "");
}

/** Reads the token endpoint's answer. Entra errors carry `error_codes` and an "AADSTSnnn: …" description. */
export function readTokenAnswer(status: number, body: string, nowMs: number): TokenAnswer {
  let parsed: Record<string, unknown> | null = null;
  try {
    const value: unknown = JSON.parse(body);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      parsed = value as Record<string, unknown>;
    }
  } catch {
    parsed = null;
  }
  if (status === 200 && parsed !== null && typeof parsed.access_token === "string") {
    const seconds = Number(parsed.expires_in);
    const lifetimeMs = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 3_600_000;
    const expiresAtMs = nowMs + lifetimeMs;
    // A short-lived token is reused for half its life rather than not at all.
    const reuseUntilMs = expiresAtMs - Math.min(TOKEN_RENEW_MARGIN_MS, lifetimeMs / 2);
    return { ok: true, accessToken: parsed.access_token, expiresAtMs, reuseUntilMs };
  }
  const description =
    typeof parsed?.error_description === "string" ? firstLine(parsed.error_description) : "";
  const codes = Array.isArray(parsed?.error_codes) ? parsed.error_codes : [];
  const numeric = codes.find((c): c is number => typeof c === "number");
  const fromText = /\bAADSTS(\d+)\b/.exec(description)?.[1];
  const code =
    numeric !== undefined ? `AADSTS${numeric}` : fromText !== undefined ? `AADSTS${fromText}` : null;
  if (status >= 400 && status < 500 && (code !== null || typeof parsed?.error === "string")) {
    return {
      ok: false,
      refused: true,
      code: code ?? String(parsed?.error),
      description: description || String(parsed?.error),
      status,
    };
  }
  return {
    ok: false,
    refused: false,
    description: description || collapseText(body).slice(0, 200) || `HTTP ${status}`,
    status,
  };
}
