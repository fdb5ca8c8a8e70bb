// What Teams accepts as a message on each kind of webhook, and the text a test wants to assert on.

export const ADAPTIVE_CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";
/** Teams renders Adaptive Cards up to this version from a webhook. */
export const MAX_ADAPTIVE_CARD_VERSION = "1.4";

export type PayloadCheck =
  | { ok: true; json: unknown; text: string | null }
  | { ok: false; json: unknown | null; reason: string };

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "";
}

/** JSON.parse that answers undefined instead of throwing. */
export function parseJson(body: string): unknown {
  if (body === "") return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** The texts of every TextBlock and TextRun in an Adaptive Card body, in document order. */
export function adaptiveCardTexts(card: unknown): string[] {
  const texts: string[] = [];
  const visit = (node: unknown, depth: number): void => {
    if (depth > 32) return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item, depth + 1);
      return;
    }
    if (!isObject(node)) return;
    if ((node.type === "TextBlock" || node.type === "TextRun") && typeof node.text === "string") {
      texts.push(node.text);
    }
    for (const key of ["body", "items", "columns", "inlines"]) {
      if (key in node) visit(node[key], depth + 1);
    }
  };
  if (isObject(card)) visit(card.body, 0);
  return texts;
}

function attachmentTexts(message: JsonObject): string | null {
  if (!Array.isArray(message.attachments)) return null;
  const texts = message.attachments.flatMap((a: unknown) =>
    isObject(a) ? adaptiveCardTexts(a.content) : [],
  );
  return texts.length > 0 ? texts.join("\n") : null;
}

function hasAdaptiveCardAttachment(message: JsonObject): boolean {
  return (
    message.type === "message" &&
    Array.isArray(message.attachments) &&
    message.attachments.some(
      (a: unknown) => isObject(a) && a.contentType === ADAPTIVE_CARD_CONTENT_TYPE && isObject(a.content),
    )
  );
}

function legacyText(message: JsonObject): string | null {
  for (const key of ["text", "summary", "title"]) {
    const value = message[key];
    if (nonEmptyString(value)) return value;
  }
  const firstSection: unknown = Array.isArray(message.sections) ? message.sections[0] : undefined;
  if (isObject(firstSection) && nonEmptyString(firstSection.activityTitle)) return firstSection.activityTitle;
  return attachmentTexts(message);
}

/** The legacy connector: a simple text message, a MessageCard, or a message carrying an Adaptive Card. */
export function checkLegacyPayload(body: string): PayloadCheck {
  const json = parseJson(body);
  if (!isObject(json)) {
    return { ok: false, json: json ?? null, reason: "Bad payload received by generic incoming webhook." };
  }
  const accepted =
    nonEmptyString(json.text) ||
    nonEmptyString(json.summary) ||
    nonEmptyString(json.title) ||
    (Array.isArray(json.sections) && json.sections.length > 0) ||
    hasAdaptiveCardAttachment(json);
  if (!accepted) return { ok: false, json, reason: "Summary or Text is required." };
  return { ok: true, json, text: legacyText(json) };
}

function versionAtMost(version: string, max: string): boolean {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  const [maxMajor = 0, maxMinor = 0] = max.split(".").map(Number);
  return major < maxMajor || (major === maxMajor && minor <= maxMinor);
}

function adaptiveCardProblem(attachment: unknown, index: number): string | null {
  const at = `attachments[${index}]`;
  if (!isObject(attachment)) return `${at} must be an object.`;
  if (attachment.contentType !== ADAPTIVE_CARD_CONTENT_TYPE) {
    return `${at}.contentType must be '${ADAPTIVE_CARD_CONTENT_TYPE}'.`;
  }
  const card = attachment.content;
  if (!isObject(card)) return `${at}.content must be an Adaptive Card object.`;
  if (card.type !== "AdaptiveCard") return `${at}.content.type must be 'AdaptiveCard'.`;
  if (typeof card.version !== "string" || !/^\d+(\.\d+)?$/.test(card.version)) {
    return `${at}.content.version must be a version string such as '${MAX_ADAPTIVE_CARD_VERSION}'.`;
  }
  if (!versionAtMost(card.version, MAX_ADAPTIVE_CARD_VERSION)) {
    return `${at}.content.version '${card.version}' is not supported; use ${MAX_ADAPTIVE_CARD_VERSION} or lower.`;
  }
  if (!Array.isArray(card.body)) return `${at}.content.body must be an array.`;
  return null;
}

/** A Workflows ("post to a channel when a webhook request is received") trigger: Adaptive Cards only. */
export function checkWorkflowsPayload(body: string): PayloadCheck {
  const json = parseJson(body);
  if (json === undefined) {
    return {
      ok: false,
      json: null,
      reason: "The request content is not valid and could not be deserialized.",
    };
  }
  if (!isObject(json)) return { ok: false, json, reason: "The request content must be a JSON object." };
  if (json.type !== "message") return { ok: false, json, reason: "Property 'type' must be 'message'." };
  if (!Array.isArray(json.attachments) || json.attachments.length === 0) {
    return { ok: false, json, reason: "Property 'attachments' must be a non-empty array." };
  }
  for (const [index, attachment] of json.attachments.entries()) {
    const problem = adaptiveCardProblem(attachment, index);
    if (problem !== null) return { ok: false, json, reason: problem };
  }
  return { ok: true, json, text: attachmentTexts(json) };
}

/** The text of any payload, for recording requests that were not validated (forced behaviors). */
export function payloadText(json: unknown): string | null {
  return isObject(json) ? legacyText(json) : null;
}
