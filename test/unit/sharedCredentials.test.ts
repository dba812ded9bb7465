import * as assert from 'assert';
import { sharedCredentials } from '../../src/aws/notebookApi';

describe('sharedCredentials', () => {
  it('resolves once for concurrent callers (one MFA prompt for all regions)', async () => {
    let calls = 0;
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    const provider = sharedCredentials(async () => {
      calls++;
      await answered; // still resolving while all three ask
      return { accessKeyId: 'A', secretAccessKey: 'S' };
    });
    const all = Promise.all([provider(), provider(), provider()]);
    answer();
    await all;
    assert.strictEqual(calls, 1);
  });

  it('resolves again after a failure and when the credentials are about to expire', async () => {
    let now = 0;
    let calls = 0;
    const provider = sharedCredentials(
      async () => {
        calls++;
        if (calls === 1) throw new Error('MFA cancelled');
        return { accessKeyId: 'A', secretAccessKey: 'S', expiration: new Date(now + 10 * 60_000) };
      },
      () => now,
    );
    await assert.rejects(provider(), /MFA cancelled/);
    await provider();
    assert.strictEqual(calls, 2);
    now += 6 * 60_000; // within five minutes of expiry
    await provider();
    assert.strictEqual(calls, 3);
  });
});
