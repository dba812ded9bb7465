import * as assert from 'assert';
import { startupLogText } from '../../../src/manage/startupLogText';

describe('startup log text', () => {
  it('puts the failure reason on top, links the scripts, then each stream with times', () => {
    const text = startupLogText({
      name: 'nb',
      region: 'us-east-1',
      status: 'Failed',
      failureReason: 'took longer than 5 minutes',
      lifecycleConfigName: 'deps',
      scriptLinks: {
        onCreate: 'sagemaker-lifecycle:/us-east-1/deps/on-create.sh',
        onStart: 'sagemaker-lifecycle:/us-east-1/deps/on-start.sh',
      },
      streams: [
        { hook: 'OnCreate' },
        { hook: 'OnStart', lines: [{ timestamp: Date.UTC(2026, 0, 1, 10, 0, 0), message: '+ pip install x' }] },
      ],
      following: false,
    });
    const lines = text.split('\n');
    assert.strictEqual(lines[0], 'Startup log of notebook instance nb (us-east-1) — Failed');
    assert.strictEqual(lines[2], 'Failure reason: took longer than 5 minutes');
    assert.ok(text.includes('OnStart script:  sagemaker-lifecycle:/us-east-1/deps/on-start.sh'));
    assert.ok(text.includes('── nb/LifecycleConfigOnCreate ──\n(no log: this script has not written anything)'));
    assert.ok(text.includes('2026-01-01 10:00:00Z  + pip install x'));
    assert.ok(text.trimEnd().endsWith('(end of log)'));
  });

  it('wraps a long failure reason at spaces', () => {
    const reason = 'word '.repeat(60).trim();
    const text = startupLogText({
      name: 'nb',
      region: 'us-east-1',
      status: 'Failed',
      failureReason: reason,
      streams: [],
      following: false,
    });
    const lines = text.split('\n').filter((l) => l.includes('word'));
    assert.ok(lines.length > 1 && lines.every((l) => l.length <= 100), lines.join('\n'));
    assert.strictEqual(lines.join(' ').replace(/\s+/g, ' '), `Failure reason: ${reason}`);
  });

  it('says which permission is missing and that no script is attached', () => {
    const text = startupLogText({
      name: 'nb',
      region: 'eu-west-1',
      status: 'Pending',
      streams: [],
      problem: 'Cannot read: logs:GetLogEvents',
      following: true,
    });
    assert.ok(text.includes('No lifecycle configuration is attached'));
    assert.ok(text.includes('Cannot read: logs:GetLogEvents'));
    assert.ok(text.includes('following the log'));
  });
});
