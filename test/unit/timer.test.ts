import * as assert from 'assert';
import { activeSessions, formatRemaining, nextUpdateIn, phase, remaining, statusText } from '../../src/session/timer';
import type { NotebookSession } from '../../src/session/session';

const MIN = 60_000;
const session = (name: string, expiresAt: number): NotebookSession => ({
  profile: 'default', region: 'us-east-1', arn: `arn:${name}`, name, target: 'browser', ui: 'jupyterlab', startedAt: 0, expiresAt,
});

describe('session timer', () => {
  it('formats h:mm above ten minutes and m:ss within the last ten', () => {
    assert.strictEqual(formatRemaining(12 * 60 * MIN), '12:00');
    assert.strictEqual(formatRemaining(61 * MIN + 1), '1:02', 'rounds up to the next minute');
    assert.strictEqual(formatRemaining(10 * MIN + 1), '0:11');
    assert.strictEqual(formatRemaining(10 * MIN), '10:00');
    assert.strictEqual(formatRemaining(59_001), '1:00');
    assert.strictEqual(formatRemaining(1), '0:01');
    assert.strictEqual(formatRemaining(0), '0:00');
  });

  it('enters the warning phase at the threshold and expires at zero', () => {
    assert.strictEqual(phase(10 * MIN + 1, 10 * MIN), 'running');
    assert.strictEqual(phase(10 * MIN, 10 * MIN), 'warning');
    assert.strictEqual(phase(0, 10 * MIN), 'expired');
  });

  it('updates once a minute far from the end, once a second near it, and wakes at the warning threshold', () => {
    assert.strictEqual(nextUpdateIn(2 * 60 * MIN + 30_000, 10 * MIN), 30_000);
    assert.strictEqual(nextUpdateIn(2 * 60 * MIN, 10 * MIN), MIN);
    assert.strictEqual(nextUpdateIn(5 * MIN + 1500, 10 * MIN), 500, 'the next whole second');
    assert.strictEqual(nextUpdateIn(20 * MIN + 5_000, 20 * MIN), 5_000, 'a custom warning threshold is hit exactly');
    assert.strictEqual(nextUpdateIn(0, 10 * MIN), Number.POSITIVE_INFINITY);
  });

  it('is right after a clock jump forward (sleep) and backward, because it uses only the wall clock', () => {
    const s = session('nb', 12 * 60 * MIN);
    assert.strictEqual(statusText([s], 0, 10 * MIN)!.text, '$(watch) nb 12:00');
    // the laptop sleeps for 11 h 55 min
    assert.strictEqual(statusText([s], 11 * 60 * MIN + 55 * MIN, 10 * MIN)!.text, '$(warning) nb 5:00');
    // the clock is set back an hour
    assert.strictEqual(statusText([s], 10 * 60 * MIN + 55 * MIN, 10 * MIN)!.text, '$(watch) nb 1:05');
    // past the end
    assert.strictEqual(statusText([s], 13 * 60 * MIN, 10 * MIN)!.text, '$(error) nb ended');
    assert.strictEqual(remaining(13 * 60 * MIN, s.expiresAt), 0);
  });

  it('shows the session that ends soonest and counts the others', () => {
    const sessions = [session('late', 5 * 60 * MIN), session('soon', 30 * MIN), session('mid', 60 * MIN)];
    const text = statusText(sessions, 0, 10 * MIN)!;
    assert.strictEqual(text.text, '$(watch) soon 0:30 +2');
    assert.strictEqual(text.accessibility, 'Notebook session soon, 0:30 left, 2 more sessions');
    assert.deepStrictEqual(activeSessions(sessions, 45 * MIN).map((s) => s.name), ['mid', 'late']);
    assert.strictEqual(statusText([], 0, 10 * MIN), undefined);
  });
});
