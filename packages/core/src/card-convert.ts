// Adaptive Cards built from plain text or converted from legacy MessageCards, for Workflows webhooks.
// A conversion reports what it could not carry (warnings), so that the caller hears about it.
import { htmlToMarkdown } from "./html-text.ts";
import { isJsonObject, type JsonObject, nonBlankString } from "./json.ts";

export const ADAPTIVE_CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json";
/** The highest Adaptive Card version Teams renders from a webhook. */
export const ADAPTIVE_CARD_VERSION = "1.4";

/** Something of a MessageCard that the Adaptive Card sent to Workflows does not carry. */
export interface CardWarning {
  code: "action_dropped" | "image_dropped";
  message: string;
}

export interface Conversion {
  card: JsonObject;
  warnings: CardWarning[];
}

function adaptiveCard(body: JsonObject[], actions: JsonObject[] = []): JsonObject {
  return {
    $schema: ADAPTIVE_CARD_SCHEMA,
    type: "AdaptiveCard",
    version: ADAPTIVE_CARD_VERSION,
    body,
    ...(actions.length > 0 ? { actions } : {}),
    // MessageCards and plain posts span the channel; a default-width Adaptive Card would not.
    msteams: { width: "Full" },
  };
}

export function textBlock(text: string, style: JsonObject = {}): JsonObject {
  return { type: "TextBlock", text, wrap: true, ...style };
}

/** Text (connector HTML converted to markdown) as an Adaptive Card of one TextBlock. */
export function textToAdaptiveCard(text: string): JsonObject {
  return adaptiveCard([textBlock(htmlToMarkdown(text))]);
}

function absoluteUrl(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? value : undefined;
  } catch {
    return undefined;
  }
}

const INLINE_IMAGE = /!\[[^\]]*\]\(([^)\s]*)[^)]*\)/g;

/**
 * Card text as a TextBlock shows it: HTML converted to markdown, and markdown images (which
 * TextBlocks cannot show) taken out, each reported.
 */
function cardText(value: unknown, where: string, warnings: CardWarning[]): string | undefined {
  const text = nonBlankString(value);
  if (text === undefined) return undefined;
  const withoutImages = htmlToMarkdown(text).replace(INLINE_IMAGE, (_whole, url: string) => {
    warnings.push({
      code: "image_dropped",
      message: `The image ${url || "(no URL)"} inside the ${where} was left out: Adaptive Card text cannot show images.`,
    });
    return "";
  });
  return nonBlankString(withoutImages.trim());
}

/** Headings compare as people read them: case, spacing and markdown emphasis aside. */
const sameWords = (a: string | undefined, b: string | undefined) =>
  a !== undefined &&
  b !== undefined &&
  a
    .replace(/[*_\s]+/g, " ")
    .trim()
    .toLowerCase() ===
    b
      .replace(/[*_\s]+/g, " ")
      .trim()
      .toLowerCase();

function image(url: string, style: JsonObject): JsonObject {
  return { type: "Image", url, altText: "", ...style };
}

function sectionItems(section: JsonObject, index: number, warnings: CardWarning[]): JsonObject[] {
  const where = (field: string) => `${field} of section ${index + 1}`;
  const items: JsonObject[] = [];
  const add = (target: JsonObject[], value: unknown, field: string, style: JsonObject = {}) => {
    const text = cardText(value, where(field), warnings);
    if (text !== undefined) target.push(textBlock(text, style));
  };
  add(items, section.title, "title", { weight: "Bolder" });

  // The activity block: the image beside its title, subtitle and text, as Teams drew it.
  const activity: JsonObject[] = [];
  add(activity, section.activityTitle, "activityTitle", { weight: "Bolder" });
  add(activity, section.activitySubtitle, "activitySubtitle", { isSubtle: true, spacing: "None" });
  add(activity, section.activityText, "activityText");
  const activityImage = absoluteUrl(section.activityImage);
  if (section.activityImage !== undefined && activityImage === undefined) {
    warnings.push({
      code: "image_dropped",
      message: `The activityImage of section ${index + 1} was left out: it is not an absolute http(s) URL.`,
    });
  }
  if (activityImage !== undefined) {
    items.push({
      type: "ColumnSet",
      columns: [
        {
          type: "Column",
          width: "auto",
          items: [image(activityImage, { size: "Small", style: "Person" })],
        },
        { type: "Column", width: "stretch", verticalContentAlignment: "Center", items: activity },
      ],
    });
  } else {
    items.push(...activity);
  }

  add(items, section.text, "text");
  const facts = Array.isArray(section.facts) ? section.facts.filter(isJsonObject) : [];
  const factSet = facts.flatMap((fact) => {
    const title = nonBlankString(fact.name) ?? "";
    const value = cardText(fact.value, where("facts"), warnings) ?? "";
    return title === "" && value === "" ? [] : [{ title, value }];
  });
  if (factSet.length > 0) items.push({ type: "FactSet", facts: factSet });

  const images = Array.isArray(section.images) ? section.images.filter(isJsonObject) : [];
  const urls = images.flatMap((i) => {
    const url = absoluteUrl(i.image);
    return url === undefined ? [] : [image(url, { size: "Medium" })];
  });
  if (urls.length > 0) items.push({ type: "ImageSet", images: urls });
  if (urls.length < images.length) {
    warnings.push({
      code: "image_dropped",
      message: `${images.length - urls.length} of the images of section ${index + 1} were left out: they are not absolute http(s) URLs.`,
    });
  }
  const hero = isJsonObject(section.heroImage) ? absoluteUrl(section.heroImage.image) : undefined;
  if (hero !== undefined) items.unshift(image(hero, { size: "Stretch" }));
  return items;
}

const INPUT_NAMES: Record<string, string> = {
  TextInput: "a text input",
  DateInput: "a date input",
  MultichoiceInput: "a choice list",
};

/** Why an action cannot be carried, in the words a caller can act on. */
function droppedAction(action: JsonObject, type: unknown): CardWarning {
  const name = nonBlankString(action.name);
  const label = name === undefined ? `A ${String(type)} action` : `The action "${name}"`;
  const inputs = Array.isArray(action.inputs)
    ? action.inputs.filter(isJsonObject).map((i) => INPUT_NAMES[String(i["@type"])] ?? "an input")
    : [];
  const what =
    type === "ActionCard"
      ? `an ActionCard${inputs.length ? ` with ${[...new Set(inputs)].join(" and ")}` : ""}`
      : type === "HttpPOST"
        ? "an HttpPOST"
        : type === "OpenUri" || type === "ViewAction"
          ? `an ${type} without an absolute http(s) link`
          : `of type ${String(type)}`;
  const why =
    type === "ActionCard" || type === "HttpPOST"
      ? "a card posted through Workflows cannot post back to your service; send a link (OpenUri) instead"
      : "there is no link to open";
  return { code: "action_dropped", message: `${label} (${what}) was left out: ${why}.` };
}

/**
 * Only link actions survive: HttpPOST and ActionCard post back to the sender's service through the
 * Office 365 connector infrastructure, which Workflows does not have. Each one left out is reported.
 */
function openUrlActions(potentialAction: unknown, warnings: CardWarning[]): JsonObject[] {
  if (!Array.isArray(potentialAction)) return [];
  return potentialAction.filter(isJsonObject).flatMap((action) => {
    const type = action["@type"];
    let url: string | undefined;
    if (type === "OpenUri" && Array.isArray(action.targets)) {
      const targets = action.targets.filter(isJsonObject);
      const target = targets.find((t) => t.os === "default") ?? targets[0];
      url = absoluteUrl(target?.uri);
    } else if (type === "ViewAction") {
      url = absoluteUrl(Array.isArray(action.target) ? action.target[0] : action.target);
    }
    if (url === undefined) {
      warnings.push(droppedAction(action, type));
      return [];
    }
    return [{ type: "Action.OpenUrl", title: nonBlankString(action.name) ?? "Open", url }];
  });
}

/**
 * Converts a legacy MessageCard and says what it left out. `text`, when given, stands in for a card
 * without text of its own (as in the legacy payload). The heading (title, else summary) is left out
 * when the first section's title says the same, so that the card shows its title once; themeColor
 * has no Adaptive Card 1.4 equivalent and is left out without a warning (it is decoration).
 */
export function convertMessageCard(card: JsonObject, text?: string): Conversion {
  const warnings: CardWarning[] = [];
  const body: JsonObject[] = [];
  const mainText =
    cardText(card.text, "text", warnings) ?? (text === undefined ? undefined : htmlToMarkdown(text));
  const sections = Array.isArray(card.sections) ? card.sections.filter(isJsonObject) : [];
  const firstSection = sections[0];
  const firstTitle =
    firstSection === undefined
      ? undefined
      : (cardText(firstSection.activityTitle, "", []) ?? cardText(firstSection.title, "", []));
  const title = cardText(card.title, "title", warnings);
  const summary = nonBlankString(card.summary);
  const heading = title ?? (sameWords(summary, mainText) ? undefined : summary);
  if (heading !== undefined && !sameWords(heading, firstTitle)) {
    body.push(textBlock(heading, { weight: "Bolder", size: "Medium" }));
  }
  if (mainText !== undefined) body.push(textBlock(mainText));

  const actions = openUrlActions(card.potentialAction, warnings);
  sections.forEach((section, index) => {
    const items = sectionItems(section, index, warnings);
    if (items.length > 0) {
      body.push({
        type: "Container",
        items,
        spacing: "Medium",
        ...(body.length > 0 ? { separator: true } : {}),
      });
    }
    actions.push(...openUrlActions(section.potentialAction, warnings));
  });
  return { card: adaptiveCard(body, actions), warnings };
}

/** convertMessageCard without the warnings. */
export function messageCardToAdaptiveCard(card: JsonObject, text?: string): JsonObject {
  return convertMessageCard(card, text).card;
}
