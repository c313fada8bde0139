import type { Clock } from "plugkit";

/** A clock that starts at the real time and moves only when told to. */
export class TestClock implements Clock {
  private offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  advance(seconds: number): void {
    this.offset += seconds * 1000;
  }
}
