// Idle cost: requests while the tree has settled (should be none), requests while one instance is in a
// transitional state (the poller's back-off schedule), and status bar updates of a session far from its end,
// counted over both windows together.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startLocalSageMaker, type LocalSageMaker } from '../endpoint/server';
import { DEFAULT_POLLING } from '../../src/notebooks/poller';
import { credentialsFor, extensionApi, releaseEndpoint, useAwsFiles, type ExtensionApi } from '../integration/fixtures';
import { recordFigures, sleep, windowMs } from './figures';

/** Poll ticks the back-off schedule allows within `window` ms after tracking starts. */
function scheduledTicks(window: number): number[] {
  const ticks: number[] = [];
  let at = 0;
  for (
    let delay = DEFAULT_POLLING.firstDelayMs;
    at + delay <= window;
    delay = Math.min(DEFAULT_POLLING.maxDelayMs, delay * DEFAULT_POLLING.factor)
  ) {
    at += delay;
    ticks.push(at);
  }
  return ticks;
}

describe('Benchmark: idle cost', function () {
  this.timeout(300_000);
  let endpoint: LocalSageMaker;
  let api: ExtensionApi;
  const WINDOW = windowMs(30_000);

  before(async () => {
    // Transitions far longer than the run: the Pending instance stays Pending throughout.
    endpoint = await startLocalSageMaker({
      transitionMs: 3_600_000,
      seed: [
        { name: 'idle-a', status: 'InService' },
        { name: 'idle-b', status: 'Stopped' },
        { name: 'idle-c', status: 'InService' },
      ],
    });
    process.env.AWS_ENDPOINT_URL_SAGEMAKER = endpoint.url;
    useAwsFiles({
      config: '[default]\nregion = us-east-1\n',
      credentials: credentialsFor({ default: { key: DEFAULT_ACCESS_KEY_ID, secret: DEFAULT_SECRET_ACCESS_KEY } }),
    });
    api = await extensionApi();
    api.testing.ui.setOpenExternal(async () => true);
    api.connection.refresh();
  });

  after(() => releaseEndpoint(api, endpoint));

  it('costs no requests when settled, follows the back-off when transitional, and updates the timer once a minute', async () => {
    const listed = await api.instances.loadAll();
    const open = listed.find((i) => i.name === 'idle-a');
    assert.ok(open);
    await vscode.commands.executeCommand('sagemakerNotebooks.open', { kind: 'instance', instance: open });
    assert.strictEqual(api.sessions.sessions().length, 1, 'a session (12 h, far from its end) is running');
    // The timer's window: one minute where the idle windows allow it (they run meanwhile), starting a second
    // after the open so the session's first minute boundary is not on its edge.
    await sleep(1_000);
    const updatesBefore = api.sessions.view.updates;
    const timerWindow = Math.min(60_000, 2 * WINDOW);
    const timerUpdates = sleep(timerWindow).then(() => ({
      updates: api.sessions.view.updates - updatesBefore,
      text: api.sessions.view.text,
    }));

    // Window 1: everything settled.
    endpoint.resetLog();
    const settledPoller = api.instances.pollerState;
    await sleep(WINDOW);
    const settledRequests = endpoint.count();

    // Window 2: one instance Pending. The listing that finds it is not part of the window.
    endpoint.addInstance({ name: 'idle-pending', status: 'Pending' });
    api.connection.refresh();
    await api.instances.loadAll();
    const trackedAt = Date.now();
    endpoint.resetLog();
    const transitionalPoller = api.instances.pollerState;
    await sleep(WINDOW - (Date.now() - trackedAt));
    const transitional = endpoint.requests;
    const timer = await timerUpdates;

    recordFigures('idle', {
      windowMs: WINDOW,
      settled: { requests: settledRequests, poller: settledPoller },
      transitional: {
        requests: transitional.length,
        ops: transitional.map((r) => r.op),
        atMs: transitional.map((r) => r.startedAt - trackedAt),
        scheduledAtMs: scheduledTicks(WINDOW),
        poller: transitionalPoller,
      },
      steadyStatePerMinute: 60_000 / DEFAULT_POLLING.maxDelayMs,
    });
    recordFigures('timer', { windowMs: timerWindow, ...timer });
    assert.strictEqual(settledRequests, 0, 'no requests while settled');
  });
});
