import { describe, expect, it } from "vitest";
import { adaptiveCardTexts, checkLegacyPayload, checkWorkflowsPayload } from "./payloads.ts";

const card = (version: string, body: unknown[] = [{ type: "TextBlock", text: "Hello" }]) => ({
  type: "message",
  attachments: [
    {
      contentType: "application/vnd.microsoft.card.adaptive",
      content: { type: "AdaptiveCard", version, body },
    },
  ],
});

describe("legacy payloads", () => {
  it("accepts text, summary, MessageCards with sections or title, and Adaptive Card messages", () => {
    expect(checkLegacyPayload('{"text":"Hello World"}')).toMatchObject({ ok: true, text: "Hello World" });
    expect(checkLegacyPayload('{"summary":"Sum"}')).toMatchObject({ ok: true, text: "Sum" });
    const messageCard = { "@type": "MessageCard", sections: [{ activityTitle: "Larry created a task" }] };
    expect(checkLegacyPayload(JSON.stringify(messageCard))).toMatchObject({
      ok: true,
      text: "Larry created a task",
    });
    expect(checkLegacyPayload('{"title":"T"}')).toMatchObject({ ok: true, text: "T" });
    expect(checkLegacyPayload(JSON.stringify(card("1.4")))).toMatchObject({ ok: true, text: "Hello" });
  });

  it("refuses JSON without text or summary, and anything that is not a JSON object", () => {
    expect(checkLegacyPayload('{"text":"  "}')).toMatchObject({
      ok: false,
      reason: "Summary or Text is required.",
    });
    expect(checkLegacyPayload('{"foo":1}')).toMatchObject({
      ok: false,
      reason: "Summary or Text is required.",
    });
    for (const body of ["", "hello", "[1]", "42", "{"]) {
      expect(checkLegacyPayload(body)).toMatchObject({
        ok: false,
        reason: "Bad payload received by generic incoming webhook.",
      });
    }
  });
});

describe("workflows payloads", () => {
  it("accepts a message with Adaptive Cards up to version 1.4", () => {
    for (const version of ["1.0", "1.2", "1.4"]) {
      expect(checkWorkflowsPayload(JSON.stringify(card(version))).ok).toBe(true);
    }
  });

  it.each([
    ["not JSON", "hello", "could not be deserialized"],
    ["a bare text message", '{"text":"hi"}', "'type' must be 'message'"],
    ["no attachments", '{"type":"message","attachments":[]}', "non-empty array"],
    [
      "a non-adaptive attachment",
      '{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.hero","content":{}}]}',
      "contentType must be",
    ],
    ["version 1.5", JSON.stringify(card("1.5")), "'1.5' is not supported"],
    ["version 2.0", JSON.stringify(card("2.0")), "not supported"],
    [
      "no version",
      JSON.stringify({
        type: "message",
        attachments: [
          {
            contentType: "application/vnd.microsoft.card.adaptive",
            content: { type: "AdaptiveCard", body: [] },
          },
        ],
      }),
      "version must be",
    ],
    [
      "no body",
      JSON.stringify({
        type: "message",
        attachments: [
          {
            contentType: "application/vnd.microsoft.card.adaptive",
            content: { type: "AdaptiveCard", version: "1.4" },
          },
        ],
      }),
      "body must be an array",
    ],
  ])("refuses %s", (_name, body, reason) => {
    const check = checkWorkflowsPayload(body);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reason).toContain(reason);
  });

  it("extracts the text of nested TextBlocks and TextRuns in document order", () => {
    const body = [
      { type: "TextBlock", text: "Title" },
      { type: "Container", items: [{ type: "TextBlock", text: "In a container" }] },
      {
        type: "ColumnSet",
        columns: [{ type: "Column", items: [{ type: "TextBlock", text: "In a column" }] }],
      },
      { type: "RichTextBlock", inlines: [{ type: "TextRun", text: "Rich" }] },
      { type: "Image", url: "https://example.com/x.png" },
    ];
    expect(adaptiveCardTexts({ type: "AdaptiveCard", body })).toEqual([
      "Title",
      "In a container",
      "In a column",
      "Rich",
    ]);
    expect(checkWorkflowsPayload(JSON.stringify(card("1.4", body)))).toMatchObject({
      ok: true,
      text: "Title\nIn a container\nIn a column\nRich",
    });
  });
});
