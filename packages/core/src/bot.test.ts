import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deliveryContext } from "../test/delivery-context.ts";
import {
  BOT_TENANT_POLICY,
  BOT_THREAD_POLICY,
  type BotAnswer,
  botConnectorRequest,
  buildBotActivity,
  classifyBotAnswer,
  decideBotDelivery,
  formatLinkCode,
  normaliseLinkCode,
  parseLinkCommand,
  serviceUrlProblem,
} from "./bot.ts";
import { admits, findViolations, nextSendAt } from "./rate.ts";

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const response = (status: number, body: unknown = "", retryAfter?: string): BotAnswer => ({
  type: "response",
  status,
  body: typeof body === "string" ? body : JSON.stringify(body),
  retryAfter: retryAfter ?? null,
});
const teamsError = (status: number, code: string, message = "details") =>
  response(status, { error: { code, message } });
const ctx = (operation: "post" | "reply" | "update" | "delete" = "post") => ({
  ...deliveryContext(NOW),
  operation,
});

describe("bot rate windows", () => {
  it("are Microsoft's per-thread and per-tenant limits", () => {
    expect(BOT_THREAD_POLICY.map((w) => [w.limit, w.periodMs])).toEqual([
      [7, 1_000],
      [8, 2_000],
      [60, 30_000],
      [1800, 3_600_000],
    ]);
    expect(BOT_TENANT_POLICY).toEqual([{ limit: 50, periodMs: 1_000 }]);
  });

  it("sending at nextSendAt never breaks a thread window (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 120 }), (gaps) => {
        const sends: number[] = [];
        let now = NOW;
        for (const gap of gaps) {
          now += gap;
          const at = nextSendAt(BOT_THREAD_POLICY, sends, now);
          expect(admits(BOT_THREAD_POLICY, sends, at)).toBe(true);
          sends.push(at);
          now = at;
        }
        expect(findViolations(BOT_THREAD_POLICY, sends)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it("admits the 7th send in a second and refuses the 8th; the 2 s window holds the 9th", () => {
    const seven = Array.from({ length: 7 }, (_, i) => NOW + i * 10);
    expect(admits(BOT_THREAD_POLICY, seven.slice(0, 6), NOW + 60)).toBe(true);
    expect(admits(BOT_THREAD_POLICY, seven, NOW + 70)).toBe(false);
    expect(nextSendAt(BOT_THREAD_POLICY, seven, NOW + 70)).toBe(NOW + 1_000);
    const eight = [...seven, NOW + 1_000];
    expect(nextSendAt(BOT_THREAD_POLICY, eight, NOW + 1_001)).toBe(NOW + 2_000);
  });
});

describe("classifyBotAnswer", () => {
  it("reads the ids of a new thread and of a reply", () => {
    expect(
      classifyBotAnswer(response(201, { id: "19:a@thread.tacv2;messageid=17", activityId: "17" }), NOW),
    ).toEqual({
      kind: "delivered",
      status: 201,
      activityId: "17",
      conversationId: "19:a@thread.tacv2;messageid=17",
    });
    expect(classifyBotAnswer(response(200, { id: "18" }), NOW)).toMatchObject({
      kind: "delivered",
      activityId: "18",
      conversationId: null,
    });
    // A reply may come back without an id; it was still posted.
    expect(classifyBotAnswer(response(200, ""), NOW)).toMatchObject({ kind: "delivered", activityId: null });
  });

  it.each([
    [403, "BotNotInConversationRoster", "disable_team"],
    [403, "BotDisabledByAdmin", "disable_team"],
    [403, "InvalidBotApiHost", "disable_team"],
    [404, "ConversationNotFound", "disable_channel"],
    [403, "ConversationBlockedByUser", "disable_channel"],
    [404, "ActivityNotFoundInConversation", "fail_message"],
    [403, "MessageWritesBlocked", "fail_message"],
    [413, "MessageSizeTooBig", "fail_message"],
  ] as const)("takes %i %s for a terminal error whose effect is %s", (status, code, effect) => {
    expect(classifyBotAnswer(teamsError(status, code), NOW)).toMatchObject({
      kind: "terminal",
      effect,
      code,
    });
  });

  it("does not take an unknown 403 for a roster error", () => {
    expect(classifyBotAnswer(teamsError(403, "SomethingNew"), NOW)).toMatchObject({ kind: "bad_request" });
  });

  it("honours Retry-After on 429 and retries 412, 502, 503, 504", () => {
    expect(classifyBotAnswer(teamsError(429, "Throttled"), NOW)).toMatchObject({
      kind: "throttled",
      retryAfterMs: null,
    });
    expect(classifyBotAnswer(response(429, "", "3"), NOW)).toMatchObject({
      kind: "throttled",
      retryAfterMs: 3000,
    });
    for (const status of [412, 502, 503, 504]) {
      expect(classifyBotAnswer(teamsError(status, "ServiceError"), NOW)).toMatchObject({
        kind: "transient",
        status,
      });
    }
    expect(classifyBotAnswer({ type: "timeout", error: "no answer" }, NOW)).toMatchObject({
      kind: "transient",
      cause: "timeout",
    });
  });
});

describe("decideBotDelivery", () => {
  it("reports the Teams message id of a post", () => {
    const d = decideBotDelivery(classifyBotAnswer(response(201, { id: "c", activityId: "42" }), NOW), ctx());
    expect(d.message).toEqual({ action: "delivered" });
    expect(d.userMessage).toBe("Posted to Teams (Teams message id 42).");
    expect(d.disableTeam).toBeNull();
  });

  it("disables every bot channel of the team on a roster error", () => {
    const d = decideBotDelivery(classifyBotAnswer(teamsError(403, "BotNotInConversationRoster"), NOW), ctx());
    expect(d.message.action).toBe("fail");
    expect(d.channel.action).toBe("disable");
    expect(d.disableTeam).toContain("no longer a member of this team");
    expect(d.errorLog?.kind).toBe("403 BotNotInConversationRoster");
  });

  it("fails an update of a deleted message without touching the channel", () => {
    const d = decideBotDelivery(
      classifyBotAnswer(teamsError(404, "ActivityNotFoundInConversation"), NOW),
      ctx("update"),
    );
    expect(d.message.action).toBe("fail");
    expect(d.channel).toEqual({ action: "none" });
    expect(d.disableTeam).toBeNull();
  });

  it("pauses the channel on 429 for at least Retry-After", () => {
    const d = decideBotDelivery(classifyBotAnswer(response(429, "", "5"), NOW), ctx());
    expect(d.message).toEqual({ action: "wait", atMs: NOW + 5000 });
    expect(d.channel).toEqual({ action: "pause", untilMs: NOW + 5000 });
  });
});

describe("buildBotActivity", () => {
  it("never puts text and an attachment in one activity", () => {
    const text = buildBotActivity({ text: "Disk full" });
    expect(text.ok && text.payload).toEqual({ type: "message", text: "Disk full", textFormat: "markdown" });
    const card = buildBotActivity({
      text: "Disk full",
      card: { type: "AdaptiveCard", version: "1.4", body: [{ type: "TextBlock", text: "on db-1" }] },
    });
    if (!card.ok) throw new Error(card.message);
    expect(card.payload.text).toBeUndefined();
    expect(card.payload.attachments).toHaveLength(1);
    // The text went into the card instead.
    expect(card.body).toContain("Disk full");
  });

  it("refuses nothing to send and an oversized text", () => {
    expect(buildBotActivity({ text: "  " })).toMatchObject({ ok: false, code: "invalid_card" });
    expect(buildBotActivity({ text: "x".repeat(30_000) })).toMatchObject({
      ok: false,
      code: "payload_too_large",
    });
  });
});

describe("botConnectorRequest", () => {
  const target = { serviceUrl: "https://smba.trafficmanager.net/emea/", channelId: "19:abc@thread.tacv2" };
  const activity = JSON.stringify({ type: "message", text: "hi" });

  it("creates a thread with the channel in channelData", () => {
    const r = botConnectorRequest(target, { operation: "post", activity });
    expect(r.method).toBe("POST");
    expect(r.url).toBe("https://smba.trafficmanager.net/emea/v3/conversations");
    expect(JSON.parse(r.body ?? "")).toEqual({
      isGroup: true,
      channelData: { channel: { id: "19:abc@thread.tacv2" } },
      activity: { type: "message", text: "hi" },
    });
  });

  it("replies, updates and deletes in the thread's conversation", () => {
    const thread = encodeURIComponent("19:abc@thread.tacv2;messageid=100");
    expect(botConnectorRequest(target, { operation: "reply", activity, rootActivityId: "100" }).url).toBe(
      `https://smba.trafficmanager.net/emea/v3/conversations/${thread}/activities`,
    );
    const update = botConnectorRequest(target, {
      operation: "update",
      activity,
      rootActivityId: "100",
      activityId: "101",
    });
    expect(update.method).toBe("PUT");
    expect(update.url).toMatch(/\/activities\/101$/);
    expect(JSON.parse(update.body ?? "")).toMatchObject({ id: "101", text: "hi" });
    const del = botConnectorRequest(target, {
      operation: "delete",
      rootActivityId: "100",
      activityId: "101",
    });
    expect(del).toMatchObject({ method: "DELETE", body: null });
  });
});

describe("link codes", () => {
  it("reads the code from the command with or without the mention markup", () => {
    expect(parseLinkCommand("<at>Herald</at> link K7QX-M2PD")).toBe("K7QXM2PD");
    expect(parseLinkCommand("@Herald link k7qx-m2pd")).toBe("K7QXM2PD");
    expect(parseLinkCommand("link K7QXM2PD ")).toBe("K7QXM2PD");
    expect(parseLinkCommand("<at>Herald</at> hello")).toBeNull();
    expect(parseLinkCommand("please link my team K7QX")).toBeNull();
  });

  it("formats 8 unambiguous characters in two groups", () => {
    const code = formatLinkCode(new Uint8Array([0, 1, 2, 3, 31, 32, 200, 255]));
    expect(code).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    expect(normaliseLinkCode(code)).toHaveLength(8);
  });
});

describe("serviceUrlProblem", () => {
  it("admits Microsoft's Bot Connector hosts over https and loopback only when named", () => {
    const hosts = ["smba.trafficmanager.net", "127.0.0.1"];
    expect(serviceUrlProblem("https://smba.trafficmanager.net/emea/", hosts)).toBeNull();
    expect(serviceUrlProblem("http://smba.trafficmanager.net/emea/", hosts)).toMatch(/https/);
    expect(serviceUrlProblem("https://evil.example/", hosts)).toMatch(/not on HERALD_BOT_SERVICE_URLS/);
    expect(serviceUrlProblem("http://127.0.0.1:4010/amer/", hosts)).toBeNull();
    expect(serviceUrlProblem("http://127.0.0.1:4010/amer/", ["*.trafficmanager.net"])).not.toBeNull();
    expect(serviceUrlProblem("not a url", hosts)).not.toBeNull();
  });
});
