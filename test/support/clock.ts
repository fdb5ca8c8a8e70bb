// A clock tests set by hand: usage days and months, trial ends, quota months and throttle windows follow it. Time
// still flows from the moment it was set, as a real clock's does, so that the worker's rate
// windows, waits and caches (which read the same clock) behave as they would in production.
import type { Clock } from "@herald/api";

export class ManualClock implements Clock {
  private offsetMs: number;
  private heldAt: number | null = null;

  constructor(start: Date | string = new Date()) {
    this.offsetMs = new Date(start).getTime() - Date.now();
  }

  now(): Date {
    return new Date(this.heldAt ?? Date.now() + this.offsetMs);
  }

  /**
   * Stops time at `at` (default: now) until `flow()`: for a burst that must land in one fixed
   * window however slow the machine is. Keep holds short; the worker's waits read this clock too.
   */
  hold(at: Date | string = this.now()): void {
    this.heldAt = new Date(at).getTime();
  }

  /** Lets time flow again from where it was held. */
  flow(): void {
    if (this.heldAt === null) return;
    this.offsetMs = this.heldAt - Date.now();
    this.heldAt = null;
  }

  set(at: Date | string): void {
    this.heldAt = null;
    this.offsetMs = new Date(at).getTime() - Date.now();
  }

  advanceDays(days: number): void {
    this.advance(days * 86_400_000);
  }

  advance(ms: number): void {
    if (this.heldAt !== null) this.heldAt += ms;
    this.offsetMs += ms;
  }
}
