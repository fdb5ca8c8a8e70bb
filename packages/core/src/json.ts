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
