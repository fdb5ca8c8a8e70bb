// Teams misbehaving: hanging past the send timeout, resetting connections, answering garbage.
// Messages are retried or reported failed, never lost (other channels keep flowing: slow-channel.test.ts).
import { describe, expect, it } from "vitest";
import { useHarness } from "../support/harness.ts";
import { eventually } from "../support/wait.ts";

const { h, t } = useHarness({ env: { HERALD_SEND_TIMEOUT_MS: "500" } });

async function finalStatus(messageId: string) {
  return eventually(
    async () => {
      const m = await t.activity.getMessage(messageId);
      return m.status === "queued" ? undefined : m;
    },
    30_000,
    `message ${messageId} to finish`,
  );
}

describe("Teams misbehaving", () => {
  it("retries a hanging endpoint after the timeout and delivers once it answers", async () => {
    const url = h.sim.legacyUrl();
    const webhookId = await t.addWebhook(url);
    h.sim.setBehavior(url, "hang", { times: 1 });
    const answer = await t.activity.sendMessage(webhookId, "after a hang", { wait: 0 });
    expect((await finalStatus(answer.messageId ?? "")).status).toBe("delivered");
    const kinds = (await t.console.webhookErrors(webhookId)).items.map((e) => e.kind);
    expect(kinds).toContain("Timeout");
  });

  it("retries a reset connection and delivers", async () => {
    const url = h.sim.legacyUrl();
    const webhookId = await t.addWebhook(url);
    h.sim.setBehavior(url, "reset", { times: 2 });
    const answer = await t.activity.sendMessage(webhookId, "after resets", { wait: 0 });
    expect((await finalStatus(answer.messageId ?? "")).status).toBe("delivered");
    const kinds = (await t.console.webhookErrors(webhookId)).items.map((e) => e.kind);
    expect(kinds.filter((k) => k === "Network Error")).toHaveLength(2);
  });

  it("reports garbage answers as failures with Teams' text, without disabling on the first", async () => {
    const url = h.sim.legacyUrl();
    const webhookId = await t.addWebhook(url);
    h.sim.setBehavior(url, "garbage", { times: 1 });
    const answer = await t.activity.sendMessage(webhookId, "garbage back");
    expect(answer).toMatchObject({ status: "failed", SentMessage: false });
    expect((await t.console.getWebhook(webhookId)).active).toBe(true);
    expect((await t.activity.sendMessage(webhookId, "fine again")).status).toBe("delivered");
  });
});
