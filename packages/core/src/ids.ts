// Public identifiers: a type prefix and lowercase Crockford base32 of random bytes the caller supplies.

export type IdPrefix = "wh" | "msg" | "ins" | "ten" | "bk" | "usr" | "evt" | "ea" | "ses";
export const ID_PREFIXES: readonly IdPrefix[] = Object.freeze([
  "wh",
  "msg",
  "ins",
  "ten",
  "bk",
  "usr",
  "evt",
  "ea",
  "ses",
]);
/** 16 random bytes (128 bits) make 26 characters: unguessable, and short enough to paste. */
export const ID_BYTES = 16;

export const LICENSE_KEY_PREFIX = "hk_";
export const LICENSE_SECRET_PREFIX = "hs_";

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

/** The bytes of a canonical encoding, or null (wrong characters, impossible length, stray low bits). */
export function decodeBase32(text: string): Uint8Array | null {
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of text) {
    const value = ALPHABET.indexOf(char);
    if (value < 0) return null;
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  // Leftover bits are padding: fewer than 5 of them, all zero, or the text is not one we produced.
  if (bits >= 5 || (buffer & ((1 << bits) - 1)) !== 0) return null;
  return Uint8Array.from(bytes);
}

export function formatId(prefix: IdPrefix, bytes: Uint8Array): string {
  return `${prefix}_${encodeBase32(bytes)}`;
}

export function formatLicenseKey(bytes: Uint8Array): string {
  return `${LICENSE_KEY_PREFIX}${encodeBase32(bytes)}`;
}

export function formatLicenseSecret(bytes: Uint8Array): string {
  return `${LICENSE_SECRET_PREFIX}${encodeBase32(bytes)}`;
}

const MAX_ID_BODY = 128;

/**
 * Whether `id` is `prefix` + "_" + a canonical encoding of at least one byte. Checked before any
 * lookup, so that garbage in a URL is a 404 without a query. Works for "hk"/"hs" license values too.
 */
export function isWellFormedId(prefix: string, id: string): boolean {
  if (!/^[a-z]+$/.test(prefix) || !id.startsWith(`${prefix}_`)) return false;
  const body = id.slice(prefix.length + 1);
  if (body === "" || body.length > MAX_ID_BODY) return false;
  const bytes = decodeBase32(body);
  return bytes !== null && bytes.length > 0;
}

/** The `source` of "Test this connection" messages: delivered like any other, but neither metered nor counted as alerts. */
export const CONNECTION_TEST_SOURCE = "herald:connection-test";
