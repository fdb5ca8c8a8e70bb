import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type * as AC from "adaptivecards";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ADAPTIVE_CARD_SCHEMA,
  ADAPTIVE_CONTENT_TYPE,
  buildTeamsPayload,
  convertMessageCard,
  detectCardType,
  MAX_PAYLOAD_BYTES,
  messageCardToAdaptiveCard,
  type PayloadResult,
  textToAdaptiveCard,
} from "./cards.ts";

// The package's ESM build imports without file extensions, which Node refuses; its UMD bundle loads.
const AdaptiveCards = createRequire(import.meta.url)("adaptivecards/dist/adaptivecards.js") as typeof AC;

/** Every complaint Microsoft's own Adaptive Cards library has about a card, read as version 1.4. */
function adaptiveCardProblems(card: Record<string, unknown>): string[] {
  const parsed = new AdaptiveCards.AdaptiveCard();
  const context = new AdaptiveCards.SerializationContext(new AdaptiveCards.Version(1, 4));
  parsed.parse(card, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) problems.push(context.getEventAt(i).message);
  for (const event of parsed.validateProperties().validationEvents) problems.push(event.message);
  return problems;
}

// Microsoft's example connector message (seed 004), the same file the integration test sends.
const SEED_MESSAGE_CARD = JSON.parse(
  readFileSync(new URL("../../../test/fixtures/message-card-sample.json", import.meta.url), "utf8"),
) as Record<string, unknown>;

const FULL_MESSAGE_CARD = {
  "@type": "MessageCard",
  title: "Deployment finished",
  text: "Build **1234** is live.",
  sections: [
    {
      title: "Details",
      activityText: "All checks passed",
      text: "See the log",
      facts: [{ name: "Env", value: 3 }],
    },
    { facts: [] },
    {
      potentialAction: [{ "@type": "ViewAction", name: "Pipeline", target: ["https://dev.azure.com/x/y"] }],
    },
  ],
  potentialAction: [
    {
      "@type": "OpenUri",
      name: "Open release",
      targets: [
        { os: "iOS", uri: "https://ios.example.com/r" },
        { os: "default", uri: "https://example.com/r" },
      ],
    },
    { "@type": "OpenUri", name: "No targets" },
    { "@type": "OpenUri", name: "Bad", targets: [{ os: "default", uri: "javascript:alert(1)" }] },
    { "@type": "HttpPOST", name: "Ack", target: "https://example.com/ack" },
  ],
};

function ok(result: PayloadResult) {
  if (!result.ok) throw new Error(`expected a payload, got ${result.code}: ${result.message}`);
  return result;
}

function onlyCard(payload: Record<string, unknown>): Record<string, unknown> {
  expect(payload.type).toBe("message");
  const attachments = payload.attachments as Array<Record<string, unknown>>;
  expect(attachments).toHaveLength(1);
  expect(attachments[0]?.contentType).toBe(ADAPTIVE_CONTENT_TYPE);
  expect(attachments[0]?.contentUrl).toBeNull();
  return attachments[0]?.content as Record<string, unknown>;
}

describe("detectCardType", () => {
  it("recognises each kind of card", () => {
    expect(detectCardType({ type: "AdaptiveCard", body: [] })).toBe("adaptive_card");
    expect(detectCardType({ type: "message", attachments: [] })).toBe("adaptive_message");
    expect(detectCardType(SEED_MESSAGE_CARD)).toBe("message_card");
    expect(detectCardType({ "@type": "messagecard" })).toBe("message_card");
    expect(detectCardType({ summary: "x", sections: [] })).toBe("message_card");
    expect(detectCardType({ themeColor: "ff0000", text: "x" })).toBe("message_card");
    expect(detectCardType({ title: "x" })).toBe("message_card");
  });

  it("refuses what is neither", () => {
    expect(detectCardType({})).toBeNull();
    expect(detectCardType({ type: "message" })).toBeNull();
    expect(detectCardType({ type: "HeroCard", title: "x" })).toBeNull();
    expect(detectCardType({ "@type": "ActionCard", title: "x" })).toBeNull();
    expect(detectCardType({ foo: 1 })).toBeNull();
  });
});

describe("buildTeamsPayload: legacy connectors", () => {
  it("sends text as {text}", () => {
    const result = ok(buildTeamsPayload("legacy", { text: "Hello World" }));
    expect(result.payload).toEqual({ text: "Hello World" });
    expect(result.body).toBe('{"text":"Hello World"}');
    expect(result.bytes).toBe(22);
  });

  it("sends a MessageCard as it is, filling in its text when it has none", () => {
    const result = ok(buildTeamsPayload("legacy", { text: "fallback", card: SEED_MESSAGE_CARD }));
    expect(result.payload).toEqual({ ...SEED_MESSAGE_CARD, text: "fallback" });
    const own = ok(
      buildTeamsPayload("legacy", { text: "fallback", card: { ...SEED_MESSAGE_CARD, text: "own" } }),
    );
    expect(own.payload.text).toBe("own");
  });

  it("marks a look-alike MessageCard as one", () => {
    const result = ok(buildTeamsPayload("legacy", { card: { summary: "s", sections: [] } }));
    expect(result.payload).toEqual({
      "@type": "MessageCard",
      "@context": "http://schema.org/extensions",
      summary: "s",
      sections: [],
    });
  });

  it("supplies a summary from the title, because Teams requires a summary or text", () => {
    expect(ok(buildTeamsPayload("legacy", { card: { title: "T", sections: [] } })).payload.summary).toBe("T");
    const fromSection = { "@type": "MessageCard", sections: [{ activityTitle: "A" }] };
    expect(ok(buildTeamsPayload("legacy", { card: fromSection })).payload.summary).toBe("A");
    const nothing = buildTeamsPayload("legacy", { card: { "@type": "MessageCard", themeColor: "fff" } });
    expect(nothing).toMatchObject({ ok: false, code: "invalid_card" });
    if (!nothing.ok) expect(nothing.message).toContain('"summary" or "text"');
  });

  it("wraps an Adaptive Card in a message attachment", () => {
    const card = { type: "AdaptiveCard", version: "1.2", body: [{ type: "TextBlock", text: "hi" }] };
    const result = ok(buildTeamsPayload("legacy", { card }));
    expect(onlyCard(result.payload)).toEqual({ $schema: ADAPTIVE_CARD_SCHEMA, ...card });
  });
});

describe("buildTeamsPayload: Workflows", () => {
  it("turns text into an Adaptive Card 1.4", () => {
    const card = onlyCard(ok(buildTeamsPayload("workflows", { text: "Hello **World**" })).payload);
    expect(card).toEqual(textToAdaptiveCard("Hello **World**"));
    expect(card).toMatchObject({
      $schema: ADAPTIVE_CARD_SCHEMA,
      type: "AdaptiveCard",
      version: "1.4",
      body: [{ type: "TextBlock", text: "Hello **World**", wrap: true }],
    });
    expect(adaptiveCardProblems(card)).toEqual([]);
  });

  it("converts a MessageCard", () => {
    const card = onlyCard(ok(buildTeamsPayload("workflows", { card: SEED_MESSAGE_CARD })).payload);
    expect(card).toEqual(messageCardToAdaptiveCard(SEED_MESSAGE_CARD));
  });

  it("fills in version and $schema, and refuses versions Teams does not render", () => {
    const card = onlyCard(
      ok(buildTeamsPayload("workflows", { card: { type: "AdaptiveCard", body: [] } })).payload,
    );
    expect(card).toEqual({ $schema: ADAPTIVE_CARD_SCHEMA, type: "AdaptiveCard", version: "1.4", body: [] });
    for (const version of ["1.5", "1.10", "2.0"]) {
      const result = buildTeamsPayload("workflows", { card: { type: "AdaptiveCard", version, body: [] } });
      expect(result).toMatchObject({ ok: false, code: "invalid_card" });
      if (!result.ok) expect(result.message).toContain(`version ${version}`);
      if (!result.ok) expect(result.message).toContain("1.4 at most");
    }
    for (const version of ["1", "latest", 1.4, ""]) {
      const result = buildTeamsPayload("workflows", { card: { type: "AdaptiveCard", version, body: [] } });
      expect(result).toMatchObject({ ok: false, code: "invalid_card" });
    }
    expect(buildTeamsPayload("workflows", { card: { type: "AdaptiveCard", version: "1.0" } }).ok).toBe(true);
  });

  it("puts the text first when both text and an Adaptive Card are given", () => {
    const card = { type: "AdaptiveCard", version: "1.4", body: [{ type: "TextBlock", text: "card" }] };
    const content = onlyCard(ok(buildTeamsPayload("workflows", { text: "lead", card })).payload);
    expect(content.body).toEqual([
      { type: "TextBlock", text: "lead", wrap: true },
      { type: "TextBlock", text: "card" },
    ]);
    expect(card.body).toHaveLength(1);
  });

  it("refuses malformed Adaptive Cards", () => {
    expect(buildTeamsPayload("workflows", { card: { type: "AdaptiveCard", body: "x" } }).ok).toBe(false);
    expect(buildTeamsPayload("workflows", { card: { type: "AdaptiveCard", actions: {} } }).ok).toBe(false);
  });

  it("accepts a ready-made message with Adaptive Card attachments and checks each card", () => {
    const message = {
      type: "message",
      attachments: [
        { contentType: ADAPTIVE_CONTENT_TYPE, content: { type: "AdaptiveCard", body: [] } },
        { contentType: ADAPTIVE_CONTENT_TYPE, content: { type: "AdaptiveCard", version: "1.3", body: [] } },
      ],
    };
    const result = ok(buildTeamsPayload("workflows", { text: "first", card: message }));
    const attachments = result.payload.attachments as Array<{ content: Record<string, unknown> }>;
    expect(attachments.map((a) => a.content.version)).toEqual(["1.4", "1.3"]);
    expect(attachments[0]?.content.body).toEqual([{ type: "TextBlock", text: "first", wrap: true }]);
    expect(attachments[1]?.content.body).toEqual([]);

    const newer = {
      ...message,
      attachments: [
        { contentType: ADAPTIVE_CONTENT_TYPE, content: { type: "AdaptiveCard", version: "1.6" } },
      ],
    };
    expect(buildTeamsPayload("legacy", { card: newer }).ok).toBe(false);
    const hero = {
      type: "message",
      attachments: [{ contentType: "application/vnd.microsoft.card.hero", content: {} }],
    };
    expect(buildTeamsPayload("workflows", { card: hero })).toMatchObject({ ok: false, code: "invalid_card" });
    expect(buildTeamsPayload("workflows", { card: { type: "message", attachments: [] } }).ok).toBe(false);
    expect(buildTeamsPayload("workflows", { card: { type: "message", attachments: [42] } }).ok).toBe(false);
  });

  it("refuses a MessageCard that converts to nothing", () => {
    const result = buildTeamsPayload("workflows", { card: { "@type": "MessageCard", themeColor: "fff" } });
    expect(result).toMatchObject({ ok: false, code: "invalid_card" });
  });
});

describe("buildTeamsPayload: refusals", () => {
  it("refuses an empty message", () => {
    for (const kind of ["legacy", "workflows"] as const) {
      expect(buildTeamsPayload(kind, {})).toMatchObject({ ok: false, code: "invalid_card" });
      expect(buildTeamsPayload(kind, { text: "   " })).toMatchObject({ ok: false, code: "invalid_card" });
    }
  });

  it("refuses a card that is neither a MessageCard nor an Adaptive Card", () => {
    const result = buildTeamsPayload("legacy", { card: { type: "HeroCard", title: "x" } });
    expect(result).toMatchObject({ ok: false, code: "invalid_card" });
    if (!result.ok) expect(result.message).toContain("neither a MessageCard");
  });

  it("refuses a card that is not an object", () => {
    const notObject = JSON.parse("[1,2]") as Record<string, unknown>;
    expect(buildTeamsPayload("legacy", { card: notObject })).toMatchObject({
      ok: false,
      code: "invalid_card",
    });
  });

  it("refuses a card that cannot be written as JSON", () => {
    const looped: Record<string, unknown> = { type: "AdaptiveCard", body: [] };
    looped.self = looped;
    expect(buildTeamsPayload("workflows", { card: looped })).toMatchObject({
      ok: false,
      code: "invalid_card",
    });
  });

  it("enforces 28672 bytes on the final body, counting UTF-8 bytes", () => {
    expect(MAX_PAYLOAD_BYTES).toBe(28672);
    const overhead = '{"text":""}'.length;
    expect(ok(buildTeamsPayload("legacy", { text: "x".repeat(MAX_PAYLOAD_BYTES - overhead) })).bytes).toBe(
      MAX_PAYLOAD_BYTES,
    );
    const over = buildTeamsPayload("legacy", { text: "x".repeat(MAX_PAYLOAD_BYTES - overhead + 1) });
    expect(over).toEqual({
      ok: false,
      code: "payload_too_large",
      message:
        "The message is 28673 bytes once prepared for Teams, over the 28672-byte (28 KB) limit; shorten the text or the card by 1 bytes.",
    });
    // "é" is two bytes: fits by characters, not by bytes.
    expect(buildTeamsPayload("legacy", { text: "é".repeat(15_000) })).toMatchObject({
      code: "payload_too_large",
    });
    // The Workflows wrapper counts too.
    expect(buildTeamsPayload("workflows", { text: "x".repeat(MAX_PAYLOAD_BYTES - overhead) })).toMatchObject({
      code: "payload_too_large",
    });
  });

  it("reports bytes equal to the UTF-8 length of body", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", minLength: 1, maxLength: 200 }),
        fc.constantFrom("legacy", "workflows"),
        (text, kind) => {
          const result = buildTeamsPayload(kind as "legacy" | "workflows", { text });
          if (result.ok) {
            expect(result.bytes).toBe(Buffer.byteLength(result.body, "utf8"));
            expect(JSON.parse(result.body)).toEqual(result.payload);
          }
        },
      ),
    );
  });
});

describe("messageCardToAdaptiveCard", () => {
  it("converts Microsoft's example into a valid Adaptive Card 1.4: one title, its image, each lost action named", () => {
    const { card, warnings } = convertMessageCard(SEED_MESSAGE_CARD);
    expect(card).toEqual({
      $schema: ADAPTIVE_CARD_SCHEMA,
      type: "AdaptiveCard",
      version: "1.4",
      body: [
        {
          type: "Container",
          spacing: "Medium",
          items: [
            {
              type: "ColumnSet",
              columns: [
                {
                  type: "Column",
                  width: "auto",
                  items: [
                    {
                      type: "Image",
                      url: "https://teamsnodesample.azurewebsites.net/static/img/image5.png",
                      altText: "",
                      size: "Small",
                      style: "Person",
                    },
                  ],
                },
                {
                  type: "Column",
                  width: "stretch",
                  verticalContentAlignment: "Center",
                  items: [
                    {
                      type: "TextBlock",
                      text: "Larry Bryant created a new task",
                      wrap: true,
                      weight: "Bolder",
                    },
                    {
                      type: "TextBlock",
                      text: "On Project Tango",
                      wrap: true,
                      isSubtle: true,
                      spacing: "None",
                    },
                  ],
                },
              ],
            },
            {
              type: "FactSet",
              facts: [
                { title: "Assigned to", value: "Unassigned" },
                { title: "Due date", value: "Mon May 01 2017 17:07:18 GMT-0700 (Pacific Daylight Time)" },
                { title: "Status", value: "Not started" },
              ],
            },
          ],
        },
      ],
      msteams: { width: "Full" },
    });
    expect(adaptiveCardProblems(card)).toEqual([]);
    // The title appears once: the summary repeats the activity title, so it is not a heading too.
    expect(JSON.stringify(card).match(/Larry Bryant created a new task/g)).toHaveLength(1);
    expect(warnings.filter((w) => w.code === "action_dropped").map((w) => w.message)).toEqual([
      'The action "Add a comment" (an ActionCard with a text input) was left out: a card posted through Workflows cannot post back to your service; send a link (OpenUri) instead.',
      'The action "Set due date" (an ActionCard with a date input) was left out: a card posted through Workflows cannot post back to your service; send a link (OpenUri) instead.',
      'The action "Change status" (an ActionCard with a choice list) was left out: a card posted through Workflows cannot post back to your service; send a link (OpenUri) instead.',
    ]);
    expect(warnings.filter((w) => w.code === "image_dropped").map((w) => w.message)).toEqual([
      "The image https://47a92947.ngrok.io/Content/Images/default.png inside the activityTitle of section 1 was left out: Adaptive Card text cannot show images.",
    ]);
  });

  it("reports the lost actions in the payload result, and refuses them when asked to be strict", () => {
    const lenient = ok(buildTeamsPayload("workflows", { card: SEED_MESSAGE_CARD }));
    expect((lenient.warnings ?? []).filter((w) => w.code === "action_dropped")).toHaveLength(3);
    const strict = buildTeamsPayload("workflows", { card: SEED_MESSAGE_CARD }, { strict: true });
    expect(strict).toMatchObject({ ok: false, code: "card_not_convertible" });
    if (!strict.ok) expect(strict.message).toContain('The action "Add a comment"');
    // Legacy connectors take the MessageCard as it is: nothing is lost, strict or not.
    expect(ok(buildTeamsPayload("legacy", { card: SEED_MESSAGE_CARD }, { strict: true })).warnings).toEqual(
      [],
    );
    const links = {
      title: "t",
      potentialAction: [
        { "@type": "OpenUri", name: "o", targets: [{ os: "default", uri: "https://x.example.com" }] },
      ],
    };
    expect(ok(buildTeamsPayload("workflows", { card: links }, { strict: true })).warnings).toEqual([]);
  });

  it("keeps a heading that says something the first section does not", () => {
    const card = messageCardToAdaptiveCard({ summary: "Deploy", sections: [{ activityTitle: "Build 12" }] });
    expect(card.body).toMatchObject([
      { type: "TextBlock", text: "Deploy", weight: "Bolder" },
      { type: "Container" },
    ]);
  });

  it("keeps links, drops posts back, and validates", () => {
    const card = messageCardToAdaptiveCard(FULL_MESSAGE_CARD);
    expect(card.actions).toEqual([
      { type: "Action.OpenUrl", title: "Open release", url: "https://example.com/r" },
      { type: "Action.OpenUrl", title: "Pipeline", url: "https://dev.azure.com/x/y" },
    ]);
    expect(card.body).toEqual([
      { type: "TextBlock", text: "Deployment finished", wrap: true, weight: "Bolder", size: "Medium" },
      { type: "TextBlock", text: "Build **1234** is live.", wrap: true },
      {
        type: "Container",
        spacing: "Medium",
        separator: true,
        items: [
          { type: "TextBlock", text: "Details", wrap: true, weight: "Bolder" },
          { type: "TextBlock", text: "All checks passed", wrap: true },
          { type: "TextBlock", text: "See the log", wrap: true },
          { type: "FactSet", facts: [{ title: "Env", value: "3" }] },
        ],
      },
    ]);
    expect(adaptiveCardProblems(card)).toEqual([]);
  });

  it("uses the given text when the card has none, and the summary as heading only when it adds something", () => {
    expect(messageCardToAdaptiveCard({ summary: "S" }, "T").body).toEqual([
      { type: "TextBlock", text: "S", wrap: true, weight: "Bolder", size: "Medium" },
      { type: "TextBlock", text: "T", wrap: true },
    ]);
    expect(messageCardToAdaptiveCard({ summary: "same", text: "same" }).body).toEqual([
      { type: "TextBlock", text: "same", wrap: true },
    ]);
  });

  it("takes the first target when none is marked default, and ignores junk", () => {
    const card = messageCardToAdaptiveCard({
      title: "t",
      sections: "nope",
      potentialAction: [
        { "@type": "OpenUri", targets: [{ os: "android", uri: "https://a.example.com" }] },
        { "@type": "ViewAction", name: "v", target: "https://v.example.com" },
        "junk",
      ],
    });
    expect(card.actions).toEqual([
      { type: "Action.OpenUrl", title: "Open", url: "https://a.example.com" },
      { type: "Action.OpenUrl", title: "v", url: "https://v.example.com" },
    ]);
    expect(adaptiveCardProblems(card)).toEqual([]);
  });

  it("produces cards Microsoft's library accepts for any MessageCard-shaped input", () => {
    const text = fc.option(fc.string({ maxLength: 40 }), { nil: undefined });
    const fact = fc.record({
      name: fc.oneof(fc.string(), fc.integer()),
      value: fc.oneof(fc.string(), fc.integer()),
    });
    const section = fc.record(
      {
        title: text,
        activityTitle: text,
        activitySubtitle: text,
        activityText: text,
        text,
        facts: fc.array(fact, { maxLength: 3 }),
      },
      { requiredKeys: [] },
    );
    const action = fc.oneof(
      fc.record({
        "@type": fc.constant("OpenUri"),
        name: text,
        targets: fc.constant([{ os: "default", uri: "https://x.example.com" }]),
      }),
      fc.record({
        "@type": fc.constant("HttpPOST"),
        name: text,
        target: fc.constant("https://x.example.com"),
      }),
    );
    const messageCard = fc.record(
      {
        title: text,
        summary: text,
        text,
        themeColor: text,
        sections: fc.array(section, { maxLength: 3 }),
        potentialAction: fc.array(action, { maxLength: 3 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(messageCard, (mc) => {
        expect(adaptiveCardProblems(messageCardToAdaptiveCard(mc))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});

describe("textToAdaptiveCard", () => {
  it("is one wrapping TextBlock that Microsoft's library accepts", () => {
    const card = textToAdaptiveCard("**Alert**: disk at 91%\n- host: db-1");
    expect(card.body).toEqual([
      { type: "TextBlock", text: "**Alert**: disk at 91%\n- host: db-1", wrap: true },
    ]);
    expect(adaptiveCardProblems(card)).toEqual([]);
  });

  it("is flagged by the validator when a card uses a newer element, so the check has teeth", () => {
    expect(
      adaptiveCardProblems({ type: "AdaptiveCard", version: "1.4", body: [{ type: "Table", columns: [] }] }),
    ).not.toEqual([]);
  });
});
