// Open: requests per open of an InService instance and the time from the command to the opener, against
// one bare signed request to the same endpoint with the same injected latency, measured in the same run.
import * as assert from 'assert';
import { performance } from 'perf_hooks';
import * as vscode from 'vscode';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startLocalSageMaker, type LocalSageMaker } from '../endpoint/server';
import { signedHeaders } from '../endpoint/testClient';
import { credentialsFor, extensionApi, releaseEndpoint, useAwsFiles, type ExtensionApi } from '../integration/fixtures';
import { median, recordFigures } from './figures';

const OP = 'CreatePresignedNotebookInstanceUrl';
const LATENCY_MS = 50;
const SAMPLES = 7;

describe('Benchmark: open', function () {
  this.timeout(120_000);
  let endpoint: LocalSageMaker;
  let api: ExtensionApi;
  let calledAt: number | undefined;

  before(async () => {
    endpoint = await startLocalSageMaker({ seed: [{ name: 'bench-open', status: 'InService' }] });
    process.env.AWS_ENDPOINT_URL_SAGEMAKER = endpoint.url;
    useAwsFiles({
      config: '[default]\nregion = us-east-1\n',
      credentials: credentialsFor({ default: { key: DEFAULT_ACCESS_KEY_ID, secret: DEFAULT_SECRET_ACCESS_KEY } }),
    });
    api = await extensionApi();
    api.connection.refresh();
    api.testing.ui.setOpenExternal(async () => {
      calledAt = performance.now();
      return true;
    });
    endpoint.inject(OP, { latencyMs: LATENCY_MS });
  });

  after(() => releaseEndpoint(api, endpoint));

  it('opens an InService instance with one request, close to one round trip', async () => {
    const instance = (await api.instances.loadAll()).find((i) => i.name === 'bench-open');
    assert.ok(instance, 'bench-open is listed');
    const node = { kind: 'instance' as const, instance };

    const body = JSON.stringify({ NotebookInstanceName: 'bench-open', SessionExpirationDurationInSeconds: 1800 });
    const bare = async () => {
      const t0 = performance.now();
      const headers = await signedHeaders(endpoint, OP, body);
      const res = await fetch(`${endpoint.url}/`, { method: 'POST', headers, body });
      await res.text();
      assert.strictEqual(res.status, 200);
      return performance.now() - t0;
    };
    const open = async () => {
      calledAt = undefined;
      const t0 = performance.now();
      await vscode.commands.executeCommand('sagemakerNotebooks.open', node);
      assert.ok(calledAt !== undefined, 'the opener was called');
      return calledAt - t0;
    };

    await bare(); // warm-up: connection, the notebook gateway, JIT
    await open();
    const roundTrips: number[] = [];
    const opens: number[] = [];
    endpoint.resetLog();
    let requests = 0;
    for (let i = 0; i < SAMPLES; i++) {
      roundTrips.push(await bare());
      const before = endpoint.count();
      opens.push(await open());
      requests += endpoint.count() - before;
    }
    recordFigures('open', {
      samples: SAMPLES,
      latencyMs: LATENCY_MS,
      roundTripMs: median(roundTrips),
      openMs: median(opens),
      requestsPerOpen: requests / SAMPLES,
      ops: [...new Set(endpoint.requests.map((r) => r.op))],
      raw: { roundTrips, opens },
    });
    assert.strictEqual(requests / SAMPLES, 1, 'one request per open');
  });
});
