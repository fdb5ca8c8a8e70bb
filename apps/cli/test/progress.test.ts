import { describe, expect, it } from "vitest";
import type { Io } from "../src/io.ts";
import { progress } from "../src/progress.ts";

function capture(interactive: boolean) {
  let err = "";
  const io: Io = {
    out: () => {},
    err: (t) => (err += t),
    interactive,
    env: {},
    readPiped: async () => undefined,
  };
  return { io, err: () => err };
}

describe("progress", () => {
  it("prints a line per tenth of the work in a log", () => {
    const c = capture(false);
    const p = progress(c.io, "re-encrypting");
    for (let done = 0; done <= 1000; done += 10) p.update(done, 1000);
    p.finish();
    const lines = c.err().trim().split("\n");
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe("re-encrypting: 0/1000 (0%)");
    expect(lines.at(-1)).toBe("re-encrypting: 1000/1000 (100%)");
  });

  it("redraws one line on a terminal and ends it when done", () => {
    const c = capture(true);
    const p = progress(c.io, "re-keying");
    p.update(1, 4);
    p.update(4, 4);
    p.finish();
    expect(c.err()).toBe(
      "\rre-keying [######..................] 1/4\rre-keying [########################] 4/4\n",
    );
  });
});
