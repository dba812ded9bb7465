// Watches instances in a transitional status and nothing else: one Describe per instance per tick, a
// growing interval, and no timer at all when everything has settled or the view is hidden.
import { systemClock, type Clock } from '../shared/clock';
import type { NotebookInstance } from '../shared/instance';
import { isTransitional } from '../shared/instance';

export interface PollerOptions {
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
  readonly factor: number;
}

export const DEFAULT_POLLING: PollerOptions = { firstDelayMs: 3_000, maxDelayMs: 30_000, factor: 1.5 };

export class TransitionPoller {
  private readonly watched = new Map<string, NotebookInstance>();
  private timer: unknown;
  private delay: number;
  private paused = false;
  private running = false;

  constructor(
    /** Describes one instance; returns undefined when it no longer exists. */
    private readonly describe: (instance: NotebookInstance) => Promise<NotebookInstance | undefined>,
    /** Called with the fresh state (or undefined and the old one when it disappeared). */
    private readonly onUpdate: (fresh: NotebookInstance | undefined, previous: NotebookInstance) => void,
    private readonly clock: Clock = systemClock,
    private readonly options: PollerOptions = DEFAULT_POLLING,
  ) {
    this.delay = options.firstDelayMs;
  }

  /** Replaces what is watched with the transitional instances among these. */
  track(instances: Iterable<NotebookInstance>, { reset = false } = {}): void {
    for (const i of instances) {
      if (isTransitional(i.status)) this.watched.set(i.arn, i);
      else this.watched.delete(i.arn);
    }
    if (reset) this.delay = this.options.firstDelayMs;
    this.schedule();
  }

  clear(): void {
    this.watched.clear();
    this.cancel();
    this.delay = this.options.firstDelayMs;
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
    if (paused) this.cancel();
    else this.schedule();
  }

  get watching(): number {
    return this.watched.size;
  }

  get scheduled(): boolean {
    return this.timer !== undefined;
  }

  dispose(): void {
    this.clear();
  }

  private schedule(): void {
    if (this.paused || this.running || this.timer !== undefined || this.watched.size === 0) return;
    this.timer = this.clock.setTimeout(() => void this.tick(), this.delay);
  }

  private cancel(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    this.running = true;
    try {
      await Promise.all(
        [...this.watched.values()].map(async (previous) => {
          let fresh: NotebookInstance | undefined;
          try {
            fresh = await this.describe(previous);
          } catch {
            return; // a failed poll keeps the old state; the next tick tries again
          }
          if (!this.watched.has(previous.arn)) return; // cleared while in flight
          if (!fresh || !isTransitional(fresh.status)) this.watched.delete(previous.arn);
          else this.watched.set(previous.arn, fresh);
          if (!fresh || fresh.status !== previous.status || fresh.lastModifiedTime?.getTime() !== previous.lastModifiedTime?.getTime()) {
            this.onUpdate(fresh, previous);
          }
        }),
      );
    } finally {
      this.running = false;
      this.delay = Math.min(this.options.maxDelayMs, this.delay * this.options.factor);
      this.schedule();
    }
  }
}
