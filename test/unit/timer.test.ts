import * as assert from 'assert';
import { activeSessions, durationInWords, formatRemaining, nextUpdateIn, phase, remaining, statusText } from '../../src/session/timer';
import type { NotebookSession } from '../../src/session/session';

const MIN = 60_000;
const session = (name: string, expiresAt: number): NotebookSession => ({
  profile: 'default',
  region: 'us-east-1',
  arn: `arn:${name}`,
  name,
  target: 'browser',
  ui: 'jupyterlab',
  startedAt: 0,
  expiresAt,
});

describe('session timer', () => {
  it('shows hours and minutes with units, and m:ss with a unit only in the last ten minutes', () => {
    assert.strictEqual(formatRemaining(12 * 60 * MIN), '12h 0m');
    assert.strictEqual(formatRemaining(12 * 60 * MIN - 1), '12h 0m', 'rounds up to the next minute');
    assert.strictEqual(formatRemaining(11 * 60 * MIN + 59 * MIN), '11h 59m');
    assert.strictEqual(formatRemaining(61 * MIN + 1), '1h 2m');
    assert.strictEqual(formatRemaining(60 * MIN), '1h 0m');
    assert.strictEqual(formatRemaining(30 * MIN), '30m');
    assert.strictEqual(formatRemaining(10 * MIN + 1), '11m');
    assert.strictEqual(formatRemaining(10 * MIN), '10:00 min');
    assert.strictEqual(formatRemaining(59_001), '1:00 min');
    assert.strictEqual(formatRemaining(30_000), '0:30 min');
    assert.strictEqual(formatRemaining(1), '0:01 min');
    assert.strictEqual(formatRemaining(0), '0:00 min');
  });

  it('never shows thirty minutes and thirty seconds alike', () => {
    assert.notStrictEqual(formatRemaining(30 * MIN), formatRemaining(30_000));
  });

  it('says the time in words for sentences, singular and plural', () => {
    assert.strictEqual(durationInWords(30 * MIN), '30 minutes');
    assert.strictEqual(durationInWords(MIN), '1 minute');
    assert.strictEqual(durationInWords(60 * MIN), '1 hour');
    assert.strictEqual(durationInWords(61 * MIN), '1 hour 1 minute');
    assert.strictEqual(durationInWords(11 * 60 * MIN + 59 * MIN + 1), '12 hours');
    assert.strictEqual(durationInWords(2 * 60 * MIN + 5 * MIN), '2 hours 5 minutes');
    assert.strictEqual(durationInWords(45_000), '45 seconds');
    assert.strictEqual(durationInWords(1_000), '1 second');
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
    assert.strictEqual(statusText([s], 0, 10 * MIN)!.text, '$(watch) nb 12h 0m');
    // the laptop sleeps for 11 h 55 min
    assert.strictEqual(statusText([s], 11 * 60 * MIN + 55 * MIN, 10 * MIN)!.text, '$(warning) nb 5:00 min');
    // the clock is set back an hour
    assert.strictEqual(statusText([s], 10 * 60 * MIN + 55 * MIN, 10 * MIN)!.text, '$(watch) nb 1h 5m');
    // past the end
    assert.strictEqual(statusText([s], 13 * 60 * MIN, 10 * MIN)!.text, '$(error) nb ended');
    assert.strictEqual(remaining(13 * 60 * MIN, s.expiresAt), 0);
  });

  it('shows the session that ends soonest and counts the others', () => {
    const sessions = [session('late', 5 * 60 * MIN), session('soon', 30 * MIN), session('mid', 60 * MIN)];
    const text = statusText(sessions, 0, 10 * MIN)!;
    assert.strictEqual(text.text, '$(watch) soon 30m +2');
    assert.strictEqual(text.accessibility, 'Notebook session soon, 30 minutes left, 2 more sessions');
    assert.strictEqual(statusText(sessions.slice(1), 0, 10 * MIN)!.accessibility, 'Notebook session soon, 30 minutes left, 1 more session');
    assert.deepStrictEqual(
      activeSessions(sessions, 45 * MIN).map((s) => s.name),
      ['mid', 'late'],
    );
    assert.strictEqual(statusText([], 0, 10 * MIN), undefined);
  });
});
