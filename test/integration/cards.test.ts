// Cards through sendMessage to the Teams emulator: Microsoft's MessageCard sample converted for a
// Workflows webhook (one title, its image, a warning per action left out), strict conversion
// refused with a clear 400, and connector HTML in text turned into Adaptive Card markdown.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { useHarness } from "../support/harness.ts";

const { h, t } = useHarness();

/** Microsoft's example connector message, as the Teams documentation gives it (seed 004). */
const SEED = JSON.parse(
  readFileSync(new URL("../fixtures/message-card-sample.json", import.meta.url), "utf8"),
) as Record<string, unknown>;

/** The one Adaptive Card the emulator received last on `url`. */
function receivedCard(url: string): Record<string, unknown> {
  const body = h.sim.requests(url).at(-1)?.json as { attachments?: Array<{ content?: unknown }> } | undefined;
  return (body?.attachments?.[0]?.content ?? {}) as Record<string, unknown>;
}

/** Sends Microsoft's sample, converted strictly, to a new webhook on `url`. */
async function sendSampleStrictly(url: string) {
  const webhookId = await t.addWebhook(url);
  return t.activity.sendMessage(webhookId, undefined, { card: SEED, strictConversion: true });
}

describe("Microsoft's MessageCard sample to a Workflows webhook", () => {
  it("arrives with one title and its image, and the answer names each action left out", async () => {
    const url = h.sim.workflowsUrl();
    const webhookId = await t.addWebhook(url);
    const answer = await t.activity.sendMessage(webhookId, undefined, { card: SEED });
    expect(answer).toMatchObject({ status: "delivered", SentMessage: true });
    expect(answer.warnings?.filter((w) => w.code === "action_dropped").map((w) => w.message)).toEqual([
      expect.stringContaining('"Add a comment"'),
      expect.stringContaining('"Set due date"'),
      expect.stringContaining('"Change status"'),
    ]);
    const card = JSON.stringify(receivedCard(url));
    expect(card.match(/Larry Bryant created a new task/g)).toHaveLength(1);
    expect(card).toContain("https://teamsnodesample.azurewebsites.net/static/img/image5.png");
    expect(card).not.toContain("ngrok");
  });

  it("refuses it with 400 card_not_convertible when strict conversion is asked for, sending nothing", async () => {
    const url = h.sim.workflowsUrl();
    const answer = await sendSampleStrictly(url);
    expect(answer).toMatchObject({
      httpStatus: 400,
      status: "rejected",
      SentMessage: false,
      error: { code: "card_not_convertible" },
    });
    expect(answer.error?.message).toContain('The action "Add a comment"');
    expect(h.sim.requests(url)).toHaveLength(0);
  });

  it("goes to a legacy connector as it is, without warnings", async () => {
    const url = h.sim.legacyUrl();
    const answer = await sendSampleStrictly(url);
    expect(answer).toMatchObject({ status: "delivered" });
    expect(answer.warnings).toBeUndefined();
  });
});

describe("HTML in textMessage", () => {
  it("becomes Adaptive Card markdown for Workflows, and stays HTML for legacy connectors", async () => {
    const text =
      'Release <b>v2.3</b> is out:<br><ul><li><i>faster</i> sends</li><li><a href="https://example.com/notes">notes</a></li></ul>';
    const workflows = h.sim.workflowsUrl();
    const answer = await t.activity.sendMessage(await t.addWebhook(workflows), text);
    expect(answer).toMatchObject({ status: "delivered" });
    const body = receivedCard(workflows).body as Array<{ text?: string }>;
    expect(body[0]?.text).toBe(
      "Release **v2.3** is out:\n\n- _faster_ sends\n- [notes](https://example.com/notes)",
    );

    const legacy = h.sim.legacyUrl();
    await t.activity.sendMessage(await t.addWebhook(legacy), text);
    expect(h.sim.requests(legacy).at(-1)?.text).toBe(text);
  });
});
