import { describe, expect, it } from "vitest";
import * as core from "./index.ts";

// The database, worker and api are written against these names; losing one is a breaking change.
const CONTRACT = {
  functions: [
    "longestPeriodMs",
    "admits",
    "nextSendAt",
    "findViolations",
    "withGuard",
    "parseRatePolicy",
    "parseHostPatterns",
    "checkWebhookUrl",
    "maskWebhookUrl",
    "isInternalAddress",
    "isLoopbackAddress",
    "classifyTeamsAnswer",
    "decideDelivery",
    "detectCardType",
    "buildTeamsPayload",
    "messageCardToAdaptiveCard",
    "textToAdaptiveCard",
    "utcMonthStart",
    "addUtcMonths",
    "utcDayStart",
    "monthKey",
    "checkQuota",
    "formatId",
    "isWellFormedId",
  ],
  values: [
    "LEGACY_CONNECTOR_POLICY",
    "UNLIMITED_POLICY",
    "DEFAULT_WEBHOOK_HOSTS",
    "DEFAULT_RETRY",
    "MAX_PAYLOAD_BYTES",
    "LICENSE_KEY_PREFIX",
    "LICENSE_SECRET_PREFIX",
  ],
};

describe("@herald/core exports", () => {
  it.each(CONTRACT.functions)("exports function %s", (name) => {
    expect(typeof (core as Record<string, unknown>)[name]).toBe("function");
  });

  it.each(CONTRACT.values)("exports value %s", (name) => {
    expect((core as Record<string, unknown>)[name]).toBeDefined();
  });

  it("keeps the documented constants", () => {
    expect(core.MAX_PAYLOAD_BYTES).toBe(28672);
    expect(core.DEFAULT_RETRY).toEqual({ baseMs: 1000, factor: 2, capMs: 300_000, maxAgeMs: 86_400_000 });
    expect(core.UNLIMITED_POLICY).toEqual([]);
  });
});
