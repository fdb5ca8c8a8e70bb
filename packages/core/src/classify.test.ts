import { describe, expect, it } from "vitest";
import { classifyTeamsAnswer, type TeamsAnswer } from "./classify.ts";

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const embedded = (status: number) =>
  `Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error ${status} with ContextId tcid=0,server=msgapi-production-eus-azsc2-4-170,cv=deadbeef.0..`;
const response = (status: number, body = "", retryAfter?: string | null): TeamsAnswer => ({
  type: "response",
  status,
  body,
  retryAfter,
});

describe("classifyTeamsAnswer: legacy connectors", () => {
  it('counts 200 "1" as delivered', () => {
    expect(classifyTeamsAnswer("legacy", response(200, "1"), NOW)).toEqual({ kind: "delivered" });
    expect(classifyTeamsAnswer("legacy", response(200, " 1\n"), NOW)).toEqual({ kind: "delivered" });
  });

  it("reads an error reported inside a 200 body as that error", () => {
    expect(classifyTeamsAnswer("legacy", response(200, embedded(429)), NOW)).toMatchObject({
      kind: "throttled",
      status: 429,
      retryAfterMs: null,
    });
    expect(classifyTeamsAnswer("legacy", response(200, embedded(413)), NOW)).toEqual({
      kind: "too_large",
      status: 413,
      text: embedded(413),
    });
    expect(classifyTeamsAnswer("legacy", response(200, embedded(400)), NOW)).toMatchObject({
      kind: "bad_request",
      status: 400,
    });
    expect(classifyTeamsAnswer("legacy", response(200, embedded(500)), NOW)).toMatchObject({
      kind: "transient",
      status: 500,
    });
    expect(classifyTeamsAnswer("legacy", response(200, embedded(410)), NOW)).toMatchObject({
      kind: "gone",
      status: 410,
      reason: "connector_removed",
    });
    expect(classifyTeamsAnswer("legacy", response(200, "HTTP error 404"), NOW)).toMatchObject({
      kind: "gone",
      status: 404,
      reason: "channel_not_found",
    });
  });

  it("honours Retry-After sent with an embedded 429", () => {
    expect(classifyTeamsAnswer("legacy", response(200, embedded(429), "7"), NOW)).toMatchObject({
      kind: "throttled",
      retryAfterMs: 7000,
    });
  });

  it("treats any other 200 body as an unconfirmed refusal", () => {
    expect(classifyTeamsAnswer("legacy", response(200, "<html>Sign in</html>"), NOW)).toEqual({
      kind: "bad_request",
      status: 200,
      text: "<html>Sign in</html>",
    });
    expect(classifyTeamsAnswer("legacy", response(200, ""), NOW)).toMatchObject({ kind: "bad_request" });
    expect(classifyTeamsAnswer("legacy", response(202, "1"), NOW)).toMatchObject({ kind: "bad_request" });
    expect(classifyTeamsAnswer("legacy", response(200, "HTTP error 200"), NOW)).toMatchObject({
      kind: "bad_request",
      status: 200,
    });
  });

  it("knows Teams' own 400 texts", () => {
    for (const text of [
      "Bad payload received by generic incoming webhook.",
      "Summary or Text is required.",
    ]) {
      expect(classifyTeamsAnswer("legacy", response(400, text), NOW)).toEqual({
        kind: "bad_request",
        status: 400,
        text,
      });
    }
  });
});

describe("classifyTeamsAnswer: Workflows", () => {
  it("counts 200, 201 and 202 as accepted by Power Automate whatever the body", () => {
    for (const status of [200, 201, 202]) {
      expect(classifyTeamsAnswer("workflows", response(status, ""), NOW)).toEqual({
        kind: "accepted",
        status,
      });
    }
    expect(classifyTeamsAnswer("workflows", response(200, "anything"), NOW)).toEqual({
      kind: "accepted",
      status: 200,
    });
  });
});

describe("classifyTeamsAnswer: real statuses, either kind", () => {
  it.each([
    [429, "throttled"],
    [410, "gone"],
    [404, "gone"],
    [413, "too_large"],
    [400, "bad_request"],
    [401, "bad_request"],
    [403, "bad_request"],
    [422, "bad_request"],
    [408, "transient"],
    [500, "transient"],
    [502, "transient"],
    [503, "transient"],
    [504, "transient"],
    [301, "redirect"],
    [302, "redirect"],
    [307, "redirect"],
    [308, "redirect"],
    [101, "transient"],
    [600, "transient"],
  ])("%i is %s", (status, kind) => {
    expect(classifyTeamsAnswer("legacy", response(status, "x"), NOW).kind).toBe(kind);
    expect(classifyTeamsAnswer("workflows", response(status, "x"), NOW).kind).toBe(kind);
  });

  it("parses Retry-After as seconds or as a date", () => {
    expect(classifyTeamsAnswer("workflows", response(429, "", "30"), NOW)).toEqual({
      kind: "throttled",
      status: 429,
      text: "",
      retryAfterMs: 30_000,
    });
    expect(
      classifyTeamsAnswer("workflows", response(429, "", "Mon, 23 Nov 2026 12:00:05 GMT"), NOW),
    ).toMatchObject({
      retryAfterMs: 5000,
    });
    expect(classifyTeamsAnswer("workflows", response(429, "", "garbage"), NOW)).toMatchObject({
      retryAfterMs: null,
    });
    expect(classifyTeamsAnswer("workflows", response(503, "", "10"), NOW)).toMatchObject({
      kind: "transient",
      retryAfterMs: 10_000,
    });
  });

  it("keeps the real status over text in a non-2xx body", () => {
    expect(classifyTeamsAnswer("legacy", response(400, embedded(429)), NOW)).toMatchObject({
      kind: "bad_request",
    });
  });

  it("collapses and shortens Teams' text", () => {
    const result = classifyTeamsAnswer("legacy", response(400, `  a\n\n b  ${"c".repeat(600)}`), NOW);
    expect(result.kind === "bad_request" && result.text.startsWith("a b c")).toBe(true);
    expect(result.kind === "bad_request" && result.text.length).toBe(500);
  });
});

describe("classifyTeamsAnswer: no answer", () => {
  it("treats network errors and timeouts as transient", () => {
    expect(
      classifyTeamsAnswer(
        "legacy",
        { type: "network_error", error: "connect ECONNREFUSED 127.0.0.1:4010" },
        NOW,
      ),
    ).toEqual({
      kind: "transient",
      status: null,
      text: "connect ECONNREFUSED 127.0.0.1:4010",
      cause: "network_error",
    });
    expect(classifyTeamsAnswer("workflows", { type: "timeout", error: "no answer in 10s" }, NOW)).toEqual({
      kind: "transient",
      status: null,
      text: "no answer in 10s",
      cause: "timeout",
    });
  });
});
