// The checks the Bot Framework asks of a bot before it trusts an activity: a JWT signed with a key
// from the Bot Framework's OpenID metadata (RS256), issuer https://api.botframework.com, audience
// the bot's app id, not expired (5 minutes of clock skew), the key endorsed for the activity's
// channel, a serviceUrl claim equal to the activity's serviceUrl, and that serviceUrl on
// HERALD_BOT_SERVICE_URLS. Keys are cached and fetched again when a token names an unknown one.
import { BOT_FRAMEWORK_ISSUER, serviceUrlProblem } from "@herald/core";
import type { BotConfig, Clock } from "@herald/delivery";
import { createLocalJWKSet, decodeProtectedHeader, errors, type JSONWebKeySet, jwtVerify } from "jose";

export type ActivityCheck = { ok: true } | { ok: false; status: 401 | 403; reason: string };

interface KeySet {
  jwks: JSONWebKeySet;
  verifyKey: ReturnType<typeof createLocalJWKSet>;
  fetchedAt: number;
}

const KEYS_TTL_MS = 24 * 3600_000;
/** An unknown key id refetches the keys, but not more often than this (a forged kid costs nothing). */
const REFETCH_MIN_MS = 60_000;
const CLOCK_TOLERANCE_S = 300;

export class ActivityVerifier {
  #keys: KeySet | null = null;
  #loading: Promise<KeySet> | null = null;

  constructor(
    private readonly config: BotConfig,
    private readonly clock: Clock,
  ) {}

  async #load(): Promise<KeySet> {
    const metadata = (await fetchJson(this.config.openIdMetadataUrl)) as { jwks_uri?: unknown };
    if (typeof metadata.jwks_uri !== "string") throw new Error("the OpenID metadata names no jwks_uri");
    const jwks = (await fetchJson(metadata.jwks_uri)) as JSONWebKeySet;
    if (!Array.isArray(jwks.keys)) throw new Error("the JWKS has no keys");
    return { jwks, verifyKey: createLocalJWKSet(jwks), fetchedAt: this.clock.now().getTime() };
  }

  async #keySet(kid: string | undefined): Promise<KeySet> {
    const current = this.#keys;
    const known = current?.jwks.keys.some((k) => k.kid === kid) ?? false;
    const fresh = current !== null && this.clock.now().getTime() - current.fetchedAt < KEYS_TTL_MS;
    const mayRefetch = current === null || this.clock.now().getTime() - current.fetchedAt > REFETCH_MIN_MS;
    if (current !== null && fresh && (known || !mayRefetch)) return current;
    this.#loading ??= this.#load().finally(() => {
      this.#loading = null;
    });
    try {
      this.#keys = await this.#loading;
    } catch (error) {
      if (current === null) throw error;
    }
    return this.#keys ?? current ?? (await this.#loading);
  }

  async check(authorization: string | undefined, activity: Record<string, unknown>): Promise<ActivityCheck> {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
    if (token === undefined)
      return { ok: false, status: 401, reason: "the activity carries no bearer token" };
    let kid: string | undefined;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      return { ok: false, status: 401, reason: "the bearer token is not a JWT" };
    }
    const keys = await this.#keySet(kid);
    let claims: Record<string, unknown>;
    try {
      const verified = await jwtVerify(token, keys.verifyKey, {
        issuer: BOT_FRAMEWORK_ISSUER,
        audience: this.config.appId,
        algorithms: ["RS256"],
        clockTolerance: CLOCK_TOLERANCE_S,
        currentDate: this.clock.now(),
        requiredClaims: ["exp"],
      });
      claims = verified.payload;
    } catch (error) {
      return { ok: false, status: 401, reason: describe(error) };
    }
    const channelId = typeof activity.channelId === "string" ? activity.channelId : "";
    const key = keys.jwks.keys.find((k) => k.kid === kid) as { endorsements?: unknown } | undefined;
    const endorsements = Array.isArray(key?.endorsements) ? key.endorsements : null;
    if (endorsements !== null && !endorsements.includes(channelId)) {
      return { ok: false, status: 403, reason: `the signing key is not endorsed for channel "${channelId}"` };
    }
    const serviceUrl = typeof activity.serviceUrl === "string" ? activity.serviceUrl : "";
    if (claims.serviceUrl !== serviceUrl) {
      return {
        ok: false,
        status: 403,
        reason: "the token's serviceUrl claim differs from the activity's serviceUrl",
      };
    }
    const problem = serviceUrlProblem(serviceUrl, this.config.serviceHosts);
    if (problem !== null)
      return { ok: false, status: 403, reason: `the activity's serviceUrl is refused: ${problem}` };
    return { ok: true };
  }
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return "the token has expired";
  if (error instanceof errors.JWTClaimValidationFailed) return `the token's ${error.claim} claim is wrong`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return "the token's signature does not verify";
  if (error instanceof errors.JWKSNoMatchingKey)
    return "the token is signed with a key the Bot Framework does not publish";
  return "the token does not verify";
}

async function fetchJson(url: string): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000), redirect: "error" });
  if (!res.ok) throw new Error(`GET ${url} answered HTTP ${res.status}`);
  return res.json();
}
