// A clock tests move by hand: usage days and months, trial ends, quota months and throttle windows follow it.
import type { Clock } from "@herald/api";

export class ManualClock implements Clock {
  private ms: number;

  constructor(start: Date | string = new Date()) {
    this.ms = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.ms);
  }

  set(at: Date | string): void {
    this.ms = new Date(at).getTime();
  }

  advanceDays(days: number): void {
    this.ms += days * 86_400_000;
  }

  advance(ms: number): void {
    this.ms += ms;
  }
}
