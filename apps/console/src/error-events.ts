// The error log as people read it: one row per event, in plain words, with what Herald did.
import type { ErrorLogItem } from "@herald/sdk";

export interface ErrorEvent {
  item: ErrorLogItem;
  /** Short label in Autotask's words, e.g. "429 Rate Limited". */
  label: string;
  /** What happened, as a sentence. */
  headline: string;
  /** How Teams answered, when it did: the HTTP status and what it means. */
  answer: string | null;
  /** Teams' own words, shortened at a word boundary. */
  quote: string | null;
  /** What Herald did about it. */
  action: string;
}

/** Teams' words longer than this are cut at a word and end with an ellipsis. */
export const MAX_QUOTE = 160;
/** A channel state change logged with the error that caused it belongs to it if this close. */
const SAME_EVENT_MS = 5_000;

/** Answers legacy connectors give in words rather than with a status of their own. */
const KNOWN_REFUSALS: ReadonlyArray<{ pattern: RegExp; label: string; headline: string }> = [
  {
    pattern: /bad payload received by generic incoming webhook/i,
    label: "Bad Payload",
    headline: "Teams could not read the message: the card or payload is not in a form it accepts.",
  },
  {
    pattern: /summary or text is required/i,
    label: "Summary or Text Required",
    headline: "Teams refused a card that has neither a summary nor text.",
  },
];

const EMBEDDED_STATUS = /HTTP error (\d{3})\b/i;

/** Cuts `text` to at most `max` characters at a word boundary, ending with "…" when it was cut. */
export function shortenQuote(text: string, max = MAX_QUOTE): string {
  const collapsed = text.replace(/\s+/g, " ").trim();
  if (collapsed.length <= max) return collapsed;
  const cut = collapsed.slice(0, max);
  const space = cut.lastIndexOf(" ");
  const head = space > max / 2 ? cut.slice(0, space) : cut;
  return `${head.replace(/[\s.,;:!?…"'“”]+$/, "")}…`;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "3 queued message(s) failed" in plain English. */
function queuedFailed(n: number): string {
  return n === 0
    ? "no queued messages were affected"
    : `${plural(n, "queued message", "queued messages")} failed`;
}

function headlineOf(item: ErrorLogItem, known: (typeof KNOWN_REFUSALS)[number] | undefined): string {
  const status = item.httpStatus;
  switch (item.classification) {
    case "gone":
      return status === 410 || /410/.test(item.kind)
        ? "The connector was removed in Teams."
        : "The Teams channel or its webhook no longer exists.";
    case "throttled":
      return "Teams rate limited this channel.";
    case "too_large":
      return "Teams refused the message as too large (over 28 KB).";
    case "redirect":
      return "Teams answered with a redirect, which Herald never follows: check the webhook URL.";
    case "transient":
      if (/timeout/i.test(item.kind)) return "Teams did not answer in time.";
      if (status === null) return "Teams could not be reached.";
      return `Teams had a temporary problem (HTTP ${status}).`;
    case "bad_request":
      if (known) return known.headline;
      if (status !== null && status >= 200 && status < 300)
        return "Teams answered without confirming that the message was posted.";
      return "Teams refused the message without saying why.";
    case "state":
      return `${item.kind}.`;
    default:
      return item.kind;
  }
}

function answerOf(item: ErrorLogItem): string | null {
  const status = item.httpStatus;
  if (status === null) return null;
  const embedded = item.teamsText ? EMBEDDED_STATUS.exec(item.teamsText) : null;
  if (status >= 200 && status < 300 && embedded) {
    return `HTTP ${status}, reporting HTTP ${embedded[1]} in its text: legacy connectors answer errors inside a 200.`;
  }
  if (status >= 200 && status < 300 && item.classification !== "state") {
    return `HTTP ${status}, but not the "1" a legacy connector answers for a posted message.`;
  }
  return `HTTP ${status}`;
}

function labelOf(item: ErrorLogItem, known: (typeof KNOWN_REFUSALS)[number] | undefined): string {
  if (known && item.httpStatus !== null) return `${item.httpStatus} ${known.label}`;
  return item.kind;
}

function actionOf(item: ErrorLogItem): string {
  return item.action.replace(/(\d+) queued message\(s\) failed/g, (_m, n: string) => queuedFailed(Number(n)));
}

export function describe(item: ErrorLogItem): ErrorEvent {
  const known =
    item.classification === "bad_request" && item.teamsText
      ? KNOWN_REFUSALS.find((k) => k.pattern.test(item.teamsText ?? ""))
      : undefined;
  return {
    item,
    label: labelOf(item, known),
    headline: headlineOf(item, known),
    answer: answerOf(item),
    quote: item.teamsText && item.classification !== "state" ? shortenQuote(item.teamsText) : null,
    action: actionOf(item),
  };
}

/** A "Channel disabled" entry written together with the error that disabled the channel. */
function disabledBy(state: ErrorLogItem, cause: ErrorLogItem): boolean {
  return (
    state.classification === "state" &&
    state.kind === "Channel disabled" &&
    cause.classification !== "state" &&
    cause.webhookId === state.webhookId &&
    Math.abs(Date.parse(state.at) - Date.parse(cause.at)) <= SAME_EVENT_MS &&
    /disabled/i.test(cause.action)
  );
}

/**
 * Entries newest first, as the api lists them, turned into events: a channel disabled by an error
 * is one event (the error, with the queued messages that failed with it), not two rows.
 */
export function toEvents(items: ErrorLogItem[]): ErrorEvent[] {
  const events: ErrorEvent[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item === undefined) continue;
    const cause = items[i + 1];
    if (cause && disabledBy(item, cause)) {
      const failed = /(\d+) queued message\(s\) failed/.exec(item.action);
      const event = describe(cause);
      const n = Number(failed?.[1] ?? 0);
      const others =
        n === 0
          ? "no other queued messages failed"
          : `${plural(n, "other queued message", "other queued messages")} failed`;
      events.push(failed ? { ...event, action: `${event.action}; ${others}.` } : event);
      i++;
      continue;
    }
    events.push(describe(item));
  }
  return events;
}

/** Splits text around ISO times, so that each can be shown in the reader's own time zone. */
export function splitTimes(text: string): Array<{ text: string } | { iso: string }> {
  const parts: Array<{ text: string } | { iso: string }> = [];
  const pattern = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) parts.push({ text: text.slice(last, match.index) });
    parts.push({ iso: match[0] });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}
