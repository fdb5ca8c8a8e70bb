// RS256 JSON Web Tokens with node:crypto: the emulator signs what Entra and the Bot Framework sign,
// and checks what Herald sends it. Written without a JWT library on purpose: the emulator is the
// oracle Herald's jose-based validation is tested against, so it must not share its code.

import { createSign, createVerify, generateKeyPair, type KeyObject, randomBytes } from "node:crypto";

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface PublicJwk {
  kty: string;
  use: string;
  kid: string;
  n: string;
  e: string;
  alg: string;
  [extra: string]: unknown;
}

export async function newSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await new Promise<{ privateKey: KeyObject; publicKey: KeyObject }>(
    (resolve, reject) =>
      generateKeyPair("rsa", { modulusLength: 2048 }, (error, pub, priv) =>
        error ? reject(error) : resolve({ publicKey: pub, privateKey: priv }),
      ),
  );
  return { kid: randomBytes(12).toString("base64url"), privateKey, publicKey };
}

export function publicJwk(key: SigningKey, extra: Record<string, unknown> = {}): PublicJwk {
  const jwk = key.publicKey.export({ format: "jwk" }) as { kty: string; n: string; e: string };
  return { kty: jwk.kty, use: "sig", kid: key.kid, n: jwk.n, e: jwk.e, alg: "RS256", ...extra };
}

const shared = new Map<string, Promise<SigningKey>>();

/**
 * One key per role per process: RSA generation costs tens of milliseconds, and tests start many
 * emulators. Roles stay distinct keys, so a forgery signed with another role's key still fails.
 */
export function signingKeyFor(role: string): Promise<SigningKey> {
  let key = shared.get(role);
  if (key === undefined) {
    key = newSigningKey();
    shared.set(role, key);
  }
  return key;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** Signs `claims` with `key`; `kid` overrides the header's key id (to forge a token under a known id). */
export function signJwt(claims: Record<string, unknown>, key: SigningKey, kid: string = key.kid): string {
  const input = `${b64({ alg: "RS256", typ: "JWT", kid })}.${b64(claims)}`;
  const signature = createSign("RSA-SHA256").update(input).sign(key.privateKey).toString("base64url");
  return `${input}.${signature}`;
}

export type JwtCheck = { ok: true; claims: Record<string, unknown> } | { ok: false; reason: string };

/** Verifies signature (RS256, by kid among `keys`) and expiry; the caller checks the other claims. */
export function verifyJwt(token: string, keys: readonly SigningKey[], nowMs: number): JwtCheck {
  const parts = token.split(".");
  const [header, payload, signature] = parts;
  if (parts.length !== 3 || header === undefined || payload === undefined || signature === undefined) {
    return { ok: false, reason: "not a JWT" };
  }
  let head: { alg?: unknown; kid?: unknown };
  let claims: Record<string, unknown>;
  try {
    head = JSON.parse(Buffer.from(header, "base64url").toString("utf8"));
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "not a JWT" };
  }
  if (head.alg !== "RS256") return { ok: false, reason: "alg must be RS256" };
  const key = keys.find((k) => k.kid === head.kid);
  if (key === undefined) return { ok: false, reason: "unknown signing key" };
  const valid = createVerify("RSA-SHA256")
    .update(`${header}.${payload}`)
    .verify(key.publicKey, Buffer.from(signature, "base64url"));
  if (!valid) return { ok: false, reason: "bad signature" };
  const exp = typeof claims.exp === "number" ? claims.exp * 1000 : 0;
  if (exp <= nowMs) return { ok: false, reason: "expired" };
  return { ok: true, claims };
}
