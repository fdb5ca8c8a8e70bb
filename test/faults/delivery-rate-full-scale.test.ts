// Microsoft's own legacy windows (4/1 s, 60/30 s, 100/1 h, ...), the defaults every operator runs,
// honoured exactly at full scale: 110 messages back to back. About 45 s by design of the windows,
// so it runs with the fault suite; integration/delivery-rate.test.ts runs them scaled down.
import { describe, it } from "vitest";
import { legacyBurst } from "../support/legacy-burst.ts";

describe("legacy connector rate windows at full scale", () => {
  it("sends 110 back-to-back messages without a single window violation, holding the last 10", async () => {
    await legacyBurst({ scale: 1 });
  });
});
