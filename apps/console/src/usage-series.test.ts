import { describe, expect, it } from "vitest";
import { fillDays, quotaBurn, toCsv } from "./usage-series.ts";

const zero = {
  messagesAccepted: 0,
  messagesSent: 0,
  messagesFailed: 0,
  messagesThrottled: 0,
  webhooksAdded: 0,
};

describe("fillDays", () => {
  it("gives every day of the window, oldest first, with the api's figures where it has them", () => {
    const days = fillDays(
      [
        { ...zero, day: "2026-11-23", messagesSent: 5, messagesFailed: 1 },
        { ...zero, day: "2026-11-01T00:00:00.000Z", messagesThrottled: 2 },
        { ...zero, day: "2026-10-01", messagesSent: 9 },
      ],
      new Date("2026-11-23T13:00:00Z"),
    );
    expect(days).toHaveLength(30);
    expect(days[0]?.day).toBe("2026-10-25");
    expect(days.at(-1)).toEqual({ day: "2026-11-23", sent: 5, failed: 1, throttled: 0 });
    expect(days.find((d) => d.day === "2026-11-01")).toEqual({
      day: "2026-11-01",
      sent: 0,
      failed: 0,
      throttled: 2,
    });
    expect(days.reduce((n, d) => n + d.sent, 0)).toBe(5);
  });
});

describe("quotaBurn", () => {
  it("carries the pace so far to the end of the month", () => {
    // 10 days into a 31-day month, 100 messages: 10 a day, 310 by the end.
    const burn = quotaBurn(100, 500, new Date("2026-12-11T00:00:00Z"));
    expect(burn.projected).toBe(310);
    expect(burn.runsOutAt).toBeNull();
    expect(burn.monthEnd.toISOString()).toBe("2026-12-31T23:59:59.999Z");
  });

  it("says when the limit is reached at this pace", () => {
    const burn = quotaBurn(200, 500, new Date("2026-12-11T00:00:00Z"));
    expect(burn.projected).toBe(620);
    expect(burn.runsOutAt?.toISOString()).toBe("2026-12-26T00:00:00.000Z");
  });

  it("counts at least a day, and never projects less than what is used", () => {
    expect(quotaBurn(40, null, new Date("2026-12-01T01:00:00Z")).projected).toBe(1240);
    expect(quotaBurn(0, 500, new Date("2026-12-20T00:00:00Z"))).toMatchObject({
      projected: 0,
      runsOutAt: null,
    });
    expect(quotaBurn(600, 500, new Date("2026-12-31T12:00:00Z")).runsOutAt?.toISOString()).toBe(
      "2026-12-31T12:00:00.000Z",
    );
  });
});

describe("toCsv", () => {
  it("quotes what needs quoting and defuses formulas", () => {
    expect(
      toCsv([
        ["channel", "sent"],
        ['Ops, "night"', 3],
        ["=HYPERLINK(1)", 0],
      ]),
    ).toBe('channel,sent\r\n"Ops, ""night""",3\r\n\'=HYPERLINK(1),0\r\n');
  });
});
