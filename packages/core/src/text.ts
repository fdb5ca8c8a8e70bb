// Shortening other people's text (Teams' answers, error strings) for logs and messages.

export const MAX_TEAMS_TEXT = 500;

/** Collapses runs of whitespace, trims, and cuts to `max` characters without splitting a surrogate pair. */
export function collapseText(text: string, max: number = MAX_TEAMS_TEXT): string {
  const collapsed = text.replace(/\s+/g, " ").trim();
  if (collapsed.length <= max) return collapsed;
  const cut = /[\uD800-\uDBFF]/.test(collapsed.charAt(max - 1)) ? max - 1 : max;
  return collapsed.slice(0, cut);
}
