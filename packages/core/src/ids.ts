// Every identifier and license value Herald issues: a type prefix and lowercase Crockford base32 of
// random bytes. Core reads no randomness itself: an IdSource is given the random function.

export type IdPrefix = "wh" | "msg" | "ins" | "ten" | "bk" | "usr" | "ea" | "ses";

/** 10 random bytes (80 bits) make 16 characters: unguessable, and short enough to paste. */
export const ID_BYTES = 10;

export const LICENSE_KEY_PREFIX = "hk_";
/** 12 bytes: a LicenseKey names a binding key, like an id, and is looked up by its exact text. */
export const LICENSE_KEY_BYTES = 12;
export const LICENSE_SECRET_PREFIX = "hs_";
/** 32 bytes (256 bits): the secret is the credential, stored only as a hash. */
export const LICENSE_SECRET_BYTES = 32;

// Crockford's alphabet leaves out i, l, o and u, so an id read aloud or retyped stays unambiguous.
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

export function encodeBase32(bytes: Uint8Array): string {
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET.charAt((buffer >> bits) & 31);
    }
  }
  if (bits > 0) out += ALPHABET.charAt((buffer << (5 - bits)) & 31);
  return out;
}

export function formatId(prefix: IdPrefix, bytes: Uint8Array): string {
  return `${prefix}_${encodeBase32(bytes)}`;
}

/** Cryptographically strong random bytes, e.g. node:crypto's randomBytes. */
export type RandomBytes = (size: number) => Uint8Array;

const POOL_IDS = 1024;

/**
 * Issues ids and license values from `random`. Id bytes are drawn 1,024 ids at a time, since one
 * random call per id showed up in the sendMessage profile; every draw is a new buffer, so no bytes
 * are handed out twice. License values are drawn on their own and never share a buffer with ids.
 */
export class IdSource {
  #pool: Uint8Array = new Uint8Array(0);
  #offset = 0;

  constructor(private readonly random: RandomBytes) {}

  id(prefix: IdPrefix): string {
    if (this.#offset + ID_BYTES > this.#pool.length) {
      this.#pool = this.random(ID_BYTES * POOL_IDS);
      this.#offset = 0;
    }
    const bytes = this.#pool.subarray(this.#offset, this.#offset + ID_BYTES);
    this.#offset += ID_BYTES;
    return formatId(prefix, bytes);
  }

  licenseKey(): string {
    return `${LICENSE_KEY_PREFIX}${encodeBase32(this.random(LICENSE_KEY_BYTES))}`;
  }

  licenseSecret(): string {
    return `${LICENSE_SECRET_PREFIX}${encodeBase32(this.random(LICENSE_SECRET_BYTES))}`;
  }
}
