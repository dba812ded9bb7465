// A clock for unit tests: time moves only when the test fires the next timer.
import * as assert from 'assert';
import type { Clock } from '../../../src/shared/clock';

export class FakeClock implements Clock {
  constructor(public time = 0) {}
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private next = 1;
  now() {
    return this.time;
  }
  setTimeout(fn: () => void, ms: number) {
    const id = this.next++;
    this.timers.push({ at: this.time + ms, fn, id });
    return id;
  }
  clearTimeout(id: unknown) {
    this.timers = this.timers.filter((t) => t.id !== id);
  }
  /** How long until each scheduled timer fires. */
  get pending() {
    return this.timers.map((t) => t.at - this.time);
  }
  /** Runs the next timer and lets the promises it started settle. */
  async fire() {
    this.timers.sort((a, b) => a.at - b.at);
    const t = this.timers.shift();
    assert.ok(t, 'no timer scheduled');
    this.time = Math.max(this.time, t.at); // a timer fires late, never early, after a jump forward
    t.fn();
    await settle();
  }
  /** Fires every timer due up to `time`, in order, then sets the clock to it. */
  async advanceTo(time: number) {
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      if (!this.timers.length || this.timers[0].at > time) break;
      await this.fire();
    }
    this.time = time;
    await settle();
  }
}

/** Lets chains of resolved promises run to their end. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}
