// Kernels: a trivial cell's round trip and printing 10 MB through the extension (VS Code's notebook editor, our
// controller, the instance's Jupyter connection), against a direct @jupyterlab/services client on the same
// gateway in front of the same real Jupyter, signed in with its own presigned URL, measured in the same run.
import * as assert from 'assert';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { performance } from 'perf_hooks';
import * as vscode from 'vscode';
import WebSocket from 'ws';
import { KernelConnection } from '@jupyterlab/services/lib/kernel/default';
import { ServerConnection } from '@jupyterlab/services/lib/serverconnection';
import { startSession } from '@jupyterlab/services/lib/session/restapi';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startLocalSageMaker, type LocalSageMaker } from '../endpoint/server';
import { signedHeaders } from '../endpoint/testClient';
import { startJupyter, type RunningJupyter } from '../support/jupyter';
import {
  EXTENSION_ID,
  credentialsFor,
  extensionApi,
  instanceRow,
  releaseEndpoint,
  useAwsFiles,
  type ExtensionApi,
} from '../integration/fixtures';
import { median, recordFigures } from './figures';

const NAME = 'bench-kernels';
const TRIVIAL = '1+1';
const TEN_MB = "for _ in range(100_000):\n    print('x' * 99)"; // 100 000 lines of 100 bytes
const SAMPLES = 15;
const BIG_SAMPLES = 3;

/** A direct client: its own presigned URL, the gateway's cookie and Jupyter's `_xsrf`, @jupyterlab/services as is. */
async function directKernel(endpoint: LocalSageMaker): Promise<{ kernel: KernelConnection; close(): void }> {
  const body = JSON.stringify({ NotebookInstanceName: NAME, SessionExpirationDurationInSeconds: 1800 });
  const res = await fetch(`${endpoint.url}/`, {
    method: 'POST',
    headers: await signedHeaders(endpoint, 'CreatePresignedNotebookInstanceUrl', body),
    body,
  });
  const url = new URL(((await res.json()) as { AuthorizedUrl: string }).AuthorizedUrl);
  const cookies = new Map<string, string>();
  const keep = (r: Response) => {
    for (const c of r.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
  };
  const cookie = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  keep(await fetch(`${url.origin}/tree${url.search}`, { redirect: 'manual' }));
  keep(await fetch(`${url.origin}/tree`, { headers: { cookie: cookie() } }));
  const xsrf = cookies.get('_xsrf') ?? '';
  const origin = url.origin;
  class CookieWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers: { cookie: cookie(), origin } });
    }
  }
  const settings = ServerConnection.makeSettings({
    baseUrl: `${origin}/`,
    wsUrl: `${origin.replace('http', 'ws')}/`,
    token: '',
    appendToken: false,
    init: {},
    fetch: ((request: Request) => {
      request.headers.set('cookie', cookie());
      request.headers.set('x-xsrftoken', xsrf);
      return fetch(request);
    }) as typeof fetch,
    WebSocket: CookieWebSocket as unknown as typeof globalThis.WebSocket,
  });
  const model = await startSession(
    { path: 'bench-direct.ipynb', name: 'bench-direct.ipynb', type: 'notebook', kernel: { name: 'python3' } },
    settings,
  );
  const kernel = new KernelConnection({ model: model.kernel!, serverSettings: settings, handleComms: false });
  await kernel.info;
  return { kernel, close: () => kernel.dispose() };
}

async function runDirect(kernel: KernelConnection, code: string): Promise<{ ms: number; bytes: number }> {
  let bytes = 0;
  const t0 = performance.now();
  const future = kernel.requestExecute({ code, stop_on_error: true });
  future.onIOPub = (msg) => {
    if (msg.header.msg_type === 'stream') bytes += Buffer.byteLength((msg.content as { text: string }).text);
  };
  const reply = await future.done;
  assert.strictEqual(reply.content.status, 'ok');
  return { ms: performance.now() - t0, bytes };
}

/** Where a run's time went: ms from the command to each step (the controller's probe, then VS Code's events). */
type Steps = Record<string, number>;

/** Runs cell `index` through VS Code's command and waits for its end as the notebook reports it. */
async function runInVsCode(
  api: ExtensionApi,
  notebook: vscode.NotebookDocument,
  index: number,
): Promise<{ ms: number; bytes: number; steps: Steps }> {
  const streamed = api.testing.kernels.streamBytes;
  const steps: Steps = {};
  let t0 = 0;
  api.testing.kernels.probe = (step) => (steps[step] ??= performance.now() - t0);
  const cell = notebook.cellAt(index);
  const before = cell.executionSummary?.timing?.endTime;
  const ended = new Promise<number>((resolve) => {
    const sub = vscode.workspace.onDidChangeNotebookDocument((e) => {
      if (e.notebook !== notebook) return;
      const end = notebook.cellAt(index).executionSummary?.timing?.endTime;
      steps['first document change'] ??= performance.now() - t0;
      steps['document changes'] = (steps['document changes'] ?? 0) + 1;
      if (end !== undefined && end !== before) {
        sub.dispose();
        const now = performance.now();
        steps['end in the document'] = now - t0;
        resolve(now);
      }
    });
  });
  t0 = performance.now();
  await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: index, end: index + 1 }], document: notebook.uri });
  steps['command returned'] = performance.now() - t0;
  const t1 = await ended;
  api.testing.kernels.probe = undefined;
  assert.strictEqual(notebook.cellAt(index).executionSummary?.success, true);
  // Every byte went to VS Code (which keeps only the last few thousand lines of a stream in the cell).
  return { ms: t1 - t0, bytes: api.testing.kernels.streamBytes - streamed, steps };
}

/** The median time of each step over the runs, in the order of the first run. */
function medianSteps(runs: readonly Steps[]): Record<string, number> {
  const names = Object.keys(runs[0] ?? {}).sort((a, b) =>
    a === 'document changes' ? 1 : b === 'document changes' ? -1 : runs[0][a] - runs[0][b],
  );
  return Object.fromEntries(names.map((n) => [n, Math.round(median(runs.map((r) => r[n]).filter((v) => v !== undefined)) * 10) / 10]));
}

describe('Benchmark: kernels', function () {
  this.timeout(600_000);
  let jupyter: RunningJupyter;
  let endpoint: LocalSageMaker;
  let api: ExtensionApi;

  before(async () => {
    // Jupyter's default IOPub rate limit (1 MB/s) would stop sending 10 MB of output, to any client.
    jupyter = await startJupyter({ args: ['--NotebookApp.iopub_data_rate_limit=1e12'] });
    endpoint = await startLocalSageMaker({ seed: [{ name: NAME, status: 'InService', jupyterUpstream: jupyter.url }] });
    process.env.AWS_ENDPOINT_URL_SAGEMAKER = endpoint.url;
    useAwsFiles({
      config: '[default]\nregion = us-east-1\n',
      credentials: credentialsFor({ default: { key: DEFAULT_ACCESS_KEY_ID, secret: DEFAULT_SECRET_ACCESS_KEY } }),
    });
    api = await extensionApi();
    api.connection.refresh();
    await vscode.workspace.getConfiguration('sagemakerNotebooks').update('interface', 'jupyter', vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.files.saveAll');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('sagemakerNotebooks').update('interface', undefined, vscode.ConfigurationTarget.Global);
    await releaseEndpoint(api, endpoint);
    await jupyter.stop();
  });

  it('a trivial cell and printing 10 MB, through the extension and directly', async () => {
    const row = await instanceRow(api, NAME);
    await vscode.commands.executeCommand('sagemakerNotebooks.connectKernels', row);
    const id = api.testing.kernels.controllerIds(row.instance.arn).python3;
    assert.ok(id, 'a controller for python3');
    const file = join(mkdtempSync(join(tmpdir(), 'smn-bench-kernels-')), 'bench.ipynb');
    writeFileSync(
      file,
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 5,
        metadata: {},
        cells: [TRIVIAL, TEN_MB].map((source, i) => ({
          cell_type: 'code',
          id: `c${i}`,
          metadata: {},
          execution_count: null,
          outputs: [],
          source,
        })),
      }),
    );
    const notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
    await vscode.window.showNotebookDocument(notebook);
    await vscode.commands.executeCommand('notebook.selectKernel', { id, extension: EXTENSION_ID });
    const direct = await directKernel(endpoint);
    try {
      // Warm-up: sessions, sockets, JIT on both sides.
      for (let i = 0; i < 3; i++) {
        await runInVsCode(api, notebook, 0);
        await runDirect(direct.kernel, TRIVIAL);
      }
      const viaExtension: number[] = [];
      const viaDirect: number[] = [];
      const trivialSteps: Steps[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        viaDirect.push((await runDirect(direct.kernel, TRIVIAL)).ms);
        const e = await runInVsCode(api, notebook, 0);
        viaExtension.push(e.ms);
        trivialSteps.push(e.steps);
      }
      const bigExtension: number[] = [];
      const bigDirect: number[] = [];
      const bigSteps: Steps[] = [];
      let bytes = { extension: 0, direct: 0 };
      for (let i = 0; i < BIG_SAMPLES; i++) {
        const d = await runDirect(direct.kernel, TEN_MB);
        const e = await runInVsCode(api, notebook, 1);
        bigDirect.push(d.ms);
        bigExtension.push(e.ms);
        bigSteps.push(e.steps);
        bytes = { extension: e.bytes, direct: d.bytes };
      }
      // Where the time goes (ms from the command): the controller's steps (handler entered, kernel ready,
      // request sent, reply, execution ended) and VS Code's (the command's return, each document change).
      console.log(`      trivial cell steps (median ms): ${JSON.stringify(medianSteps(trivialSteps))}`);
      console.log(`      10 MB steps (median ms): ${JSON.stringify(medianSteps(bigSteps))}`);
      assert.strictEqual(bytes.extension, 10_000_000, 'the extension handed all 10 MB to VS Code');
      assert.strictEqual(bytes.direct, 10_000_000, 'the direct client got all 10 MB');
      recordFigures('kernels', {
        samples: SAMPLES,
        bigSamples: BIG_SAMPLES,
        trivialMs: median(viaExtension),
        trivialDirectMs: median(viaDirect),
        tenMbMs: median(bigExtension),
        tenMbDirectMs: median(bigDirect),
        trivialSteps: medianSteps(trivialSteps),
        tenMbSteps: medianSteps(bigSteps),
        raw: { viaExtension, viaDirect, bigExtension, bigDirect },
      });
    } finally {
      direct.close();
    }
  });
});
