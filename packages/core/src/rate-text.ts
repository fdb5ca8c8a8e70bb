// The text form of a rate policy ("4/1s,60/30s,100/1h"), used to configure the Workflows policy.
import type { RatePolicy, RateWindow } from "./rate.ts";

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const FORMAT_UNITS = ["d", "h", "m", "s"] as const;

const WINDOW = /^(\d+)\s*\/\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/i;
const NO_LIMIT = new Set(["none", "unlimited"]);

export type RatePolicyParse = { ok: true; policy: RatePolicy } | { ok: false; error: string };

/**
 * Parses "4/1s,60/30s,100/1h" (count/period, units ms, s, m, h, d) into a policy.
 * "none" or "unlimited" is the empty policy; an empty string is an error, so that a variable set to
 * nothing by mistake is not read as "no limit".
 */
export function parseRatePolicy(text: string): RatePolicyParse {
  const trimmed = text.trim();
  if (trimmed === "") {
    return { ok: false, error: 'Rate policy is empty; write windows like "4/1s,60/30s" or "none".' };
  }
  if (NO_LIMIT.has(trimmed.toLowerCase())) return { ok: true, policy: Object.freeze([]) };

  const windows: RateWindow[] = [];
  for (const part of trimmed.split(",")) {
    const item = part.trim();
    const match = WINDOW.exec(item);
    if (match === null) {
      return {
        ok: false,
        error: `Rate window "${item}" is not understood; write count/period with a unit, like "4/1s" or "100/1h".`,
      };
    }
    const [, countText = "", amountText = "", unitText = ""] = match;
    const limit = Number(countText);
    const periodMs = Number(amountText) * (UNIT_MS[unitText.toLowerCase()] ?? Number.NaN);
    if (!Number.isSafeInteger(limit)) {
      return { ok: false, error: `Rate window "${item}" has a count too large to be meant.` };
    }
    if (limit < 1)
      return { ok: false, error: `Rate window "${item}" allows no sends; its count must be at least 1.` };
    if (!Number.isSafeInteger(periodMs) || periodMs < 1) {
      return {
        ok: false,
        error: `Rate window "${item}" must last a whole number of milliseconds, at least 1ms.`,
      };
    }
    windows.push(Object.freeze({ limit, periodMs }));
  }
  return { ok: true, policy: Object.freeze(windows) };
}

/** The inverse of parseRatePolicy, choosing the largest unit that divides each period: "4/1s,100/1h". */
export function formatRatePolicy(policy: RatePolicy): string {
  if (policy.length === 0) return "none";
  return policy.map((w) => `${w.limit}/${formatPeriod(w.periodMs)}`).join(",");
}

function formatPeriod(periodMs: number): string {
  for (const unit of FORMAT_UNITS) {
    const size = UNIT_MS[unit] ?? 1;
    if (periodMs % size === 0) return `${periodMs / size}${unit}`;
  }
  return `${periodMs}ms`;
}
