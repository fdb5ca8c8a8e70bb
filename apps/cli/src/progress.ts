import type { Io } from "./io.ts";

export interface Progress {
  update(done: number, total: number): void;
  finish(): void;
}

const BAR = 24;

/**
 * Progress of a long command on stderr: a redrawn bar on a terminal, and a line per tenth of the
 * work in a log (so `docker logs` shows it moving without a line per row).
 */
export function progress(io: Io, label: string): Progress {
  let lastTenth = -1;
  let last = "";
  let open = false;
  return {
    update(done, total) {
      const fraction = total === 0 ? 1 : Math.min(1, done / total);
      const text = `${label}: ${done}/${total} (${Math.floor(fraction * 100)}%)`;
      if (io.interactive) {
        const filled = Math.round(fraction * BAR);
        io.err(`\r${label} [${"#".repeat(filled)}${".".repeat(BAR - filled)}] ${done}/${total}`);
        open = true;
      } else {
        const tenth = Math.floor(fraction * 10);
        if (tenth !== lastTenth && text !== last) io.err(`${text}\n`);
        lastTenth = tenth;
      }
      last = text;
    },
    finish() {
      if (open) io.err("\n");
      open = false;
    },
  };
}
