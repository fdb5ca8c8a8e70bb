import { describe, expect, it } from "vitest";
import { checkWebhookUrl, DEFAULT_WEBHOOK_HOSTS, MAX_WEBHOOK_URL_LENGTH, maskWebhookUrl } from "./url.ts";

const LEGACY =
  "https://contoso.webhook.office.com/webhookb2/3f2a7c1e-0000-4000-8000-000000000001@72f988bf-86f1-41af-91ab-2d7cd011db47/IncomingWebhook/5c1d8e2fa1b2/9d1c7a3e-0000-4000-8000-00000000a1b2";
const OUTLOOK =
  "https://outlook.office.com/webhook/3f2a7c1e-0000-4000-8000-000000000001@72f988bf/IncomingWebhook/abc/def";
const LOGIC =
  "https://prod-27.westus.logic.azure.com:443/workflows/0123456789abcdef/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=S3cr3tSignatureValue";
const POWER_PLATFORM =
  "https://default72f988bf86f141af91ab2d7cd011db.47.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/0123abcd/triggers/manual/paths/invoke?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=S3cr3t";

function reason(raw: string, hosts: readonly string[] = DEFAULT_WEBHOOK_HOSTS): string {
  const result = checkWebhookUrl(raw, hosts);
  if (result.ok) throw new Error(`expected ${raw} to be refused`);
  return result.reason;
}

describe("checkWebhookUrl: Microsoft's hosts", () => {
  it("accepts a legacy incoming webhook URL", () => {
    expect(checkWebhookUrl(LEGACY, DEFAULT_WEBHOOK_HOSTS)).toEqual({
      ok: true,
      url: LEGACY,
      kind: "legacy",
      host: "contoso.webhook.office.com",
    });
  });

  it("accepts the older outlook.office.com form and outlook.office365.com", () => {
    expect(checkWebhookUrl(OUTLOOK, DEFAULT_WEBHOOK_HOSTS)).toMatchObject({ ok: true, kind: "legacy" });
    const o365 = OUTLOOK.replace("outlook.office.com", "outlook.office365.com");
    expect(checkWebhookUrl(o365, DEFAULT_WEBHOOK_HOSTS)).toMatchObject({ ok: true, kind: "legacy" });
  });

  it("accepts Workflows URLs and drops the default port", () => {
    const logic = checkWebhookUrl(LOGIC, DEFAULT_WEBHOOK_HOSTS);
    expect(logic).toMatchObject({ ok: true, kind: "workflows", host: "prod-27.westus.logic.azure.com" });
    if (logic.ok) expect(logic.url).toBe(LOGIC.replace(":443", ""));
    expect(checkWebhookUrl(POWER_PLATFORM, DEFAULT_WEBHOOK_HOSTS)).toMatchObject({
      ok: true,
      kind: "workflows",
    });
  });

  it("normalises case in the host and drops the fragment", () => {
    const result = checkWebhookUrl(
      `  ${LEGACY.replace("contoso.webhook", "CONTOSO.Webhook")}#again `,
      DEFAULT_WEBHOOK_HOSTS,
    );
    expect(result).toMatchObject({ ok: true, url: LEGACY });
  });

  it("does not let a wildcard match the apex", () => {
    expect(reason("https://webhook.office.com/webhookb2/abc")).toContain("webhook.office.com is not among");
    expect(reason("https://logic.azure.com/workflows/abc")).toContain("not among the webhook hosts");
  });

  it("refuses look-alike hosts", () => {
    expect(reason("https://contoso.webhook.office.com.evil.example/webhookb2/x")).toContain(
      "not among the webhook hosts",
    );
    expect(reason("https://evilwebhook.office.com/webhookb2/x")).toContain("not among the webhook hosts");
    expect(reason("https://outlook.office.com@evil.example/webhook/x")).toContain("user name or password");
  });

  it("refuses Microsoft addresses that are not webhook endpoints", () => {
    expect(reason("https://outlook.office.com/mail/inbox")).toContain("not a Teams webhook URL");
    expect(reason("https://contoso.webhook.office.com/")).toContain("not a Teams webhook URL");
    expect(reason("https://prod-1.westus.logic.azure.com/webhookb2/x")).toContain("not a Teams webhook URL");
  });

  it("requires https", () => {
    expect(reason(LEGACY.replace("https:", "http:"))).toContain("https://");
  });
});

describe("checkWebhookUrl: malformed and dangerous input", () => {
  it.each([
    ["", "Enter the webhook URL"],
    ["   ", "Enter the webhook URL"],
    ["contoso.webhook.office.com/webhookb2/abc", "not a complete URL"],
    ["/webhookb2/abc", "not a complete URL"],
    ["https://", "not a complete URL"],
    ["ftp://contoso.webhook.office.com/webhookb2/abc", "must start with https://"],
    ["javascript:alert(1)", "must start with https://"],
    ["file:///etc/passwd", "must start with https://"],
  ])("refuses %j", (raw, fragment) => {
    expect(reason(raw)).toContain(fragment);
  });

  it("refuses user info, and does not repeat it", () => {
    const text = reason("https://admin:hunter2@contoso.webhook.office.com/webhookb2/abc");
    expect(text).toContain("user name or password");
    expect(text).not.toContain("hunter2");
  });

  it("refuses URLs longer than 2048 characters", () => {
    const long = `${LEGACY}/${"a".repeat(MAX_WEBHOOK_URL_LENGTH)}`;
    expect(reason(long)).toContain("2048");
    const exact = `https://contoso.webhook.office.com/webhookb2/`;
    const fits = exact + "a".repeat(MAX_WEBHOOK_URL_LENGTH - exact.length);
    expect(checkWebhookUrl(fits, DEFAULT_WEBHOOK_HOSTS).ok).toBe(true);
    expect(checkWebhookUrl(`${fits}a`, DEFAULT_WEBHOOK_HOSTS).ok).toBe(false);
  });

  it("never quotes the path or query in a reason", () => {
    const secret = "S3cr3tSignatureValue";
    const candidates = [
      `https://evil.example/webhookb2/${secret}?sig=${secret}`,
      `http://contoso.webhook.office.com/webhookb2/${secret}?sig=${secret}`,
      `https://contoso.webhook.office.com/nothing/${secret}?sig=${secret}`,
      `https://127.0.0.1/webhookb2/${secret}?sig=${secret}`,
      `https://u:${secret}@contoso.webhook.office.com/webhookb2/x`,
      `https://contoso.webhook.office.com/webhookb2/${secret.repeat(200)}`,
    ];
    for (const raw of candidates) {
      expect(reason(raw, [...DEFAULT_WEBHOOK_HOSTS, "*.0.0.1", "evil.example.com"])).not.toContain(secret);
    }
  });
});

describe("checkWebhookUrl: other hosts and the local emulator", () => {
  it("lets an explicitly listed loopback host use plain http, and the path decide the kind", () => {
    const hosts = ["127.0.0.1:4010"];
    expect(checkWebhookUrl("http://127.0.0.1:4010/webhookb2/abc/IncomingWebhook/x/y", hosts)).toEqual({
      ok: true,
      url: "http://127.0.0.1:4010/webhookb2/abc/IncomingWebhook/x/y",
      kind: "legacy",
      host: "127.0.0.1",
    });
    expect(checkWebhookUrl("http://127.0.0.1:4010/webhook/abc", hosts)).toMatchObject({ kind: "legacy" });
    expect(checkWebhookUrl("http://127.0.0.1:4010/workflows/abc/triggers/manual", hosts)).toMatchObject({
      kind: "workflows",
    });
    expect(reason("http://127.0.0.1:4010/hooks/abc", hosts)).toContain("not a Teams webhook URL");
  });

  it("admits only what is listed: HERALD_WEBHOOK_HOSTS=127.0.0.1:* refuses Microsoft and other loopbacks", () => {
    const hosts = ["127.0.0.1:*"];
    expect(reason(LEGACY, hosts)).toContain("not among the webhook hosts");
    expect(reason("http://127.0.0.2:4010/webhookb2/abc", hosts)).toContain("not among the webhook hosts");
    expect(reason("http://localhost:4010/webhookb2/abc", hosts)).toContain("not among the webhook hosts");
  });

  it("reads IPv4 shorthand as the address it means", () => {
    expect(checkWebhookUrl("http://127.1:4010/webhookb2/abc", ["127.0.0.1:4010"])).toMatchObject({
      ok: true,
      url: "http://127.0.0.1:4010/webhookb2/abc",
    });
  });

  it("accepts explicitly listed localhost and ::1 over http", () => {
    expect(checkWebhookUrl("http://localhost:4010/webhookb2/abc", ["localhost:4010"])).toMatchObject({
      ok: true,
    });
    expect(checkWebhookUrl("http://[::1]:4010/workflows/abc", ["[::1]:4010"])).toMatchObject({
      ok: true,
      host: "[::1]",
      kind: "workflows",
    });
    expect(checkWebhookUrl("http://[::1]:4010/workflows/abc", ["[::1]:*"])).toMatchObject({ ok: true });
  });

  it("admits a listed host on its scheme's port only, unless the pattern names a port (or *)", () => {
    expect(checkWebhookUrl("http://127.0.0.1/webhookb2/abc", ["127.0.0.1"])).toMatchObject({ ok: true });
    expect(checkWebhookUrl("http://127.0.0.1:80/webhookb2/abc", ["127.0.0.1"])).toMatchObject({ ok: true });
    expect(reason("http://127.0.0.1:5432/webhook/x", ["127.0.0.1"])).toContain("Port 5432 of 127.0.0.1");
    expect(reason("http://127.0.0.1:3100/admin/v1/webhook/", ["127.0.0.1:4010"])).toContain("Port 3100");
    expect(checkWebhookUrl("http://127.0.0.1:4010/webhook/x", ["127.0.0.1:4010"])).toMatchObject({
      ok: true,
    });
    expect(reason(`${LEGACY.replace(".com/", ".com:8443/")}`, DEFAULT_WEBHOOK_HOSTS)).toContain("Port 8443");
    expect(
      checkWebhookUrl(LEGACY.replace(".com/", ".com:8443/"), ["*.webhook.office.com:8443"]),
    ).toMatchObject({
      ok: true,
    });
  });

  it("refuses loopback and private literals reached only through a wildcard", () => {
    expect(reason("https://127.0.0.1/webhookb2/abc", ["*.0.0.1"])).toContain("loopback or private");
    expect(reason("https://10.1.2.3/webhookb2/abc", ["*.2.3"])).toContain("loopback or private");
    expect(reason("https://app.localhost/webhookb2/abc", ["*.localhost"])).toContain("loopback or private");
    expect(reason("https://169.254.169.254/webhookb2/abc", ["*.169.254"])).toContain("loopback or private");
  });

  it("accepts an explicitly listed private address, over https only", () => {
    expect(checkWebhookUrl("https://10.0.0.5/webhookb2/abc", ["10.0.0.5"])).toMatchObject({ ok: true });
    expect(reason("http://10.0.0.5/webhookb2/abc", ["10.0.0.5"])).toContain("https://");
  });

  it("refuses plain http for a loopback host reached through a wildcard or a public host", () => {
    expect(reason("http://teams-sim.example.com/webhookb2/abc", ["teams-sim.example.com"])).toContain(
      "https://",
    );
    expect(reason("http://a.localhost/webhookb2/abc", ["*.localhost"])).toContain("loopback or private");
  });

  it("lets the path decide the kind on a listed non-Microsoft host", () => {
    const hosts = ["teams-sim.example.com"];
    expect(checkWebhookUrl("https://teams-sim.example.com/webhookb2/a", hosts)).toMatchObject({
      kind: "legacy",
    });
    expect(checkWebhookUrl("https://teams-sim.example.com/x/workflows/a", hosts)).toMatchObject({
      kind: "workflows",
    });
  });

  it("does not show tenants the operator's list of allowed hosts", () => {
    expect(reason("https://evil.example/webhookb2/x", ["10.0.0.5", "*.webhook.office.com"])).not.toContain(
      "10.0.0.5",
    );
  });

  it("refuses everything when no host is allowed", () => {
    expect(reason(LEGACY, [])).toContain("not among the webhook hosts");
  });
});

describe("maskWebhookUrl", () => {
  it("keeps the origin, the well-known first segment and the last four characters", () => {
    expect(maskWebhookUrl(LEGACY)).toBe("https://contoso.webhook.office.com/webhookb2/…a1b2");
    expect(maskWebhookUrl(LOGIC)).toBe("https://prod-27.westus.logic.azure.com/workflows/…alue");
    expect(maskWebhookUrl(POWER_PLATFORM)).toMatch(/^https:\/\/[^/]+\/powerautomate\/…cr3t$/);
    expect(maskWebhookUrl("http://127.0.0.1:4010/webhookb2/abcdefghijklmnopqrstuvwxyz")).toBe(
      "http://127.0.0.1:4010/webhookb2/…wxyz",
    );
  });

  it("hides an unknown first segment, which may be the secret itself", () => {
    expect(maskWebhookUrl("https://hooks.example.com/T0KEN-abcdefghijklmnop/more")).toBe(
      "https://hooks.example.com/…more",
    );
  });

  it("shows no tail when little would stay hidden", () => {
    expect(maskWebhookUrl("https://contoso.webhook.office.com/webhookb2/abc")).toBe(
      "https://contoso.webhook.office.com/webhookb2/…",
    );
    expect(maskWebhookUrl("https://contoso.webhook.office.com/")).toBe("https://contoso.webhook.office.com/");
  });

  it("drops user info and fragments, and survives garbage", () => {
    expect(maskWebhookUrl("https://u:p@x.webhook.office.com/webhookb2/abcdefghijklmnopqrstuvwxyz#frag")).toBe(
      "https://x.webhook.office.com/webhookb2/…wxyz",
    );
    expect(maskWebhookUrl("not a url")).toBe("(invalid URL)");
  });

  it("never contains more than four characters of what follows the first segment", () => {
    const masked = maskWebhookUrl(LOGIC);
    expect(masked).not.toContain("0123456789abcdef");
    expect(masked).not.toContain("sig=");
  });
});
