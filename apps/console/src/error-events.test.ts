import type { ErrorLogItem } from "@herald/sdk";
import { expect, describe as group, it } from "vitest";
import { describe, shortenQuote, splitTimes, toEvents } from "./error-events.ts";

const entry = (over: Partial<ErrorLogItem>): ErrorLogItem => ({
  id: "1",
  at: "2026-12-01T10:00:00.000Z",
  webhookId: "wh_1",
  instanceId: "ins_1",
  messageId: "msg_1",
  httpStatus: 400,
  kind: "400 Unknown Error",
  classification: "bad_request",
  teamsText: null,
  action: "Message failed",
  ...over,
});

group("error log events", () => {
  it("explains a 429 that a legacy connector reported inside an HTTP 200", () => {
    const e = describe(
      entry({
        httpStatus: 200,
        kind: "429 Rate Limited",
        classification: "throttled",
        teamsText:
          "Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 429",
        action: "Paused until 2026-12-01T10:00:05Z; message will be retried",
      }),
    );
    expect(e.headline).toBe("Teams rate limited this channel.");
    expect(e.answer).toContain("HTTP 200, reporting HTTP 429 in its text");
    expect(e.answer).toContain("legacy connectors answer errors inside a 200");
  });

  it("names a bad payload for what it is, not an unknown error", () => {
    const e = describe(entry({ teamsText: "Bad payload received by generic incoming webhook." }));
    expect(e.label).toBe("400 Bad Payload");
    expect(e.headline).toContain("could not read the message");
  });

  it("makes one event of an error and the channel disabling it caused", () => {
    const events = toEvents([
      entry({
        id: "2",
        classification: "state",
        kind: "Channel disabled",
        httpStatus: 410,
        messageId: null,
        action:
          'Channel alerts disabled: The connector was removed in Teams (HTTP 410). Teams said: "x" 2 queued message(s) failed.',
      }),
      entry({
        id: "1",
        classification: "gone",
        kind: "410 Invalid Webhook",
        httpStatus: 410,
        action: "Message failed; channel disabled",
      }),
      entry({ id: "0", at: "2026-11-30T10:00:00.000Z" }),
    ]);
    expect(events.map((e) => e.item.id)).toEqual(["1", "0"]);
    expect(events[0]?.action).toBe("Message failed; channel disabled; 2 other queued messages failed.");
    expect(events[0]?.headline).toBe("The connector was removed in Teams.");
  });

  it("keeps a state change on its own when nothing caused it there", () => {
    const events = toEvents([
      entry({
        classification: "state",
        kind: "Channel inactivated",
        action: "Channel inactivated in the console; 0 queued message(s) failed",
      }),
    ]);
    expect(events).toHaveLength(1);
    expect(events[0]?.action).toBe("Channel inactivated in the console; no queued messages were affected");
  });

  it("cuts long quotes at a word with an ellipsis, and no stray punctuation", () => {
    const long = `${"word ".repeat(60)}end.`;
    const short = shortenQuote(long, 40);
    expect(short.length).toBeLessThanOrEqual(41);
    expect(short.endsWith("word…")).toBe(true);
    expect(shortenQuote("Connector configuration, not found..", 26)).toBe("Connector configuration…");
    expect(shortenQuote("Fine as it is.")).toBe("Fine as it is.");
  });

  it("finds ISO times in action text so they can be shown in local time", () => {
    expect(splitTimes("Paused until 2026-12-01T10:00:05Z; retried")).toEqual([
      { text: "Paused until " },
      { iso: "2026-12-01T10:00:05Z" },
      { text: "; retried" },
    ]);
  });
});
