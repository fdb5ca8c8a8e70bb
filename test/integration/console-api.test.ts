// What the console's usage and error-log pages read from the api: this month's messages per
// webhook (busiest first), one message of an instance, and the error log entries of one message.
import { describe, expect, it } from "vitest";
import { useHarness } from "../support/harness.ts";

const { h, t } = useHarness();

describe("GET /v1/usage?breakdown=webhooks", () => {
  it("counts this month's messages per webhook, busiest first, without connection tests", async () => {
    const busy = await t.addWebhook(h.sim.legacyUrl(), "Busy");
    const quietUrl = h.sim.legacyUrl();
    const quiet = await t.addWebhook(quietUrl, "Quiet");
    for (const text of ["one", "two"])
      expect((await t.activity.sendMessage(busy, text)).status).toBe("delivered");
    await t.console.testWebhook(busy);
    h.sim.setBehavior(quietUrl, "gone");
    expect((await t.activity.sendMessage(quiet, "three")).status).toBe("failed");

    const usage = await t.console.usage({ breakdown: "webhooks" });
    expect(usage.webhooks).toEqual([
      {
        webhookId: busy,
        name: "Busy",
        deleted: false,
        messagesSent: 2,
        messagesFailed: 0,
        messagesQueued: 0,
      },
      {
        webhookId: quiet,
        name: "Quiet",
        deleted: false,
        messagesSent: 0,
        messagesFailed: 1,
        messagesQueued: 0,
      },
    ]);
    expect((await t.console.usage()).webhooks).toBeUndefined();
  });
});

describe("a message and its error log entries", () => {
  it("are read by instance, and another instance's message is not found", async () => {
    const url = h.sim.legacyUrl();
    const webhookId = await t.addWebhook(url);
    h.sim.setBehavior(url, "gone");
    const answer = await t.activity.sendMessage(webhookId, "to a removed connector", { source: "Nightly" });
    const messageId = answer.messageId ?? "";
    const message = await t.console.instanceMessage(t.instanceId, messageId);
    expect(message).toMatchObject({ messageId, webhookId, status: "failed", attempts: 1, source: "Nightly" });
    expect(message.lastHttpStatus).toBe(410);

    const events = await t.console.instanceErrors(t.instanceId, { messageId });
    // One event, one entry: the 410, which disabled the channel.
    expect(events.items.map((e) => [e.kind, e.action])).toEqual([
      ["410 Invalid Webhook", "Message failed; channel disabled"],
    ]);

    const other = await h.tenant({ plan: "unlimited" });
    const refused = await other.console
      .instanceMessage(other.instanceId, messageId)
      .catch((e: { status: number }) => e);
    expect(refused).toMatchObject({ status: 404 });
  });
});
