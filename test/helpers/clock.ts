import type { Clock } from "plugkit";

/** A clock that starts at the real time and then stands still, moving only when told to. */
export class TestClock implements Clock {
  private current = Date.now();
  now(): number {
    return this.current;
  }
  advance(seconds: number): void {
    this.current += seconds * 1000;
  }
}
