// Adaptive Cards built from plain text or converted from legacy MessageCards, for Workflows webhooks.
import { isJsonObject, type JsonObject, nonBlankString } from "./json.ts";

export const ADAPTIVE_CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json";
/** The highest Adaptive Card version Teams renders from a webhook. */
export const ADAPTIVE_CARD_VERSION = "1.4";

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

export function textToAdaptiveCard(text: string): JsonObject {
  return adaptiveCard([textBlock(text)]);
}

function sectionItems(section: JsonObject): JsonObject[] {
  const items: JsonObject[] = [];
  const add = (value: unknown, style: JsonObject = {}) => {
    const text = nonBlankString(value);
    if (text !== undefined) items.push(textBlock(text, style));
  };
  add(section.title, { weight: "Bolder" });
  add(section.activityTitle, { weight: "Bolder" });
  add(section.activitySubtitle, { isSubtle: true, spacing: "None" });
  add(section.activityText);
  add(section.text);
  const facts = Array.isArray(section.facts) ? section.facts.filter(isJsonObject) : [];
  const factSet = facts.flatMap((fact) => {
    const title = nonBlankString(fact.name) ?? "";
    const value = nonBlankString(fact.value) ?? "";
    return title === "" && value === "" ? [] : [{ title, value }];
  });
  if (factSet.length > 0) items.push({ type: "FactSet", facts: factSet });
  return items;
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

/**
 * Only link actions survive: HttpPOST and ActionCard post back to the sender's service through the
 * Office 365 connector infrastructure, which Workflows does not have.
 */
function openUrlActions(potentialAction: unknown): JsonObject[] {
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
    if (url === undefined) return [];
    return [{ type: "Action.OpenUrl", title: nonBlankString(action.name) ?? "Open", url }];
  });
}

/**
 * Converts a legacy MessageCard. `text`, when given, stands in for a card without text of its own
 * (as in the legacy payload). themeColor and images have no 1.4 equivalent that reads the same and
 * are left out.
 */
export function messageCardToAdaptiveCard(card: JsonObject, text?: string): JsonObject {
  const body: JsonObject[] = [];
  const mainText = nonBlankString(card.text) ?? nonBlankString(text);
  const title = nonBlankString(card.title);
  const summary = nonBlankString(card.summary);
  const heading = title ?? (summary !== mainText ? summary : undefined);
  if (heading !== undefined) body.push(textBlock(heading, { weight: "Bolder", size: "Medium" }));
  if (mainText !== undefined) body.push(textBlock(mainText));

  const sections = Array.isArray(card.sections) ? card.sections.filter(isJsonObject) : [];
  const actions = openUrlActions(card.potentialAction);
  for (const section of sections) {
    const items = sectionItems(section);
    if (items.length > 0) {
      body.push({
        type: "Container",
        items,
        spacing: "Medium",
        ...(body.length > 0 ? { separator: true } : {}),
      });
    }
    actions.push(...openUrlActions(section.potentialAction));
  }
  return adaptiveCard(body, actions);
}
