// The JSON body Teams receives for a message: legacy connector payloads and Workflows Adaptive Cards.
import {
  ADAPTIVE_CARD_SCHEMA,
  ADAPTIVE_CARD_VERSION,
  type CardWarning,
  convertMessageCard,
  textBlock,
  textToAdaptiveCard,
} from "./card-convert.ts";
import { htmlToMarkdown } from "./html-text.ts";
import { isJsonObject, type JsonObject, nonBlankString, utf8Length } from "./json.ts";
import type { UrlKind } from "./url.ts";

export {
  ADAPTIVE_CARD_SCHEMA,
  ADAPTIVE_CARD_VERSION,
  type CardWarning,
  type Conversion,
  convertMessageCard,
  messageCardToAdaptiveCard,
  textToAdaptiveCard,
} from "./card-convert.ts";
export { htmlToMarkdown, looksLikeHtml } from "./html-text.ts";

/** A person (UPN or Entra object id) to @mention in the message. */
export interface Mention {
  id: string;
  name: string;
}
export type MessageInput = {
  text?: string | undefined;
  card?: Record<string, unknown> | undefined;
  mentions?: readonly Mention[] | undefined;
};
export interface PayloadOptions {
  /** Refuse a card that would lose something in conversion instead of sending what can be carried. */
  strict?: boolean | undefined;
}
export type PayloadResult =
  | {
      ok: true;
      payload: Record<string, unknown>;
      body: string;
      bytes: number;
      /** What a conversion could not carry (a MessageCard's post-back actions); absent: nothing. */
      warnings?: CardWarning[];
      /** Legacy connectors cannot mention: the names were sent as plain text. */
      mentionsAsText?: boolean;
    }
  | {
      ok: false;
      code: "invalid_card" | "invalid_mentions" | "card_not_convertible" | "payload_too_large";
      message: string;
    };

/** Teams renders at most 20 mentions in one message. */
export const MAX_MENTIONS = 20;
export type CardType = "message_card" | "adaptive_card" | "adaptive_message";

/** Legacy connectors refuse bodies over about 28 KB; the same bound is applied to Workflows. */
export const MAX_PAYLOAD_BYTES = 28672;
export const ADAPTIVE_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";

const MESSAGE_CARD_CONTEXT = "http://schema.org/extensions";
const MESSAGE_CARD_FIELDS = ["sections", "summary", "title", "themeColor", "text"];

export function detectCardType(card: Record<string, unknown>): CardType | null {
  if (card.type === "AdaptiveCard") return "adaptive_card";
  if (card.type === "message" && Array.isArray(card.attachments)) return "adaptive_message";
  const atType = card["@type"];
  if (typeof atType === "string") return atType.toLowerCase() === "messagecard" ? "message_card" : null;
  if (card.type === undefined && MESSAGE_CARD_FIELDS.some((field) => field in card)) return "message_card";
  return null;
}

type Built = { ok: true; payload: JsonObject; warnings?: CardWarning[] } | { ok: false; message: string };

function invalid(message: string): PayloadResult {
  return { ok: false, code: "invalid_card", message };
}

function asMessage(cards: JsonObject[]): JsonObject {
  return {
    type: "message",
    attachments: cards.map((content) => ({ contentType: ADAPTIVE_CONTENT_TYPE, contentUrl: null, content })),
  };
}

function parseVersion(version: string): readonly [number, number] | null {
  const match = /^(\d+)\.(\d+)$/.exec(version.trim());
  return match ? [Number(match[1]), Number(match[2])] : null;
}

/** Fills in what Teams requires ($schema, version) and refuses versions Teams would not render. */
function normaliseAdaptiveCard(card: JsonObject, text: string | undefined): Built {
  const version = card.version ?? ADAPTIVE_CARD_VERSION;
  const parsed = typeof version === "string" ? parseVersion(version) : null;
  if (typeof version !== "string" || parsed === null) {
    return { ok: false, message: 'The Adaptive Card\'s "version" must be a string like "1.4".' };
  }
  const [major, minor] = parsed;
  if (major > 1 || (major === 1 && minor > 4)) {
    return {
      ok: false,
      message: `The Adaptive Card is version ${version}, but Teams webhooks render version ${ADAPTIVE_CARD_VERSION} at most; set "version": "${ADAPTIVE_CARD_VERSION}" and use only elements from that version.`,
    };
  }
  const body = card.body ?? [];
  if (!Array.isArray(body)) return { ok: false, message: 'The Adaptive Card\'s "body" must be an array.' };
  if (card.actions !== undefined && !Array.isArray(card.actions)) {
    return { ok: false, message: 'The Adaptive Card\'s "actions" must be an array.' };
  }
  return {
    ok: true,
    payload: {
      $schema: ADAPTIVE_CARD_SCHEMA,
      ...card,
      type: "AdaptiveCard",
      version,
      body: text === undefined ? body : [textBlock(htmlToMarkdown(text)), ...body],
    },
  };
}

/** An already wrapped {"type":"message","attachments":[...]}: each attachment must be an Adaptive Card. */
function normaliseAdaptiveMessage(message: JsonObject, text: string | undefined): Built {
  const attachments = Array.isArray(message.attachments) ? message.attachments : [];
  if (attachments.length === 0) return { ok: false, message: "The message has no attachments to post." };
  const cards: JsonObject[] = [];
  for (const attachment of attachments) {
    const content = isJsonObject(attachment) ? attachment.content : undefined;
    if (
      !isJsonObject(attachment) ||
      attachment.contentType !== ADAPTIVE_CONTENT_TYPE ||
      !isJsonObject(content) ||
      content.type !== "AdaptiveCard"
    ) {
      return {
        ok: false,
        message: `Every attachment must have "contentType": "${ADAPTIVE_CONTENT_TYPE}" and an Adaptive Card as "content".`,
      };
    }
    // The text goes on the first card only: it is one message, said once.
    const normalised = normaliseAdaptiveCard(content, cards.length === 0 ? text : undefined);
    if (!normalised.ok) return normalised;
    cards.push(normalised.payload);
  }
  return { ok: true, payload: { ...message, ...asMessage(cards) } };
}

/**
 * A legacy connector takes the MessageCard itself. Teams refuses one with neither summary nor text
 * ("Summary or Text is required."), so a title stands in for a missing summary.
 */
function legacyMessageCard(card: JsonObject, text: string | undefined): Built {
  const out: JsonObject = { "@type": "MessageCard", "@context": MESSAGE_CARD_CONTEXT, ...card };
  if (nonBlankString(card.text) === undefined && text !== undefined) out.text = text;
  if (nonBlankString(out.summary) === undefined && nonBlankString(out.text) === undefined) {
    const firstSection = Array.isArray(card.sections) ? card.sections.find(isJsonObject) : undefined;
    const stand = nonBlankString(card.title) ?? nonBlankString(firstSection?.activityTitle);
    if (stand === undefined) {
      return {
        ok: false,
        message: 'The MessageCard needs a "summary" or "text"; Teams refuses it without one.',
      };
    }
    out.summary = stand;
  }
  return { ok: true, payload: out };
}

function workflowsMessageCard(card: JsonObject, text: string | undefined): Built {
  const { card: adaptive, warnings } = convertMessageCard(card, text);
  const empty =
    Array.isArray(adaptive.body) && adaptive.body.length === 0 && !Array.isArray(adaptive.actions);
  if (empty) {
    return {
      ok: false,
      message: "The MessageCard has nothing an Adaptive Card can show (no title, text, sections or links).",
    };
  }
  return { ok: true, payload: asMessage([adaptive]), warnings };
}

export function atTag(name: string): string {
  return `<at>${name}</at>`;
}

function mentionsProblem(mentions: readonly Mention[]): string | null {
  if (mentions.length > MAX_MENTIONS) {
    return `A message can mention at most ${MAX_MENTIONS} people; this one names ${mentions.length}.`;
  }
  for (const [i, m] of mentions.entries()) {
    if (nonBlankString(m.id) === undefined) return `mentions[${i}].id must be a UPN or an Entra object id.`;
    if (nonBlankString(m.name) === undefined) return `mentions[${i}].name must be the name to show.`;
    if (/[<>]/.test(m.name)) return `mentions[${i}].name must not contain < or >.`;
  }
  return null;
}

/** The text with every mention's `<at>name</at>` in it: the ones missing are added at the end. */
function textWithTags(text: string | undefined, mentions: readonly Mention[]): string | undefined {
  const missing = mentions.filter((m) => !(text ?? "").includes(atTag(m.name))).map((m) => atTag(m.name));
  if (missing.length === 0) return text;
  return text === undefined ? missing.join(" ") : `${text} ${missing.join(" ")}`;
}

/** Adds `msteams.entities` mentions to the first card, and a line with any tag no TextBlock carries. */
function withMentionEntities(message: JsonObject, mentions: readonly Mention[]): JsonObject {
  const attachments = Array.isArray(message.attachments) ? message.attachments : [];
  const first = attachments[0];
  const card = isJsonObject(first) && isJsonObject(first.content) ? first.content : undefined;
  if (first === undefined || card === undefined) return message;
  const shown = JSON.stringify(card.body ?? []);
  const untagged = mentions.filter((m) => !shown.includes(JSON.stringify(atTag(m.name)).slice(1, -1)));
  const body = Array.isArray(card.body) ? card.body : [];
  const msteams = isJsonObject(card.msteams) ? card.msteams : {};
  const existing = Array.isArray(msteams.entities) ? msteams.entities : [];
  const entities = mentions.map((m) => ({
    type: "mention",
    text: atTag(m.name),
    mentioned: { id: m.id, name: m.name },
  }));
  const content: JsonObject = {
    ...card,
    body: untagged.length === 0 ? body : [...body, textBlock(untagged.map((m) => atTag(m.name)).join(" "))],
    msteams: { ...msteams, entities: [...existing, ...entities] },
  };
  return { ...message, attachments: [{ ...(first as JsonObject), content }, ...attachments.slice(1)] };
}

/** Legacy connectors cannot mention: `<at>name</at>` becomes the plain name, and names not in the text are added. */
function namesAsText(text: string | undefined, mentions: readonly Mention[]): string | undefined {
  const tagged = textWithTags(text, mentions);
  if (tagged === undefined) return undefined;
  return mentions.reduce((t, m) => t.split(atTag(m.name)).join(m.name), tagged);
}

function build(kind: UrlKind, input: MessageInput): Built {
  const mentions = input.mentions ?? [];
  if (mentions.length === 0) return buildPlain(kind, input);
  if (kind === "legacy") {
    const text = namesAsText(nonBlankString(input.text), mentions);
    return buildPlain(kind, { ...input, text });
  }
  const text = nonBlankString(input.text);
  // With a card and no text, the tags go in a line of their own (withMentionEntities adds it).
  const tagged = text === undefined && input.card !== undefined ? undefined : textWithTags(text, mentions);
  const built = buildPlain(kind, { ...input, text: tagged });
  return built.ok ? { ...built, payload: withMentionEntities(built.payload, mentions) } : built;
}

function buildPlain(kind: UrlKind, input: MessageInput): Built {
  const text = nonBlankString(input.text);
  const card: unknown = input.card;
  if (card === undefined || card === null) {
    if (text === undefined)
      return { ok: false, message: "There is nothing to send: give a text message or a card." };
    return { ok: true, payload: kind === "legacy" ? { text } : asMessage([textToAdaptiveCard(text)]) };
  }
  if (!isJsonObject(card)) return { ok: false, message: "The card must be a JSON object." };

  switch (detectCardType(card)) {
    case "message_card":
      return kind === "legacy" ? legacyMessageCard(card, text) : workflowsMessageCard(card, text);
    case "adaptive_card": {
      const normalised = normaliseAdaptiveCard(card, text);
      return normalised.ok ? { ok: true, payload: asMessage([normalised.payload]) } : normalised;
    }
    case "adaptive_message":
      return normaliseAdaptiveMessage(card, text);
    case null:
      return {
        ok: false,
        message:
          'The card is neither a MessageCard ("@type": "MessageCard") nor an Adaptive Card ("type": "AdaptiveCard").',
      };
  }
}

/**
 * The body to POST to a webhook of `kind`, checked against the size Teams accepts, with what a
 * conversion left out. With `strict`, a conversion that leaves anything out is refused instead.
 */
export function buildTeamsPayload(
  kind: UrlKind,
  input: MessageInput,
  options: PayloadOptions = {},
): PayloadResult {
  const mentions = input.mentions ?? [];
  const problem = mentionsProblem(mentions);
  if (problem !== null) return { ok: false, code: "invalid_mentions", message: problem };
  const built = build(kind, input);
  if (!built.ok) return invalid(built.message);
  const warnings = built.warnings ?? [];
  if (options.strict && warnings.length > 0) {
    return {
      ok: false,
      code: "card_not_convertible",
      message: `The MessageCard cannot be sent to this Workflows webhook without losing part of it: ${warnings
        .map((w) => w.message)
        .join(
          " ",
        )} Send an Adaptive Card instead, or send without strict conversion to post what can be carried.`,
    };
  }
  let body: string;
  try {
    body = JSON.stringify(built.payload);
  } catch {
    return invalid("The card cannot be written as JSON.");
  }
  const bytes = utf8Length(body);
  if (bytes > MAX_PAYLOAD_BYTES) {
    return {
      ok: false,
      code: "payload_too_large",
      message: `The message is ${bytes} bytes once prepared for Teams, over the ${MAX_PAYLOAD_BYTES}-byte (28 KB) limit; shorten the text or the card by ${bytes - MAX_PAYLOAD_BYTES} bytes.`,
    };
  }
  return {
    ok: true,
    payload: built.payload,
    body,
    bytes,
    warnings,
    mentionsAsText: kind === "legacy" && mentions.length > 0,
  };
}
