// Power Automate Workflows in the pure core: URL forms, answers by error code, the paused-flow
// policy, honest wording, mentions, the token answer and the webhook warnings.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildTeamsPayload, MAX_MENTIONS } from "./cards.ts";
import { classifyTeamsAnswer } from "./classify.ts";
import { DEFAULT_RETRY, type DeliveryContext, decideDelivery } from "./delivery-policy.ts";
import {
  FLOW_AUDIENCE,
  readTokenAnswer,
  scopeForAudience,
  tokenEndpoint,
  tokenRequestBody,
} from "./entra.ts";
import {
  ACCEPTED_BY_FLOW_SENTENCE,
  CONNECTOR_RETIRED_MESSAGE,
  decideTokenRefusal,
  FLOW_INACTIVITY_WARNING_MS,
  FLOW_OFF_PROBE_DELAYS_MS,
  FLOW_OFF_SENTENCE,
  flowOffProbeDelayMs,
  WORKFLOWS_DEFAULT_POLICY,
  WORKFLOWS_DEFAULT_RATE,
  webhookWarnings,
} from "./flow-policy.ts";
import { parseRatePolicy } from "./rate.ts";
import { checkWebhookUrl, DEFAULT_WEBHOOK_HOSTS, workflowsUrlShape } from "./url.ts";

const NOW = Date.parse("2026-11-23T12:00:00Z");
const HOST = "default72f988bf86f141af91ab2d7cd011db.47.environment.api.powerplatform.com";
const query = "api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0";

const ctx = (over: Partial<DeliveryContext> = {}): DeliveryContext => ({
  attempts: 1,
  queuedAtMs: NOW - 1_000,
  nowMs: NOW,
  consecutiveBadRequests: 0,
  random: () => 0.5,
  retry: DEFAULT_RETRY,
  throttlePauseMs: 60_000,
  speaker: "Power Automate",
  ...over,
});

const paError = (status: number, code: string, message = "m", retryAfter: string | null = null) =>
  classifyTeamsAnswer(
    "workflows",
    { type: "response", status, body: JSON.stringify({ error: { code, message } }), retryAfter },
    NOW,
  );

describe("Workflows URL forms", () => {
  const forms = [
    `https://${HOST}/powerautomate/automations/direct/workflows/abc/triggers/manual/paths/invoke?${query}&sig=s1`,
    `https://${HOST}:443/powerautomate/automations/direct/cu/16/workflows/abc/triggers/manual/paths/invoke?${query}&sig=s1`,
    `https://${HOST}/powerautomate/automations/direct/cu/16/workflows/abc/triggers/manual/paths/invoke?${query}`,
    `https://prod-27.westus.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=s1`,
    `https://${HOST}/powerautomate/automations/direct/cu/16/workflows/${"f".repeat(200)}/triggers/manual/paths/invoke?${query}&sig=${"s".repeat(43)}`,
  ];

  it.each(forms)("recognises %s as Workflows", (url) => {
    const checked = checkWebhookUrl(url, DEFAULT_WEBHOOK_HOSTS);
    expect(checked).toMatchObject({ ok: true, kind: "workflows" });
    if (checked.ok) expect(checked.url).not.toContain(":443");
  });

  it("takes URLs over 255 characters", () => {
    const long = forms[4] ?? "";
    expect(long.length).toBeGreaterThan(255);
    expect(workflowsUrlShape(long)).toMatchObject({ form: "direct", cu: 16, signed: true });
  });

  it("reads the form, the /cu/<n> segment and whether the URL is signed", () => {
    expect(workflowsUrlShape(forms[0] ?? "")).toEqual({
      form: "direct",
      cu: null,
      flowId: "abc",
      signed: true,
    });
    expect(workflowsUrlShape(forms[2] ?? "")).toEqual({
      form: "direct",
      cu: 16,
      flowId: "abc",
      signed: false,
    });
    expect(workflowsUrlShape(forms[3] ?? "")).toMatchObject({ form: "logic", signed: true });
    expect(workflowsUrlShape("https://contoso.webhook.office.com/webhookb2/x")).toBeNull();
  });

  it("recognises the emulator's /powerautomate/…/cu/<n>/ path on a loopback host by its path", () => {
    const url = `http://127.0.0.1:4010/powerautomate/automations/direct/cu/16/workflows/abc/triggers/manual/paths/invoke?${query}&sig=x`;
    expect(checkWebhookUrl(url, ["127.0.0.1:4010"])).toMatchObject({ ok: true, kind: "workflows" });
  });
});

describe("Power Automate's answers, by their JSON error code", () => {
  it("202 is accepted by Power Automate, never 'delivered to Teams'", () => {
    const c = classifyTeamsAnswer("workflows", { type: "response", status: 202, body: "" }, NOW);
    expect(c).toEqual({ kind: "accepted", status: 202 });
    const decision = decideDelivery(c, ctx());
    expect(decision.message).toEqual({ action: "delivered" });
    expect(decision.userMessage).toBe(ACCEPTED_BY_FLOW_SENTENCE);
    expect(decision.userMessage).not.toMatch(/Delivered to Teams/);
  });

  it("400 WorkflowTriggerIsNotEnabled pauses the channel with the reason and probes after 1 min, 5 min, 30 min", () => {
    const c = paError(400, "WorkflowTriggerIsNotEnabled", "trigger is not enabled.");
    expect(c.kind).toBe("flow_off");
    const delays = [0, 1, 2, 3, 9].map((probes) => {
      const d = decideDelivery(c, ctx({ pauseProbes: probes }));
      expect(d.message.action).toBe("wait");
      expect(d.channel).toMatchObject({ action: "pause", reason: FLOW_OFF_SENTENCE, probes: probes + 1 });
      expect(d.userMessage).toContain("turn it on and Herald resumes");
      return d.channel.action === "pause" ? d.channel.untilMs - NOW : 0;
    });
    expect(delays).toEqual([60_000, 300_000, 1_800_000, 3_600_000, 3_600_000]);
  });

  it("a turned-off flow fails the message once its retry age runs out, and stays paused", () => {
    const c = paError(400, "WorkflowTriggerIsNotEnabled");
    const d = decideDelivery(c, ctx({ queuedAtMs: NOW - DEFAULT_RETRY.maxAgeMs + 30_000, pauseProbes: 0 }));
    expect(d.message.action).toBe("fail");
    expect(d.channel.action).toBe("pause");
  });

  it("404 WorkflowNotFound and WorkflowTriggerVersionNotFound disable at once saying the flow was deleted", () => {
    for (const code of ["WorkflowNotFound", "WorkflowTriggerVersionNotFound"]) {
      const d = decideDelivery(paError(404, code), ctx());
      expect(d.channel).toMatchObject({ action: "disable" });
      expect(d.message.action).toBe("fail");
      expect(d.userMessage).toMatch(/flow behind this webhook was deleted/);
    }
  });

  it("401 DirectApiAuthorizationRequired / MisMatchingOAuthClaims disable, naming Entra", () => {
    const without = decideDelivery(paError(401, "DirectApiAuthorizationRequired"), ctx());
    expect(without.channel).toMatchObject({ action: "disable" });
    expect(without.userMessage).toMatch(/Microsoft Entra tenant.*attach an Entra app/);
    const withApp = decideDelivery(paError(401, "MisMatchingOAuthClaims"), ctx({ withEntraApp: true }));
    expect(withApp.userMessage).toMatch(/refused the Entra app's token/);
  });

  it("429 honours Retry-After and keeps Power Automate's code", () => {
    const c = paError(429, "TooManyRequests", "Rate limit is exceeded. Try again in 5 seconds.", "5");
    expect(c).toMatchObject({ kind: "throttled", retryAfterMs: 5_000, code: "TooManyRequests" });
    const d = decideDelivery(c, ctx());
    expect(d.message).toEqual({ action: "wait", atMs: NOW + 5_000 });
    expect(d.userMessage).toMatch(/^Power Automate is rate limiting/);
  });

  it("413, 5xx and an unknown 4xx follow the generic rules", () => {
    expect(paError(413, "RequestEntityTooLarge").kind).toBe("too_large");
    expect(paError(502, "BadGateway").kind).toBe("transient");
    const unknown = paError(400, "InvalidRequestContent", "Property 'type' must be 'message'.");
    expect(unknown).toMatchObject({ kind: "bad_request", code: "InvalidRequestContent" });
    const d = decideDelivery(unknown, ctx({ consecutiveBadRequests: 5 }));
    expect(d.channel.action).toBe("disable");
    expect(d.userMessage).toContain("Power Automate refused the message (HTTP 400)");
  });

  it("never classifies a Power Automate refusal as accepted, whatever the code", () => {
    fc.assert(
      fc.property(fc.integer({ min: 300, max: 599 }), fc.string(), (status, code) => {
        expect(paError(status, code).kind).not.toBe("accepted");
      }),
    );
  });
});

describe("the default Workflows rate policy", () => {
  it("is 4 per second and 4,500 per 5 minutes, and its text parses to the same policy", () => {
    const parsed = parseRatePolicy(WORKFLOWS_DEFAULT_RATE);
    expect(parsed).toEqual({ ok: true, policy: WORKFLOWS_DEFAULT_POLICY });
    expect(WORKFLOWS_DEFAULT_POLICY).toEqual([
      { limit: 4, periodMs: 1_000 },
      { limit: 4500, periodMs: 300_000 },
    ]);
  });
});

describe("probe backoff", () => {
  it("never shrinks and never exceeds its last step", () => {
    fc.assert(
      fc.property(fc.nat(1000), (n) => {
        expect(flowOffProbeDelayMs(n + 1)).toBeGreaterThanOrEqual(flowOffProbeDelayMs(n));
        expect(flowOffProbeDelayMs(n)).toBeLessThanOrEqual(FLOW_OFF_PROBE_DELAYS_MS.at(-1) ?? 0);
      }),
    );
  });
});

describe("mentions", () => {
  const ada = { id: "ada@contoso.com", name: "Ada Lovelace" };

  it("adds <at>name</at> when absent and an msteams.entities mention to the Adaptive Card", () => {
    const built = buildTeamsPayload("workflows", { text: "Build failed", mentions: [ada] });
    if (!built.ok) throw new Error(built.message);
    const content = (built.payload.attachments as { content: Record<string, unknown> }[])[0]?.content ?? {};
    expect((content.body as { text: string }[])[0]?.text).toBe("Build failed <at>Ada Lovelace</at>");
    expect(content.msteams).toMatchObject({
      entities: [
        { type: "mention", text: "<at>Ada Lovelace</at>", mentioned: { id: ada.id, name: ada.name } },
      ],
    });
    expect(built.mentionsAsText).toBe(false);
  });

  it("keeps a tag the text already has, once", () => {
    const built = buildTeamsPayload("workflows", { text: "<at>Ada Lovelace</at>, look", mentions: [ada] });
    if (!built.ok) throw new Error(built.message);
    expect(built.body.split("<at>Ada Lovelace</at>").length - 1).toBe(2); // the TextBlock and the entity
  });

  it("sends names as plain text to legacy connectors and says so", () => {
    const built = buildTeamsPayload("legacy", { text: "<at>Ada Lovelace</at> look", mentions: [ada] });
    if (!built.ok) throw new Error(built.message);
    expect(built.payload).toEqual({ text: "Ada Lovelace look" });
    expect(built.mentionsAsText).toBe(true);
  });

  it(`refuses more than ${MAX_MENTIONS} mentions and blank ids`, () => {
    const many = Array.from({ length: MAX_MENTIONS + 1 }, (_, i) => ({ id: `u${i}`, name: `User ${i}` }));
    expect(buildTeamsPayload("workflows", { text: "x", mentions: many })).toMatchObject({
      ok: false,
      code: "invalid_mentions",
    });
    expect(buildTeamsPayload("workflows", { text: "x", mentions: [{ id: " ", name: "A" }] })).toMatchObject({
      ok: false,
      code: "invalid_mentions",
    });
  });

  it("every mention has an entity whose tag the card shows (property)", () => {
    const name = fc.stringMatching(/^[A-Za-z][A-Za-z .'-]{0,30}$/);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ id: fc.uuid(), name }), {
          maxLength: MAX_MENTIONS,
          selector: (m) => m.name,
        }),
        fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
        (mentions, text) => {
          fc.pre(mentions.length > 0 || (text ?? "").trim() !== "");
          const built = buildTeamsPayload("workflows", { text, mentions });
          if (!built.ok) throw new Error(built.message);
          const content =
            (built.payload.attachments as { content: Record<string, unknown> }[])[0]?.content ?? {};
          const entities = ((content.msteams as { entities?: unknown[] }).entities ?? []) as {
            text: string;
          }[];
          expect(entities).toHaveLength(mentions.length);
          const shown = JSON.stringify(content.body);
          for (const e of entities) expect(shown).toContain(JSON.stringify(e.text).slice(1, -1));
        },
      ),
    );
  });
});

describe("Entra token requests and answers", () => {
  it("asks for the flow audience with the double slash", () => {
    expect(scopeForAudience(FLOW_AUDIENCE)).toBe("https://service.flow.microsoft.com//.default");
    expect(tokenEndpoint("http://127.0.0.1:4010/", "tid")).toBe(
      "http://127.0.0.1:4010/tid/oauth2/v2.0/token",
    );
    const form = new URLSearchParams(
      tokenRequestBody({ clientId: "c", clientSecret: "s", audience: FLOW_AUDIENCE }),
    );
    expect(Object.fromEntries(form)).toEqual({
      grant_type: "client_credentials",
      client_id: "c",
      client_secret: "s",
      scope: "https://service.flow.microsoft.com//.default",
    });
  });

  it("reuses a token until 5 minutes before it expires", () => {
    const answer = readTokenAnswer(200, JSON.stringify({ access_token: "t", expires_in: 3599 }), NOW);
    expect(answer).toEqual({
      ok: true,
      accessToken: "t",
      expiresAtMs: NOW + 3_599_000,
      reuseUntilMs: NOW + 3_599_000 - 300_000,
    });
  });

  it("reads AADSTS7000215 as a refusal, quoting Entra's first line without trace ids", () => {
    const body = JSON.stringify({
      error: "invalid_client",
      error_description:
        "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value.\r\nTrace ID: 6f6c\r\nCorrelation ID: 5fc8",
      error_codes: [7000215],
    });
    expect(readTokenAnswer(401, body, NOW)).toEqual({
      ok: false,
      refused: true,
      status: 401,
      code: "AADSTS7000215",
      description:
        "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value.",
    });
    expect(readTokenAnswer(503, "busy", NOW)).toMatchObject({ ok: false, refused: false });
  });

  it("a refused token pauses the channel with Entra's code, probing like a turned-off flow", () => {
    const d = decideTokenRefusal(
      {
        code: "AADSTS7000215",
        description: "AADSTS7000215: Invalid client secret provided.",
        appName: "Herald",
      },
      ctx(),
    );
    expect(d.message).toEqual({ action: "wait", atMs: NOW + 60_000 });
    expect(d.channel).toMatchObject({ action: "pause", probes: 1 });
    expect(d.errorLog?.kind).toBe("Entra AADSTS7000215");
    expect(d.userMessage).toMatch(
      /Microsoft Entra refused a token for the Entra app "Herald" \(AADSTS7000215\)/,
    );
  });
});

describe("webhook warnings", () => {
  const base = { host: HOST, createdAtMs: NOW - 86_400_000, lastSuccessAtMs: null, nowMs: NOW };

  it("marks legacy connectors as retired, with how to move", () => {
    expect(webhookWarnings({ ...base, kind: "legacy", host: "contoso.webhook.office.com" })).toEqual([
      { code: "connector_retired", message: CONNECTOR_RETIRED_MESSAGE },
    ]);
    expect(webhookWarnings({ ...base, kind: "workflows" })).toEqual([]);
  });

  it("warns a Workflows webhook after 80 days without a success, before Microsoft turns the flow off at 90", () => {
    const at = (days: number) =>
      webhookWarnings({ ...base, kind: "workflows", lastSuccessAtMs: NOW - days * 86_400_000 }).map(
        (w) => w.code,
      );
    expect(at(79)).toEqual([]);
    expect(at(80)).toEqual(["flow_inactive"]);
    expect(FLOW_INACTIVITY_WARNING_MS).toBe(80 * 86_400_000);
  });

  it("warns about retired logic.azure.com URLs", () => {
    const codes = webhookWarnings({ ...base, kind: "workflows", host: "prod-27.westus.logic.azure.com" });
    expect(codes.map((w) => w.code)).toEqual(["workflows_url_retired"]);
  });
});
