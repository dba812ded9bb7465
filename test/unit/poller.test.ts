import * as assert from 'assert';
import { TransitionPoller } from '../../src/notebooks/poller';
import { FakeClock } from './support/fakeClock';
import type { NotebookInstance } from '../../src/shared/instance';

const nb = (name: string, status: string): NotebookInstance => ({ name, arn: `arn:${name}`, region: 'us-east-1', status });

describe('TransitionPoller', () => {
  it('schedules nothing when every instance is settled', () => {
    const clock = new FakeClock();
    const poller = new TransitionPoller(
      async () => undefined,
      () => undefined,
      clock,
    );
    poller.track([nb('a', 'InService'), nb('b', 'Stopped'), nb('c', 'Failed')]);
    assert.deepStrictEqual(clock.pending, []);
  });

  it('describes only transitional instances, backs off, and stops once they settle', async () => {
    const clock = new FakeClock();
    const described: string[] = [];
    const states = ['Pending', 'Pending', 'InService'];
    const updates: string[] = [];
    const poller = new TransitionPoller(
      async (i) => {
        described.push(i.name);
        return nb(i.name, states.shift()!);
      },
      (fresh) => updates.push(fresh!.status),
      clock,
      { firstDelayMs: 1000, maxDelayMs: 2000, factor: 1.5 },
    );
    poller.track([nb('a', 'InService'), nb('p', 'Pending')]);
    assert.deepStrictEqual(clock.pending, [1000]);
    await clock.fire();
    assert.deepStrictEqual(clock.pending, [1500]);
    await clock.fire();
    assert.deepStrictEqual(clock.pending, [2000], 'capped at maxDelayMs');
    await clock.fire();
    assert.deepStrictEqual(described, ['p', 'p', 'p']);
    assert.deepStrictEqual(updates, ['InService'], 'only a change is reported');
    assert.deepStrictEqual(clock.pending, [], 'no polling after it settled');
  });

  it('pauses while the view is hidden and resumes when shown', async () => {
    const clock = new FakeClock();
    const poller = new TransitionPoller(
      async (i) => i,
      () => undefined,
      clock,
    );
    poller.track([nb('p', 'Stopping')]);
    poller.setPaused(true);
    assert.deepStrictEqual(clock.pending, []);
    poller.setPaused(false);
    assert.strictEqual(clock.pending.length, 1);
  });

  it('reports an instance that disappeared and forgets it', async () => {
    const clock = new FakeClock();
    const gone: string[] = [];
    const poller = new TransitionPoller(
      async () => undefined,
      (fresh, prev) => !fresh && gone.push(prev.name),
      clock,
    );
    poller.track([nb('d', 'Deleting')]);
    await clock.fire();
    assert.deepStrictEqual(gone, ['d']);
    assert.strictEqual(poller.watching, 0);
  });

  it('keeps polling after a failed describe', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const poller = new TransitionPoller(
      async (i) => {
        if (++calls === 1) throw new Error('throttled');
        return i;
      },
      () => undefined,
      clock,
    );
    poller.track([nb('p', 'Pending')]);
    await clock.fire();
    assert.strictEqual(poller.watching, 1);
    assert.strictEqual(clock.pending.length, 1);
  });
});
