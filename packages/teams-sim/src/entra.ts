// A small Microsoft Entra ID: registered apps, the v2.0 token endpoint (client credentials only),
// its signing keys, and the check a Power Automate flow makes of a bearer token. The answers copy
// Entra's shapes ({"error","error_description","error_codes",...}) so a client's error handling is
// tested against what it will meet.

import { randomBytes, randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, type JWK, jwtVerify, SignJWT } from "jose";

/** The audience Power Automate expects; the scope `https://service.flow.microsoft.com//.default` yields it. */
export const FLOW_AUDIENCE = "https://service.flow.microsoft.com/";

export interface EntraApp {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** The object id of the app's service principal: the `oid` of its tokens. */
  objectId: string;
}

export interface TokenRequestRecord {
  at: number;
  tenantId: string;
  clientId: string | null;
  /** The HTTP status answered; 200 when a token was issued. */
  status: number;
  /** "AADSTS7000215" and such, or null when a token was issued. */
  errorCode: string | null;
}

export interface TokenClaims {
  tid: string;
  oid: string;
  appid: string;
  aud: string;
}

export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; reason: string };

export interface EntraAnswer {
  status: number;
  body: unknown;
}

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwk: JWK;
}

function entraError(status: number, error: string, code: number, description: string): EntraAnswer {
  const timestamp = new Date().toISOString().replace("T", " ").slice(0, 19);
  const traceId = randomUUID();
  const correlationId = randomUUID();
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}Z`,
      error_codes: [code],
      timestamp: `${timestamp}Z`,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
  };
}

export class EntraDirectory {
  readonly #apps = new Map<string, EntraApp>();
  #tokenRequests: TokenRequestRecord[] = [];
  #key: Promise<SigningKey> | undefined;
  readonly #tokenLifetimeSeconds: number;

  constructor(options: { tokenLifetimeSeconds?: number } = {}) {
    this.#tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 3599;
  }

  /** Generated on first use: most emulator runs never issue a token, and RSA key generation costs CPU. */
  #signingKey(): Promise<SigningKey> {
    this.#key ??= (async () => {
      const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
      const kid = randomBytes(8).toString("hex");
      const jwk = { ...(await exportJWK(publicKey)), kid, use: "sig", alg: "RS256" };
      return { kid, privateKey, publicKey, jwk };
    })();
    return this.#key;
  }

  registerApp(input: { tenantId: string; clientId?: string; clientSecret?: string }): EntraApp {
    const app: EntraApp = {
      tenantId: input.tenantId,
      clientId: input.clientId ?? randomUUID(),
      clientSecret: input.clientSecret ?? randomBytes(30).toString("base64url"),
      objectId: randomUUID(),
    };
    this.#apps.set(app.clientId, app);
    return app;
  }

  tokenRequests(clientId?: string): TokenRequestRecord[] {
    return clientId === undefined
      ? [...this.#tokenRequests]
      : this.#tokenRequests.filter((r) => r.clientId === clientId);
  }

  /** Forgets token requests; registered apps stay (like the flows that name them). */
  resetCounts(): void {
    this.#tokenRequests = [];
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    return { keys: [(await this.#signingKey()).jwk] };
  }

  /** `POST /{tenantId}/oauth2/v2.0/token` with a form body. */
  async token(tenantId: string, form: URLSearchParams): Promise<EntraAnswer> {
    const clientId = form.get("client_id");
    const answer = await this.#issue(tenantId, form, clientId);
    const body = answer.body as { error_codes?: number[] };
    const code = body.error_codes?.[0];
    this.#tokenRequests.push({
      at: Date.now(),
      tenantId,
      clientId,
      status: answer.status,
      errorCode: code === undefined ? null : `AADSTS${code}`,
    });
    return answer;
  }

  async #issue(tenantId: string, form: URLSearchParams, clientId: string | null): Promise<EntraAnswer> {
    const grant = form.get("grant_type");
    if (grant !== "client_credentials") {
      return entraError(
        400,
        "unsupported_grant_type",
        70003,
        `The app requested an unsupported grant type '${grant ?? ""}'.`,
      );
    }
    if (clientId === null || clientId === "") {
      return entraError(
        400,
        "invalid_request",
        900144,
        "The request body must contain the following parameter: 'client_id'.",
      );
    }
    const app = this.#apps.get(clientId);
    if (app === undefined || app.tenantId !== tenantId) {
      return entraError(
        400,
        "unauthorized_client",
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
      );
    }
    if (form.get("client_secret") !== app.clientSecret) {
      return entraError(
        401,
        "invalid_client",
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
      );
    }
    const scope = form.get("scope") ?? "";
    if (!scope.endsWith("/.default")) {
      return entraError(
        400,
        "invalid_scope",
        1002012,
        `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
    }
    // The resource is the scope without "/.default": "https://service.flow.microsoft.com//.default"
    // gives the audience with its trailing slash, the single-slash form gives one without.
    const audience = scope.slice(0, -"/.default".length);
    const key = await this.#signingKey();
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ tid: tenantId, oid: app.objectId, appid: clientId, idtyp: "app" })
      .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: key.kid })
      .setIssuer(`https://sts.windows.net/${tenantId}/`)
      .setAudience(audience)
      .setSubject(app.objectId)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + this.#tokenLifetimeSeconds)
      .sign(key.privateKey);
    return {
      status: 200,
      body: {
        token_type: "Bearer",
        expires_in: this.#tokenLifetimeSeconds,
        ext_expires_in: this.#tokenLifetimeSeconds,
        access_token: token,
      },
    };
  }

  /** What a flow restricted to a tenant checks: our signature, the flow audience, not expired. */
  async verify(token: string): Promise<TokenCheck> {
    const key = await this.#signingKey();
    try {
      const { payload } = await jwtVerify(token, key.publicKey, { algorithms: ["RS256"] });
      const aud = Array.isArray(payload.aud) ? payload.aud.join(" ") : (payload.aud ?? "");
      const tid = typeof payload.tid === "string" ? payload.tid : "";
      const oid = typeof payload.oid === "string" ? payload.oid : "";
      const appid = typeof payload.appid === "string" ? payload.appid : "";
      if (payload.iss !== `https://sts.windows.net/${tid}/`) return { ok: false, reason: "issuer" };
      return { ok: true, claims: { tid, oid, appid, aud } };
    } catch (error) {
      return { ok: false, reason: error instanceof Error ? error.message : String(error) };
    }
  }
}
