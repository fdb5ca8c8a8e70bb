// Small readers for untyped JSON (cards arrive as whatever the caller sent).

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A string with something in it other than whitespace; numbers are read as their text. */
export function nonBlankString(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

/**
 * How deeply arrays and objects nest in a JSON text, without parsing it: brackets outside strings
 * are counted, and the scan stops as soon as `limit` is passed. JSON.parse is recursive and runs on
 * the event loop; a 1 MB body of `[[[[…` cost ~80 ms of it, and every later recursive walk (hashing,
 * card conversion) overflows the stack. Checking the bytes first bounds both.
 * Returns the depth reached (at most limit + 1); malformed text is left for JSON.parse to refuse.
 */
export function jsonNestingDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c)
        i++; // backslash: the next character is escaped
      else if (code === 0x22) inString = false;
      continue;
    }
    if (code === 0x22) inString = true;
    else if (code === 0x5b || code === 0x7b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (code === 0x5d || code === 0x7d) depth--;
  }
  return deepest;
}

/**
 * jsonNestingDepth over a body as it arrives, chunk by chunk (UTF-8 bytes: JSON's brackets,
 * quotes and backslash are ASCII and never part of a multi-byte character). feed() returns false
 * as soon as the nesting passes the limit, so a large hostile body is refused after its first
 * chunk instead of being buffered whole.
 */
export class JsonDepthScanner {
  private depth = 0;
  private inString = false;
  private escaped = false;

  constructor(private readonly limit: number) {}

  feed(bytes: Uint8Array): boolean {
    for (const byte of bytes) {
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (byte === 0x5c) this.escaped = true;
        else if (byte === 0x22) this.inString = false;
        continue;
      }
      if (byte === 0x22) this.inString = true;
      else if (byte === 0x5b || byte === 0x7b) {
        if (++this.depth > this.limit) return false;
      } else if (byte === 0x5d || byte === 0x7d) this.depth--;
    }
    return true;
  }
}
