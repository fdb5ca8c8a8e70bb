import { describe, expect, it } from "vitest";
import { fillDays } from "./usage-series.ts";

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
