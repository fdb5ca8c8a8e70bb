// How Herald acts on each kind of Teams answer (seed 000): through real HTTP to the emulator.
import { describe, expect, it } from "vitest";
import { adaptiveCardProblems } from "../support/adaptive-cards.ts";
import { useHarness } from "../support/harness.ts";
import { eventually } from "../support/wait.ts";

const { h, t } = useHarness();

describe("Teams answers", () => {
  it("disables a channel on the first 404 and logs it with the action taken", async () => {
    const url = h.sim.legacyUrl();
    const webhookId = await t.addWebhook(url);
    h.sim.setBehavior(url, "channel_not_found");
    const answer = await t.activity.sendMessage(webhookId, "x");
    expect(answer).toMatchObject({ status: "failed", SentMessage: false });
    expect(answer.Message).toMatch(/channel/i);
    expect(await t.console.getWebhook(webhookId)).toMatchObject({ active: false, state: "disabled" });
    const log = await t.console.webhookErrors(webhookId);
    // One event, one entry: the refusal that disabled the channel.
    expect(log.items.map((e) => e.kind)).toEqual(["404 Channel Not Found"]);
    expect(log.items[0]).toMatchObject({
      httpStatus: 404,
      classification: "gone",
      action: "Message failed; channel disabled",
    });
    expect(JSON.stringify(log)).not.toContain(new URL(url).pathname);
  });

  it("disables on the sixth unknown 400 in a row, not before; a success resets the count", async () => {
    const url = h.sim.legacyUrl();
    const webhookId = await t.addWebhook(url);
    h.sim.setBehavior(url, "bad_payload", { times: 3 });
    for (let i = 0; i < 3; i++)
      expect((await t.activity.sendMessage(webhookId, `bad ${i}`)).status).toBe("failed");
    expect((await t.activity.sendMessage(webhookId, "good")).status).toBe("delivered");
    h.sim.setBehavior(url, "bad_payload");
    for (let i = 0; i < 5; i++) {
      expect((await t.activity.sendMessage(webhookId, `bad again ${i}`)).status).toBe("failed");
      expect((await t.console.getWebhook(webhookId)).active).toBe(true);
    }
    expect((await t.activity.sendMessage(webhookId, "sixth")).status).toBe("failed");
    const webhook = await t.console.getWebhook(webhookId);
    expect(webhook).toMatchObject({ active: false, state: "disabled" });
    const kinds = (await t.console.webhookErrors(webhookId, { limit: 100 })).items.map((e) => e.kind);
    expect(kinds.filter((k) => k.startsWith("400")).length).toBe(9);
    const last = (await t.console.webhookErrors(webhookId, { limit: 1 })).items[0];
    expect(last).toMatchObject({
      kind: "400 Bad Payload",
      action: "Message failed; channel disabled after 6 refusals in a row",
    });
  });

  it("pauses a throttled channel and delivers the message later; re-activation is logged", async () => {
    const url = h.sim.legacyUrl();
    const webhookId = await t.addWebhook(url);
    h.sim.setBehavior(url, "throttle_status", { times: 1 }); // 429 with Retry-After: 2
    const answer = await t.activity.sendMessage(webhookId, "throttled once", { wait: 1 });
    expect(answer).toMatchObject({ httpStatus: 202, status: "queued", SentMessage: false });
    expect(answer.Message).toMatch(/Next attempt due at/);
    const paused = await t.console.getWebhook(webhookId);
    expect(paused.state).toBe("paused");
    const delivered = await eventually(
      async () => {
        const m = await t.activity.getMessage(answer.messageId ?? "");
        return m.status === "delivered" ? m : undefined;
      },
      10_000,
      "delivery after the pause",
    );
    expect(delivered.SentMessage).toBe(true);
    const texts = h.sim.requests(url).map((r) => r.text);
    expect(texts).toEqual(["throttled once", "throttled once"]);
    const log = await t.console.webhookErrors(webhookId);
    expect(log.items[0]).toMatchObject({ classification: "throttled", httpStatus: 429 });
    expect(log.items[0]?.action).toMatch(/Paused until/);
  });

  it("treats a 200 carrying 'HTTP error 429' as throttling, not success", async () => {
    const url = h.sim.legacyUrl();
    const webhookId = await t.addWebhook(url);
    h.sim.setBehavior(url, "throttle_body", { times: 1 });
    const answer = await t.activity.sendMessage(webhookId, "body says 429", { wait: 1 });
    expect(answer.status).toBe("queued");
    const log = await t.console.webhookErrors(webhookId);
    expect(log.items[0]?.classification).toBe("throttled");
  });

  it("retries 5xx with backoff, then delivers", async () => {
    const url = h.sim.legacyUrl();
    const webhookId = await t.addWebhook(url);
    h.sim.setBehavior(url, "server_error", { times: 2 });
    const answer = await t.activity.sendMessage(webhookId, "eventually", { wait: 0 });
    const done = await eventually(
      async () => {
        const m = await t.activity.getMessage(answer.messageId ?? "");
        return m.status === "queued" ? undefined : m;
      },
      20_000,
      "retried delivery",
    );
    expect(done.status).toBe("delivered");
    expect(h.sim.requests(url)).toHaveLength(3);
    const kinds = (await t.console.webhookErrors(webhookId)).items.map((e) => e.classification);
    expect(kinds).toEqual(["transient", "transient"]);
  });

  it("fails a redirect without following it, and a too-large answer without retrying", async () => {
    const url = h.sim.legacyUrl();
    const webhookId = await t.addWebhook(url);
    h.sim.setBehavior(url, "redirect", { times: 1 });
    expect((await t.activity.sendMessage(webhookId, "redirected")).status).toBe("failed");
    h.sim.setBehavior(url, "too_large", { times: 1 });
    expect((await t.activity.sendMessage(webhookId, "too big for Teams")).status).toBe("failed");
    expect(h.sim.requests(url)).toHaveLength(2);
  });

  it("refuses a payload over 28 KB before queuing it, with 413 payload_too_large", async () => {
    const webhookId = await t.addWebhook(h.sim.legacyUrl());
    const answer = await t.activity.sendMessage(webhookId, "x".repeat(30_000));
    expect(answer).toMatchObject({
      httpStatus: 413,
      status: "rejected",
      error: { code: "payload_too_large" },
    });
  });

  it("fails queued messages when their channel is inactivated", async () => {
    const url = h.sim.legacyUrl();
    const webhookId = await t.addWebhook(url);
    h.sim.setBehavior(url, "throttle_status");
    const queued = await t.activity.sendMessage(webhookId, "stuck", { wait: 1 });
    expect(queued.status).toBe("queued");
    await t.console.updateWebhook(webhookId, { active: false });
    const after = await t.activity.getMessage(queued.messageId ?? "");
    expect(after).toMatchObject({ status: "failed", SentMessage: false });
    h.sim.setBehavior(url, "ok");
    const reactivated = await t.console.updateWebhook(webhookId, { active: true });
    expect(reactivated.state).toBe("active");
    const kinds = (await t.console.webhookErrors(webhookId)).items.map((e) => e.kind);
    expect(kinds.slice(0, 2)).toEqual(["Channel reactivated", "Channel inactivated"]);
  });
});

describe("Workflows URLs", () => {
  it("converts text and a MessageCard to Adaptive Cards that Microsoft's parser accepts at 1.4", async () => {
    const url = h.sim.workflowsUrl();
    const webhookId = await t.addWebhook(url, "Workflows channel");
    expect((await t.console.getWebhook(webhookId)).kind).toBe("workflows");
    const text = await t.activity.sendMessage(webhookId, "**Build** failed on main");
    expect(text.status).toBe("delivered");
    const card = await t.activity.sendMessage(webhookId, undefined, {
      card: {
        "@type": "MessageCard",
        "@context": "http://schema.org/extensions",
        summary: "Larry Bryant created a new task",
        sections: [
          {
            activityTitle: "Larry Bryant created a new task",
            activitySubtitle: "On Project Tango",
            facts: [
              { name: "Assigned to", value: "Unassigned" },
              { name: "Status", value: "Not started" },
            ],
          },
        ],
        potentialAction: [
          { "@type": "OpenUri", name: "View", targets: [{ os: "default", uri: "https://example.com/t/1" }] },
        ],
      },
    });
    expect(card.status).toBe("delivered");
    const received = h.sim.requests(url);
    expect(received).toHaveLength(2);
    for (const r of received) {
      const json = r.json as { type: string; attachments: { contentType: string; content: unknown }[] };
      expect(json.type).toBe("message");
      const content = json.attachments[0]?.content;
      expect(adaptiveCardProblems(content)).toEqual([]);
    }
    const facts = JSON.stringify(received[1]?.json);
    expect(facts).toContain("Assigned to");
    expect(facts).toContain("Not started");
    expect(facts).toContain("Action.OpenUrl");
  });

  it("refuses an Adaptive Card above version 1.4 with invalid_request", async () => {
    const webhookId = await t.addWebhook(h.sim.workflowsUrl());
    const answer = await t.activity.sendMessage(webhookId, undefined, {
      card: { type: "AdaptiveCard", version: "1.5", body: [{ type: "TextBlock", text: "hi" }] },
    });
    expect(answer).toMatchObject({ httpStatus: 400, error: { code: "invalid_request" } });
  });
});
