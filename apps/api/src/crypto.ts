// Keys derived from HERALD_SECRET, at-rest encryption of webhook URLs, and one-way hashes.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hash,
  hkdfSync,
  randomBytes,
  scrypt as scryptCb,
  timingSafeEqual,
} from "node:crypto";
import { promisify } from "node:util";

const scrypt = promisify(scryptCb) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: object,
) => Promise<Buffer>;

function derive(secret: string, purpose: string): Buffer {
  return Buffer.from(
    hkdfSync("sha256", Buffer.from(secret, "utf8"), Buffer.alloc(0), `herald/${purpose}`, 32),
  );
}

export interface Keyring {
  readonly sessionKey: Uint8Array;
  /** Encrypts what the console holds for one page view (a new LicenseSecret across a redirect). */
  readonly consoleKey: Uint8Array;
  readonly urlKeyId: string;
  encryptUrl(url: string): { ciphertext: Uint8Array; keyId: string };
  decryptUrl(ciphertext: Uint8Array, keyId: string): string;
  /**
   * Other secrets kept at rest (Entra client secrets), under the same keys as webhook URLs, so one
   * HERALD_SECRET and one HERALD_SECRET_PREVIOUS cover both.
   */
  encryptSecret(secret: string): { ciphertext: Uint8Array; keyId: string };
  decryptSecret(ciphertext: Uint8Array, keyId: string): string;
  /** Identifies a channel by its URL without storing the URL: keyed, so it cannot be brute-forced offline. */
  channelHash(url: string): Uint8Array;
  /**
   * A sign-in address as sessions keep it, under HERALD_SECRET's key and then the previous one's
   * (the first is what is stored). Keyed: all IPv4 addresses are hashed in minutes, so a plain hash
   * of one is as good as the address to whoever reads the table.
   */
  addressHashes(address: string): string[];
}

export function createKeyring(secret: string, previousSecret?: string): Keyring {
  const encryptionKeys = new Map<string, Buffer>();
  const addKey = (s: string) => {
    const key = derive(s, "url-encryption/v1");
    const id = createHash("sha256").update(key).digest("hex").slice(0, 12);
    encryptionKeys.set(id, key);
    return id;
  };
  if (previousSecret) addKey(previousSecret);
  const urlKeyId = addKey(secret);
  const currentKey = encryptionKeys.get(urlKeyId) ?? derive(secret, "url-encryption/v1");
  const channelKey = derive(secret, "channel-hash/v1");
  const addressKeys = [secret, ...(previousSecret ? [previousSecret] : [])].map((s) =>
    derive(s, "sign-in-address/v1"),
  );
  const encrypt = (text: string) => {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", currentKey, iv);
    const body = Buffer.concat([cipher.update(text, "utf8"), cipher.final()]);
    return { ciphertext: Buffer.concat([iv, cipher.getAuthTag(), body]), keyId: urlKeyId };
  };
  const decrypt = (ciphertext: Uint8Array, keyId: string, what: string) => {
    const key = encryptionKeys.get(keyId);
    if (!key) throw new Error(`${what} encrypted under unknown key ${keyId}; set HERALD_SECRET_PREVIOUS`);
    const data = Buffer.from(ciphertext);
    const decipher = createDecipheriv("aes-256-gcm", key, data.subarray(0, 12));
    decipher.setAuthTag(data.subarray(12, 28));
    return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString("utf8");
  };
  return {
    sessionKey: derive(secret, "session/v1"),
    consoleKey: derive(secret, "console-one-view/v1"),
    urlKeyId,
    encryptUrl(url) {
      return encrypt(url);
    },
    decryptUrl(ciphertext, keyId) {
      return decrypt(ciphertext, keyId, "webhook URL");
    },
    encryptSecret(secret) {
      return encrypt(secret);
    },
    decryptSecret(ciphertext, keyId) {
      return decrypt(ciphertext, keyId, "secret");
    },
    channelHash(url) {
      return createHmac("sha256", channelKey).update(url).digest();
    },
    addressHashes(address) {
      return addressKeys.map((key) =>
        createHmac("sha256", key).update(address).digest("base64url").slice(0, 22),
      );
    },
  };
}

/** License secrets are 256-bit random values, so a fast hash is enough (no password stretching needed). */
export function hashLicenseSecret(secret: string): Buffer {
  return hash("sha256", secret, "buffer");
}

export function sameHash(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export function requestHash(parts: unknown): Buffer {
  return hash("sha256", JSON.stringify(parts), "buffer");
}

const SCRYPT = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, 32, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !key) return false;
  const expected = Buffer.from(key, "base64url");
  const actual = await scrypt(password, Buffer.from(salt, "base64url"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: SCRYPT.maxmem,
  });
  return sameHash(actual, expected);
}
