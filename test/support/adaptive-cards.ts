import { createRequire } from "node:module";
import type * as AC from "adaptivecards";

// The package's ESM build imports without file extensions, which Node refuses; its UMD bundle loads.
const AdaptiveCards = createRequire(import.meta.url)("adaptivecards/dist/adaptivecards.js") as typeof AC;

/** Every complaint Microsoft's Adaptive Cards library has about a card read as version 1.4 (empty = valid). */
export function adaptiveCardProblems(card: unknown): string[] {
  const parsed = new AdaptiveCards.AdaptiveCard();
  const context = new AdaptiveCards.SerializationContext(new AdaptiveCards.Version(1, 4));
  parsed.parse(card, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) problems.push(context.getEventAt(i).message);
  for (const event of parsed.validateProperties().validationEvents) problems.push(event.message);
  return problems;
}
