// The HTML that Office 365 connectors rendered in text (b, i, a, br, p, ul/ol/li), as the markdown
// an Adaptive Card TextBlock renders: Workflows shows tags verbatim otherwise.

/** Text counts as HTML only when it uses a tag of the subset; "a < b" stays as it is. */
const SUBSET_TAG = /<\/?(?:b|strong|i|em|a|br|p|ul|ol|li)(?:\s[^>]*)?\/?>/i;

const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const code =
        name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** Markers around the words only: "** x **" would not render as bold. */
function emphasise(inner: string, marker: string): string {
  const match = /^(\s*)([\s\S]*?)(\s*)$/.exec(inner);
  const [, before = "", words = "", after = ""] = match ?? [];
  return words === "" ? inner : `${before}${marker}${words}${marker}${after}`;
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, "i").exec(tag);
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
}

function listItems(inner: string, ordered: boolean): string {
  const items = [...inner.matchAll(/<li\b[^>]*>([\s\S]*?)(?=<li\b|$)/gi)]
    .map((m) => (m[1] ?? "").replace(/<\/li\s*>/gi, "").trim())
    .filter((item) => item !== "");
  const lines = items.map((item, i) => `${ordered ? `${i + 1}.` : "-"} ${item.replace(/\s*\n\s*/g, " ")}`);
  return `\n\n${lines.join("\n")}\n\n`;
}

/** Whether `text` uses the HTML subset (and so would be converted). */
export function looksLikeHtml(text: string): boolean {
  return SUBSET_TAG.test(text);
}

/**
 * Converts the connector HTML subset to Adaptive Card markdown: b/strong -> **, i/em -> _,
 * a -> [text](url) (http, https and mailto links only), br -> line break, p -> paragraph, ul/ol/li
 * -> "- " and "1. " lines. Other tags are removed (their text is kept) and entities decoded. Text
 * without any tag of the subset is returned unchanged.
 */
export function htmlToMarkdown(text: string): string {
  if (!looksLikeHtml(text)) return text;
  let out = text.replace(/\r\n?/g, "\n").replace(/\n/g, " ");
  out = out.replace(/<a\b([^>]*)>([\s\S]*?)<\/a\s*>/gi, (_whole, attrs: string, inner: string) => {
    const href = decodeEntities(attribute(attrs, "href") ?? "").trim();
    const label = inner.trim();
    if (!/^(?:https?:\/\/|mailto:)/i.test(href)) return label;
    return `[${label === "" ? href : label}](${href.replace(/[()\s]/g, (c) => encodeURIComponent(c))})`;
  });
  out = out.replace(/<(b|strong)\b[^>]*>([\s\S]*?)<\/\1\s*>/gi, (_w, _t, inner: string) =>
    emphasise(inner, "**"),
  );
  out = out.replace(/<(i|em)\b[^>]*>([\s\S]*?)<\/\1\s*>/gi, (_w, _t, inner: string) => emphasise(inner, "_"));
  out = out.replace(/<br\s*\/?>/gi, "\n");
  out = out.replace(/<(ul|ol)\b[^>]*>([\s\S]*?)<\/\1\s*>/gi, (_w, tag: string, inner: string) =>
    listItems(inner, tag.toLowerCase() === "ol"),
  );
  out = out.replace(/<p\b[^>]*>/gi, "\n\n").replace(/<\/p\s*>/gi, "\n\n");
  out = out.replace(/<\/?[a-z][^>]*>/gi, "");
  out = decodeEntities(out);
  return out
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n[ \t]+/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
