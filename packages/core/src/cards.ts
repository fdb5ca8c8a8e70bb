// The JSON body Teams receives for a message: legacy connector payloads and Workflows Adaptive Cards.
import {
  ADAPTIVE_CARD_SCHEMA,
  ADAPTIVE_CARD_VERSION,
  messageCardToAdaptiveCard,
  textBlock,
  textToAdaptiveCard,
} from "./card-convert.ts";
import { isJsonObject, type JsonObject, nonBlankString, utf8Length } from "./json.ts";
import type { UrlKind } from "./url.ts";

export {
  ADAPTIVE_CARD_SCHEMA,
  ADAPTIVE_CARD_VERSION,
  messageCardToAdaptiveCard,
  textToAdaptiveCard,
} from "./card-convert.ts";

export type MessageInput = { text?: string | undefined; card?: Record<string, unknown> | undefined };
export type PayloadResult =
  | { ok: true; payload: Record<string, unknown>; body: string; bytes: number }
  | { ok: false; code: "invalid_card" | "payload_too_large"; message: string };
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

type Built = { ok: true; payload: JsonObject } | { ok: false; message: string };

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
      body: text === undefined ? body : [textBlock(text), ...body],
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
  const adaptive = messageCardToAdaptiveCard(card, text);
  const empty =
    Array.isArray(adaptive.body) && adaptive.body.length === 0 && !Array.isArray(adaptive.actions);
  if (empty) {
    return {
      ok: false,
      message: "The MessageCard has nothing an Adaptive Card can show (no title, text, sections or links).",
    };
  }
  return { ok: true, payload: asMessage([adaptive]) };
}

function build(kind: UrlKind, input: MessageInput): Built {
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

/** The body to POST to a webhook of `kind`, checked against the size Teams accepts. */
export function buildTeamsPayload(kind: UrlKind, input: MessageInput): PayloadResult {
  const built = build(kind, input);
  if (!built.ok) return invalid(built.message);
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
  return { ok: true, payload: built.payload, body, bytes };
}
