// Teams' legacy windows (4/1 s, 60/30 s, 100/1 h, ...) per webhook URL, honoured exactly: 110
// messages back to back. The windows run five times faster here, in Herald and in the emulator that
// judges it alike; test/faults/delivery-rate-full-scale.test.ts runs Microsoft's own once.
import { describe, inject, it } from "vitest";
import { legacyBurst } from "../support/legacy-burst.ts";

const engine = inject("engine");

describe("legacy connector rate windows (five times faster)", () => {
  it("sends 110 back-to-back messages without a single window violation, holding the last 10", async () => {
    await legacyBurst({ scale: 5 });
  });

  it.skipIf(engine !== "postgres")("holds with two worker processes sharing one PostgreSQL", async () => {
    await legacyBurst({ scale: 5, twoWorkerProcesses: true });
  });
});
