// SSRF: webhook URLs are checked at registration, again before every post, and the address the
// socket actually connects to is checked at connect time (which also defeats DNS rebinding).
import { hostname } from "node:os";
import { createPoster, guardedLookup } from "@herald/delivery";
import { describe, expect, it } from "vitest";
import { useHarness } from "../support/harness.ts";

const { h, t } = useHarness();

const TARGETS = [
  "http://example.webhook.office.com/webhookb2/a/IncomingWebhook/b/c", // plain http to a Microsoft host
  "https://evil.example.com/webhookb2/a/IncomingWebhook/b/c", // host not allowed
  "https://127.0.0.2/webhookb2/a", // loopback, not listed exactly
  "http://localhost:4010/webhookb2/a", // loopback name, not listed
  "https://169.254.169.254/latest/meta-data/webhook/", // cloud metadata
  "https://10.0.0.1/webhookb2/a", // private
  "https://192.168.1.1/webhookb2/a",
  "https://[::1]/webhookb2/a",
  "https://[::ffff:127.0.0.1]/webhookb2/a", // IPv4-mapped loopback
  "https://0x7f.0.0.2/webhookb2/a", // hex loopback (127.0.0.1 itself is listed in the harness)
  "https://2130706434/webhookb2/a", // decimal loopback
  "https://user:pass@contoso.webhook.office.com/webhookb2/a", // userinfo
  "file:///etc/passwd",
  "gopher://127.0.0.1:6379/_webhook",
  "https://contoso.webhook.office.com.evil.com/webhookb2/a", // suffix trick
  "https://contoso.webhook.office.com/not-a-webhook", // Microsoft host, not a webhook path
  `http://${hostname()}:4010/webhookb2/a`, // a name that resolves to loopback
];

describe("SSRF", () => {
  it(`refuses ${TARGETS.length} internal or foreign targets at registration with webhook_url_not_allowed`, async () => {
    let letIn = 0;
    for (const url of TARGETS) {
      const res = await t.console.raw("POST", `/v1/instances/${t.instanceId}/webhooks`, { name: "x", url });
      const body = (await res.json()) as { error?: { code: string; message: string } };
      if (res.status !== 400 || body.error?.code !== "webhook_url_not_allowed") letIn++;
      expect(res.status, url).toBe(400);
      expect(body.error?.message.length).toBeGreaterThan(20);
    }
    expect(letIn).toBe(0);
  });

  it("refuses at connect time a host that resolves to an internal address unless listed exactly", async () => {
    const name = hostname(); // resolves to 127.0.0.1 on this machine, but is not a loopback name
    const resolve = (allowed: string[]) =>
      new Promise<{ error: NodeJS.ErrnoException | null }>((done) =>
        guardedLookup(allowed)(name, { all: true }, (error) => done({ error })),
      );
    const refused = await resolve([`*.example.com`]);
    expect(refused.error?.code).toBe("HERALD_SSRF_REFUSED");
    const allowed = await resolve([name]);
    expect(allowed.error).toBeNull();
  });

  it("re-checks the URL before each post: nothing is sent once its host is no longer allowed", async () => {
    const url = h.sim.legacyUrl();
    const poster = createPoster({ timeoutMs: 2000, allowedHosts: ["*.webhook.office.com"] });
    const answer = await poster.post(url, JSON.stringify({ text: "x" }));
    await poster.close();
    expect(answer.type).toBe("refused");
    expect(h.sim.requests(url)).toHaveLength(0);
  });

  it("never follows a redirect to an internal target", async () => {
    const url = h.sim.legacyUrl();
    const webhookId = await t.addWebhook(url);
    h.sim.setBehavior(url, { status: 307, headers: { location: "http://169.254.169.254/latest/meta-data" } });
    const answer = await t.activity.sendMessage(webhookId, "redirect me");
    expect(answer.status).toBe("failed");
    expect(h.sim.requests(url)).toHaveLength(1);
  });
});
