// A clock tests set by hand: usage days and months, trial ends, quota months and throttle windows follow it. Time
// still flows from the moment it was set, as a real clock's does, so that the worker's rate
// windows, waits and caches (which read the same clock) behave as they would in production.
import type { Clock } from "@herald/api";

export class ManualClock implements Clock {
  private offsetMs: number;

  constructor(start: Date | string = new Date()) {
    this.offsetMs = new Date(start).getTime() - Date.now();
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  set(at: Date | string): void {
    this.offsetMs = new Date(at).getTime() - Date.now();
  }

  advanceDays(days: number): void {
    this.offsetMs += days * 86_400_000;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
