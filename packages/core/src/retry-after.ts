// The Retry-After header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date.

/**
 * Milliseconds to wait from nowMs, or null when the header is absent or unreadable.
 * A date in the past means "now" (0); fractional seconds, though not in the grammar, are honoured.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  const text = value?.trim() ?? "";
  if (text === "") return null;
  if (/^\d+(\.\d+)?$/.test(text)) {
    const ms = Math.ceil(Number(text) * 1000);
    return Number.isFinite(ms) ? ms : null;
  }
  // Dates must name their zone (HTTP-dates are always GMT); Date.parse reads a bare date as local time.
  if (!/\b(GMT|UTC|Z)\b|[+-]\d{2}:?\d{2}$|\dZ$/i.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}
