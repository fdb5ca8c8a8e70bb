import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deliveryContext } from "../test/delivery-context.ts";
import type { Classification } from "./classify.ts";
import {
  backoffDelayMs,
  DEFAULT_RETRY,
  type DeliveryContext,
  decideDelivery,
  MIN_RETRY_DELAY_MS,
  MIN_THROTTLE_PAUSE_MS,
} from "./delivery-policy.ts";

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);

const context = (overrides: Partial<DeliveryContext> = {}) => deliveryContext(NOW, overrides);

describe("DEFAULT_RETRY", () => {
  it("is the documented backoff: 1 s doubling to 5 min, for 24 h (HERALD_RETRY_MAX_AGE_MS)", () => {
    expect(DEFAULT_RETRY).toEqual({ baseMs: 1000, factor: 2, capMs: 300_000, maxAgeMs: 86_400_000 });
  });
});

describe("decideDelivery: delivered", () => {
  it("delivers, resets the refusal streak and logs nothing", () => {
    expect(decideDelivery({ kind: "delivered" }, context({ consecutiveBadRequests: 3 }))).toEqual({
      message: { action: "delivered" },
      channel: { action: "reset_bad_requests" },
      errorLog: null,
      userMessage: "Delivered to Teams.",
    });
  });
});

describe("decideDelivery: gone", () => {
  it("fails the message and disables the channel at once on 410", () => {
    const d = decideDelivery(
      { kind: "gone", status: 410, text: "Gone", reason: "connector_removed" },
      context(),
    );
    expect(d.message.action).toBe("fail");
    expect(d.channel).toEqual({
      action: "disable",
      reason: 'The connector was removed in Teams (HTTP 410). Teams said: "Gone"',
    });
    expect(d.errorLog).toEqual({ kind: "410 Invalid Webhook", action: "Message failed; channel disabled" });
    expect(d.userMessage).toBe(
      "The connector was removed in Teams (HTTP 410); the channel has been disabled.",
    );
  });

  it("fails the message and disables the channel at once on 404, even on the first attempt", () => {
    const d = decideDelivery({ kind: "gone", status: 404, text: "", reason: "channel_not_found" }, context());
    expect(d.channel.action).toBe("disable");
    expect(d.errorLog).toEqual({ kind: "404 Channel Not Found", action: "Message failed; channel disabled" });
    expect(d.userMessage).toContain("(HTTP 404); the channel has been disabled.");
  });
});

describe("decideDelivery: throttled", () => {
  const throttled = (retryAfterMs: number | null): Classification => ({
    kind: "throttled",
    status: 429,
    text: "",
    retryAfterMs,
  });

  it("waits (not an attempt failure) until Retry-After and pauses the channel as long", () => {
    const d = decideDelivery(throttled(5000), context({ attempts: 7 }));
    expect(d.message).toEqual({ action: "wait", atMs: NOW + 5000 });
    expect(d.channel).toEqual({ action: "pause", untilMs: NOW + 5000 });
    expect(d.errorLog).toEqual({
      kind: "429 Rate Limited",
      action: "Paused until 2026-11-23T12:00:05Z; message will be retried",
    });
    expect(d.userMessage).toContain("will be sent after 2026-11-23T12:00:05Z");
  });

  it("uses the configured pause when Teams did not say", () => {
    const d = decideDelivery(throttled(null), context({ throttlePauseMs: 45_000 }));
    expect(d.message).toEqual({ action: "wait", atMs: NOW + 45_000 });
  });

  it("never pauses for less than a second nor longer than the retry horizon", () => {
    expect(decideDelivery(throttled(0), context()).message).toEqual({
      action: "wait",
      atMs: NOW + MIN_THROTTLE_PAUSE_MS,
    });
    expect(decideDelivery(throttled(10 * 86_400_000), context()).channel).toEqual({
      action: "pause",
      untilMs: NOW + DEFAULT_RETRY.maxAgeMs,
    });
  });

  it("waits even when the message is old: throttling is not its failure", () => {
    const d = decideDelivery(throttled(5000), context({ queuedAtMs: NOW - 2 * 86_400_000 }));
    expect(d.message.action).toBe("wait");
  });
});

describe("decideDelivery: bad requests and redirects", () => {
  const bad: Classification = { kind: "bad_request", status: 400, text: "Summary or Text is required." };

  it("fails the message and counts the refusal", () => {
    const d = decideDelivery(bad, context({ consecutiveBadRequests: 0 }));
    expect(d.message).toEqual({
      action: "fail",
      reason: 'Teams refused the message (HTTP 400). Teams said: "Summary or Text is required."',
    });
    expect(d.channel).toEqual({ action: "count_bad_request", consecutive: 1 });
    expect(d.errorLog).toEqual({ kind: "400 Summary or Text Required", action: "Message failed" });
  });

  it("tolerates five in a row and disables the channel on the sixth", () => {
    expect(decideDelivery(bad, context({ consecutiveBadRequests: 4 })).channel).toEqual({
      action: "count_bad_request",
      consecutive: 5,
    });
    const sixth = decideDelivery(bad, context({ consecutiveBadRequests: 5 }));
    expect(sixth.channel.action).toBe("disable");
    expect(sixth.errorLog).toEqual({
      kind: "400 Summary or Text Required",
      action: "Message failed; channel disabled after 6 refusals in a row",
    });
    expect(sixth.userMessage).toContain("the channel has been disabled after 6 refusals in a row.");
  });

  it("names the refusals legacy connectors explain, and only those", () => {
    const payload: Classification = {
      kind: "bad_request",
      status: 400,
      text: "Bad payload received by generic incoming webhook.",
    };
    expect(decideDelivery(payload, context()).errorLog?.kind).toBe("400 Bad Payload");
    expect(decideDelivery({ kind: "bad_request", status: 400, text: "nope" }, context()).errorLog?.kind).toBe(
      "400 Unknown Error",
    );
  });

  it("names other client errors by their status", () => {
    const d = decideDelivery({ kind: "bad_request", status: 403, text: "" }, context());
    expect(d.errorLog?.kind).toBe("403 Forbidden");
    expect(decideDelivery({ kind: "bad_request", status: 418, text: "" }, context()).errorLog?.kind).toBe(
      "418 Unknown Error",
    );
    expect(
      decideDelivery({ kind: "bad_request", status: 200, text: "odd" }, context()).userMessage,
    ).toContain("without confirming the message");
  });

  it("fails a redirect and counts it like a refusal", () => {
    const d = decideDelivery(
      { kind: "redirect", status: 302, text: "" },
      context({ consecutiveBadRequests: 2 }),
    );
    expect(d.message.action).toBe("fail");
    expect(d.channel).toEqual({ action: "count_bad_request", consecutive: 3 });
    expect(d.errorLog).toEqual({ kind: "302 Redirect", action: "Message failed" });
    expect(
      decideDelivery({ kind: "redirect", status: 301, text: "" }, context({ consecutiveBadRequests: 5 }))
        .channel.action,
    ).toBe("disable");
  });
});

describe("decideDelivery: too large", () => {
  it("fails the message and leaves the channel alone", () => {
    const d = decideDelivery(
      { kind: "too_large", status: 413, text: "" },
      context({ consecutiveBadRequests: 5 }),
    );
    expect(d.message.action).toBe("fail");
    expect(d.channel).toEqual({ action: "none" });
    expect(d.errorLog).toEqual({ kind: "413 Payload Too Large", action: "Message failed" });
  });
});

describe("decideDelivery: transient", () => {
  const outage: Classification = { kind: "transient", status: 503, text: "Service Unavailable" };

  it("retries with jittered exponential backoff", () => {
    const d = decideDelivery(outage, context({ attempts: 3, random: () => 0.5 }));
    // base 1000 * 2^(3-1) = 4000, half of it
    expect(d.message).toEqual({ action: "retry", atMs: NOW + 2000 });
    expect(d.channel).toEqual({ action: "none" });
    expect(d.errorLog).toEqual({ kind: "503 Server Error", action: "Retrying in 2s (attempt 4)" });
    expect(d.userMessage).toBe(
      'Teams answered HTTP 503; the message is queued and will be retried at 2026-11-23T12:00:02Z (attempt 4). Teams said: "Service Unavailable"',
    );
  });

  it("names network errors, timeouts and 408", () => {
    const network = decideDelivery({ kind: "transient", status: null, text: "ECONNRESET" }, context());
    expect(network.errorLog?.kind).toBe("Network Error");
    expect(network.userMessage).toMatch(/^Teams could not be reached \(ECONNRESET\); the message is queued/);
    const timeout = decideDelivery(
      { kind: "transient", status: null, text: "", cause: "timeout" },
      context(),
    );
    expect(timeout.errorLog?.kind).toBe("Timeout");
    expect(decideDelivery({ kind: "transient", status: 408, text: "" }, context()).errorLog?.kind).toBe(
      "408 Request Timeout",
    );
    expect(decideDelivery({ kind: "transient", status: 600, text: "" }, context()).errorLog?.kind).toBe(
      "600 Unexpected Status",
    );
  });

  it("waits at least as long as a Retry-After on a 503", () => {
    const d = decideDelivery({ ...outage, retryAfterMs: 30_000 }, context({ random: () => 0 }));
    expect(d.message).toEqual({ action: "retry", atMs: NOW + 30_000 });
  });

  it("gives up when the next try would come after the message's maximum age", () => {
    const d = decideDelivery(
      outage,
      context({ attempts: 20, queuedAtMs: NOW - 86_400_000 + 1000, random: () => 0.99 }),
    );
    expect(d.message).toEqual({
      action: "fail",
      reason: 'Teams answered HTTP 503; gave up after 20 attempts over 1d. Teams said: "Service Unavailable"',
    });
    expect(d.errorLog).toEqual({
      kind: "503 Server Error",
      action: "Message failed; gave up after 20 attempts over 1d",
    });
  });

  it("still retries when the delay just fits", () => {
    const d = decideDelivery(
      outage,
      context({ attempts: 1, queuedAtMs: NOW - 86_400_000 + 500, random: () => 0.5 }),
    );
    expect(d.message).toEqual({ action: "retry", atMs: NOW + 500 });
  });
});

describe("backoffDelayMs", () => {
  it("doubles the ceiling per attempt up to the cap, and never goes below 250ms", () => {
    const top = () => 0.999_999;
    expect(backoffDelayMs(1, top, DEFAULT_RETRY)).toBe(999);
    expect(backoffDelayMs(2, top, DEFAULT_RETRY)).toBe(1999);
    expect(backoffDelayMs(10, top, DEFAULT_RETRY)).toBe(299_999);
    expect(backoffDelayMs(500, top, DEFAULT_RETRY)).toBe(299_999);
    expect(backoffDelayMs(1, () => 0, DEFAULT_RETRY)).toBe(MIN_RETRY_DELAY_MS);
    expect(backoffDelayMs(0, () => 0.5, DEFAULT_RETRY)).toBe(500);
  });

  it("survives a random source that breaks its contract", () => {
    expect(backoffDelayMs(3, () => Number.NaN, DEFAULT_RETRY)).toBe(MIN_RETRY_DELAY_MS);
    expect(backoffDelayMs(3, () => 7, DEFAULT_RETRY)).toBe(4000);
    expect(backoffDelayMs(3, () => -1, DEFAULT_RETRY)).toBe(MIN_RETRY_DELAY_MS);
  });

  it("stays within [250ms, min(cap, base * factor^(attempts-1))]", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempts, r) => {
          const delay = backoffDelayMs(attempts, () => r, DEFAULT_RETRY);
          const ceiling = Math.min(DEFAULT_RETRY.capMs, DEFAULT_RETRY.baseMs * 2 ** (attempts - 1));
          expect(delay).toBeGreaterThanOrEqual(MIN_RETRY_DELAY_MS);
          expect(delay).toBeLessThanOrEqual(Math.max(MIN_RETRY_DELAY_MS, ceiling));
        },
      ),
    );
  });
});

describe("decideDelivery: invariants", () => {
  const classification: fc.Arbitrary<Classification> = fc.oneof(
    fc.constant<Classification>({ kind: "delivered" }),
    fc.record({
      kind: fc.constant("throttled" as const),
      status: fc.constant(429),
      text: fc.string(),
      retryAfterMs: fc.option(fc.integer({ min: 0, max: 10 ** 9 })),
    }),
    fc.record({
      kind: fc.constant("bad_request" as const),
      status: fc.integer({ min: 400, max: 499 }),
      text: fc.string(),
    }),
    fc.record({
      kind: fc.constant("redirect" as const),
      status: fc.integer({ min: 300, max: 399 }),
      text: fc.string(),
    }),
    fc.record({
      kind: fc.constant("transient" as const),
      status: fc.option(fc.integer({ min: 500, max: 599 })),
      text: fc.string(),
    }),
  );

  it("never schedules anything in the past, and logs every failure", () => {
    fc.assert(
      fc.property(
        classification,
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 2 * 86_400_000 }),
        fc.integer({ min: 0, max: 10 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (c, attempts, age, streak, r) => {
          const d = decideDelivery(
            c,
            context({ attempts, queuedAtMs: NOW - age, consecutiveBadRequests: streak, random: () => r }),
          );
          if (d.message.action === "retry" || d.message.action === "wait") {
            expect(d.message.atMs).toBeGreaterThan(NOW);
          }
          if (d.message.action === "retry")
            expect(d.message.atMs - (NOW - age)).toBeLessThanOrEqual(DEFAULT_RETRY.maxAgeMs);
          expect(d.errorLog === null).toBe(c.kind === "delivered");
          expect(d.userMessage.length).toBeGreaterThan(0);
        },
      ),
    );
  });
});
