/**
 * A clock that moves only when told: the sandbox's time (issue 19). A test run starts it at the
 * real instant and advances it to the next due item, so that a 15-minute wait passes at once.
 */
import type { Clock } from "../ports.js";

export class SimulatedClock implements Clock {
  private at: number;

  constructor(start: Date) {
    this.at = start.getTime();
  }

  now(): Date {
    return new Date(this.at);
  }

  /** Moves time forward by `ms` (never back). */
  advance(ms: number): void {
    if (ms > 0) this.at += ms;
  }
}
