// A wake-up that is never lost. The claim loop (and a sendMessage call waiting for its outcome)
// is woken by events that may arrive while it is busy (claiming, working out how long to sleep,
// re-reading a message) rather than asleep; such a ring is kept, and the next wait returns at once.
export class WakeUp {
  private rung = false;
  private waking: (() => void) | undefined;

  ring(): void {
    if (this.waking) this.waking();
    else this.rung = true;
  }

  /** Forgets rings so far: the caller is about to look for the work they announced. */
  clear(): void {
    this.rung = false;
  }

  /** Resolves after `ms`, at the next ring, or at once if a ring came since the last wait or clear. */
  wait(ms: number): Promise<void> {
    if (this.rung) {
      this.rung = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waking = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waking = done;
    });
  }
}
