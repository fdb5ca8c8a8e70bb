import { describe, expect, it } from "vitest";
import { useHarness } from "../support/harness.ts";

const { h, t } = useHarness();

describe("sendMessage end to end", () => {
  it("delivers a text message to a legacy connector and answers SentMessage true", async () => {
    const url = h.sim.legacyUrl();
    const webhookId = await t.addWebhook(url);
    const answer = await t.activity.sendMessage(webhookId, "Ticket #1234 was raised");
    expect(answer).toMatchObject({ httpStatus: 200, SentMessage: true, status: "delivered" });
    const received = h.sim.requests(url);
    expect(received).toHaveLength(1);
    expect(received[0]?.text).toBe("Ticket #1234 was raised");
    const status = await t.activity.getMessage(answer.messageId ?? "");
    expect(status).toMatchObject({ httpStatus: 200, status: "delivered", SentMessage: true });
  });

  it("reports a removed connector (410) as failed and disables the channel", async () => {
    const url = h.sim.legacyUrl();
    const webhookId = await t.addWebhook(url);
    h.sim.setBehavior(url, "gone");
    const answer = await t.activity.sendMessage(webhookId, "hello");
    expect(answer).toMatchObject({ httpStatus: 200, SentMessage: false, status: "failed" });
    expect(answer.Message).toMatch(/removed/i);
    const webhook = await t.console.getWebhook(webhookId);
    expect(webhook).toMatchObject({ active: false, state: "disabled" });
    const again = await t.activity.sendMessage(webhookId, "hello again");
    expect(again).toMatchObject({ httpStatus: 409, status: "rejected", error: { code: "webhook_inactive" } });
  });

  it("queues with wait=0 and reports progress later", async () => {
    const webhookId = await t.addWebhook(h.sim.legacyUrl());
    const answer = await t.activity.sendMessage(webhookId, "later", { wait: 0 });
    expect(answer).toMatchObject({ httpStatus: 202, SentMessage: false, status: "queued" });
    let status = await t.activity.getMessage(answer.messageId ?? "");
    for (let i = 0; i < 50 && status.status === "queued"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = await t.activity.getMessage(answer.messageId ?? "");
    }
    expect(status.status).toBe("delivered");
  });

  it("validates a license sent in headers with an empty JSON body", async () => {
    const res = await t.activity.raw("POST", "/v1/licenses/validate", undefined, {
      "content-type": "application/json",
      "x-license-key": t.licenseKey,
      "x-license-secret": t.licenseSecret,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ valid: true, tenant: { id: t.tenantId } });
  });

  it("rejects wrong, revoked and missing licenses with license_invalid", async () => {
    const webhookId = await t.addWebhook(h.sim.legacyUrl());
    const wrong = h.client({ licenseKey: t.licenseKey, licenseSecret: "hs_wrong" });
    expect(await wrong.sendMessage(webhookId, "x")).toMatchObject({
      httpStatus: 401,
      SentMessage: false,
      status: "rejected",
      error: { code: "license_invalid" },
    });
    expect(await h.client().sendMessage(webhookId, "x")).toMatchObject({
      httpStatus: 401,
      error: { code: "license_invalid" },
    });

    const other = await h.tenant({ plan: "unlimited" });
    await other.console.revokeBindingKey(other.instanceId, other.bindingKeyId);
    const revoked = await other.activity.sendMessage(webhookId, "x");
    expect(revoked).toMatchObject({ httpStatus: 401, error: { code: "license_invalid" } });
    expect(revoked.Message).toMatch(/revoked/);
  });

  it("answers 404 webhook_not_found for another tenant's webhook", async () => {
    const webhookId = await t.addWebhook(h.sim.legacyUrl());
    const other = await h.tenant({ plan: "unlimited" });
    const answer = await other.activity.sendMessage(webhookId, "x");
    expect(answer).toMatchObject({
      httpStatus: 404,
      status: "rejected",
      error: { code: "webhook_not_found" },
    });
    await expect(other.console.getWebhook(webhookId)).rejects.toMatchObject({ status: 404 });
  });

  it("answers 400 invalid_request for malformed JSON and missing fields", async () => {
    const res = await t.activity.raw("POST", "/v1/messages", undefined, {
      "x-license-key": t.licenseKey,
      "x-license-secret": t.licenseSecret,
      "content-type": "application/json",
    });
    expect(res.status).toBe(400);
    const malformed = await h.runtime.app.fetch(
      new Request("http://herald.test/v1/messages", {
        method: "POST",
        headers: {
          "x-license-key": t.licenseKey,
          "x-license-secret": t.licenseSecret,
          "content-type": "application/json",
        },
        body: "{not json",
      }),
    );
    expect(malformed.status).toBe(400);
    const body = (await malformed.json()) as {
      error: { code: string; requestId: string };
      SentMessage: boolean;
    };
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.requestId).toBe(malformed.headers.get("x-request-id"));
    expect(body.SentMessage).toBe(false);
    const missing = await t.activity.sendMessage("", "x");
    expect(missing).toMatchObject({ httpStatus: 400, error: { code: "invalid_request" } });
  });

  it("refuses the sources Herald keeps for its own messages with 400, so they cannot hide traffic", async () => {
    const url = h.sim.legacyUrl();
    const webhookId = await t.addWebhook(url);
    for (const source of ["herald:connection-test", "herald:anything", "Herald:Connection-Test"]) {
      const answer = await t.activity.sendMessage(webhookId, "hidden?", { source, wait: 0 });
      expect(answer).toMatchObject({
        httpStatus: 400,
        SentMessage: false,
        status: "rejected",
        messageId: null,
        error: { code: "invalid_request", details: { fields: [{ field: "source" }] } },
      });
      expect(answer.Message).toContain('"herald:" are reserved');
    }
    const ordinary = await t.activity.sendMessage(webhookId, "seen", { source: "Order microflow" });
    expect(ordinary).toMatchObject({ httpStatus: 200, status: "delivered" });
    expect(h.sim.requests(url).map((r) => r.text)).toEqual(["seen"]);
  });

  it("replays an idempotency key without a second delivery and refuses it for other content", async () => {
    const url = h.sim.legacyUrl();
    const webhookId = await t.addWebhook(url);
    const first = await t.activity.sendMessage(webhookId, "once", { idempotencyKey: "order-42" });
    const second = await t.activity.sendMessage(webhookId, "once", { idempotencyKey: "order-42" });
    expect(second.messageId).toBe(first.messageId);
    expect(second.status).toBe("delivered");
    expect(h.sim.requests(url)).toHaveLength(1);
    const conflict = await t.activity.sendMessage(webhookId, "different", { idempotencyKey: "order-42" });
    expect(conflict).toMatchObject({ httpStatus: 409, error: { code: "idempotency_conflict" } });
  });
});
