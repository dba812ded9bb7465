// Notebooks on the instance's kernels, in VS Code's own notebook editor: real VS Code (code-server), the
// local gateway in front of a real Jupyter (Debian's), @jupyterlab/services through the instance's connection.
import * as assert from 'assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startLocalSageMaker, type LocalSageMaker } from '../endpoint/server';
import type { RunningJupyter } from '../support/jupyter';
import { startJupyterLab } from '../support/jupyterLab';
import {
  EXTENSION_ID,
  credentialsFor,
  extensionApi,
  instanceRow,
  releaseEndpoint,
  useAwsFiles,
  waitFor,
  type ExtensionApi,
} from './fixtures';

const NAME = 'kernels-nb';
const decoder = new TextDecoder();
const folder = mkdtempSync(join(tmpdir(), 'smn-kernels-'));
let counter = 0;

/** A local .ipynb with these code cells, open in the notebook editor. */
async function openNotebook(cells: string[]): Promise<vscode.NotebookDocument> {
  const file = join(folder, `local-${++counter}.ipynb`);
  writeFileSync(
    file,
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
      cells: cells.map((source, i) => ({ cell_type: 'code', id: `c${i}`, metadata: {}, execution_count: null, outputs: [], source })),
    }),
  );
  return openFile(file);
}

/** Opens the file as the user would (the API's openNotebookDocument would keep the document open after its editor closes). */
async function openFile(file: string): Promise<vscode.NotebookDocument> {
  await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(file), 'jupyter-notebook');
  return waitFor('the notebook to open', () =>
    vscode.window.activeNotebookEditor?.notebook.uri.fsPath === file ? vscode.window.activeNotebookEditor.notebook : undefined,
  );
}

async function selectKernel(api: ExtensionApi, notebook: vscode.NotebookDocument, arn: string, spec = 'python3'): Promise<void> {
  if (!api.testing.kernels.controllerIds(arn)[spec])
    await vscode.commands.executeCommand('sagemakerNotebooks.connectKernels', await instanceRow(api, NAME));
  const id = api.testing.kernels.controllerIds(arn)[spec];
  assert.ok(id, `a controller for ${spec}`);
  if (vscode.window.activeNotebookEditor?.notebook !== notebook) await vscode.window.showNotebookDocument(notebook);
  await vscode.commands.executeCommand('notebook.selectKernel', { id, extension: EXTENSION_ID });
}

/** Runs cell `index` and waits for its end; the cell as it ended. */
async function run(notebook: vscode.NotebookDocument, index: number, timeoutMs = 60_000): Promise<vscode.NotebookCell> {
  const before = notebook.cellAt(index).executionSummary?.timing?.endTime;
  await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: index, end: index + 1 }], document: notebook.uri });
  return waitFor(
    `cell ${index} to finish`,
    () => {
      const cell = notebook.cellAt(index);
      const end = cell.executionSummary?.timing?.endTime;
      return end !== undefined && end !== before && cell.executionSummary?.success !== undefined ? cell : undefined;
    },
    timeoutMs,
  );
}

function texts(cell: vscode.NotebookCell, mime?: string): string[] {
  return cell.outputs.flatMap((o) => o.items.filter((i) => !mime || i.mime === mime).map((i) => decoder.decode(i.data)));
}

function mimes(cell: vscode.NotebookCell): string[] {
  return cell.outputs.flatMap((o) => o.items.map((i) => i.mime));
}

async function closeNotebooks(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.files.saveAll'); // no "save changes?" dialog
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

describe('Kernels', function () {
  this.timeout(180_000);
  let endpoint: LocalSageMaker;
  let jupyter: RunningJupyter;
  let api: ExtensionApi;
  let arn: string;
  const presigns = () => endpoint.count('CreatePresignedNotebookInstanceUrl');

  before(async () => {
    // jupyter_server, as JupyterLab 4 on SageMaker runs it. Its default IOPub rate limit (1 MB/s) would stop
    // sending 10 MB of output, to any client.
    jupyter = await startJupyterLab({ args: ['--ServerApp.iopub_data_rate_limit=1e12'] });
    endpoint = await startLocalSageMaker({ seed: [{ name: NAME, status: 'InService', jupyterUpstream: jupyter.url }] });
    process.env.AWS_ENDPOINT_URL_SAGEMAKER = endpoint.url;
    useAwsFiles({
      config: '[default]\nregion = us-east-1\n',
      credentials: credentialsFor({ default: { key: DEFAULT_ACCESS_KEY_ID, secret: DEFAULT_SECRET_ACCESS_KEY } }),
    });
    api = await extensionApi();
    api.connection.refresh();
    api.testing.ui.setOpenExternal(async () => assert.fail('nothing may go to the external browser'));
    api.testing.ui.setConfirm(async () => true);
    arn = (await instanceRow(api, NAME)).instance.arn;
  });
  after(async () => {
    await closeNotebooks();
    api.testing.ui.setInput(undefined);
    await releaseEndpoint(api, endpoint);
    await jupyter.stop();
  });

  it('opening an .ipynb never bound to an instance costs no request', async () => {
    endpoint.resetLog();
    const visitsBefore = endpoint.gatewayVisits.length;
    const notebook = await openNotebook(['print(1)']);
    assert.strictEqual(notebook.notebookType, 'jupyter-notebook');
    assert.strictEqual(endpoint.requests.length, 0, 'no SageMaker request');
    assert.strictEqual(endpoint.gatewayVisits.length, visitsBefore, 'no notebook request');
    await closeNotebooks();
  });

  it('Use Kernels in VS Code makes a controller per kernelspec, labelled by its display name and the instance', async () => {
    endpoint.resetLog();
    await vscode.commands.executeCommand('sagemakerNotebooks.connectKernels', await instanceRow(api, NAME));
    const ids = api.testing.kernels.controllerIds(arn);
    assert.deepStrictEqual(Object.keys(ids), ['python3']);
    assert.strictEqual(presigns(), 1, 'one presigned URL');
    assert.ok(
      api.testing.ui.texts().some((m) => m.includes('Python 3') && m.includes(NAME)),
      'says which kernels came',
    );
  });

  it('runs cells: print, 1+1, a matplotlib PNG, an error with its traceback; counts and success as Jupyter says', async () => {
    const notebook = await openNotebook([
      'print("hello")\nprint("world")',
      '1+1',
      '%matplotlib inline\nimport matplotlib.pyplot as plt\nplt.plot([1, 3, 2])\nplt.show()',
      'def f():\n    raise ValueError("boom")\nf()',
      'from IPython.display import display, HTML, Markdown\ndisplay(HTML("<b>bold</b>"))\nh = display(Markdown("*one*"), display_id=True)\nh.update(Markdown("*two*"))',
      'import sys\nprint("out")\nprint("err", file=sys.stderr)',
    ]);
    await selectKernel(api, notebook, arn);
    const printed = await run(notebook, 0);
    assert.strictEqual(printed.executionSummary?.success, true);
    assert.strictEqual(texts(printed).join(''), 'hello\nworld\n');
    assert.strictEqual(printed.outputs.length, 1, 'stream text coalesced into one output');
    assert.strictEqual(printed.outputs[0].items[0].mime, 'application/vnd.code.notebook.stdout');

    const sum = await run(notebook, 1);
    assert.deepStrictEqual(texts(sum, 'text/plain'), ['2']);
    assert.ok(
      (sum.executionSummary?.executionOrder ?? 0) > (printed.executionSummary?.executionOrder ?? Infinity),
      'execution counts go up',
    );
    assert.ok(sum.executionSummary?.timing && sum.executionSummary.timing.endTime >= sum.executionSummary.timing.startTime, 'timing');

    const figure = await run(notebook, 2);
    assert.strictEqual(figure.executionSummary?.success, true, texts(figure).join('\n'));
    const png = figure.outputs.flatMap((o) => o.items).find((i) => i.mime === 'image/png');
    assert.ok(png, `a PNG among ${mimes(figure).join(', ')}`);
    assert.deepStrictEqual([...png.data.slice(0, 4)], [0x89, 0x50, 0x4e, 0x47], 'PNG bytes, decoded from base64');

    const failed = await run(notebook, 3);
    assert.strictEqual(failed.executionSummary?.success, false);
    const error = JSON.parse(texts(failed, 'application/vnd.code.notebook.error')[0]) as { name: string; message: string; stack: string };
    assert.strictEqual(error.name, 'ValueError');
    assert.strictEqual(error.message, 'boom');
    assert.match(error.stack, /\u001b\[/, 'the traceback keeps its ANSI colours');
    assert.match(error.stack, /raise.*ValueError.*boom/);

    const displays = await run(notebook, 4);
    assert.deepStrictEqual(texts(displays, 'text/html'), ['<b>bold</b>']);
    assert.deepStrictEqual(texts(displays, 'text/markdown'), ['*two*'], 'update_display_data replaced the display by its id');

    const streams = await run(notebook, 5);
    assert.deepStrictEqual(mimes(streams), ['application/vnd.code.notebook.stdout', 'application/vnd.code.notebook.stderr']);
    await closeNotebooks();
  });

  it('printing 10 MB hands every byte to VS Code', async () => {
    const notebook = await openNotebook(["for _ in range(100_000):\n    print('x' * 99)"]);
    await selectKernel(api, notebook, arn);
    const before = api.testing.kernels.streamBytes;
    const cell = await run(notebook, 0, 120_000);
    assert.strictEqual(cell.executionSummary?.success, true);
    assert.strictEqual(api.testing.kernels.streamBytes - before, 10_000_000);
    assert.match(texts(cell).join('').slice(-200), /x{99}\n$/);
    await closeNotebooks();
  });

  it('a display updated by its id after its cell ended changes in place (a later cell, a thread), the cell’s count, success and timing kept', async () => {
    const notebook = await openNotebook([
      "from IPython.display import display\nh = display('a', display_id=True)",
      "h.update('b')",
      "import threading, time\ng = display('t0', display_id=True)\ndef tick():\n    time.sleep(3)\n    g.update('t1')\nthreading.Thread(target=tick).start()",
    ]);
    await selectKernel(api, notebook, arn);
    const shown = (index: number) => texts(notebook.cellAt(index), 'text/plain').join('|');
    const summary = (index: number) => JSON.stringify(notebook.cellAt(index).executionSummary);

    await run(notebook, 0);
    assert.strictEqual(shown(0), "'a'");
    const firstRun = summary(0);
    const later = await run(notebook, 1);
    assert.strictEqual(later.executionSummary?.success, true);
    assert.strictEqual(later.outputs.length, 0, 'the later cell shows nothing of its own');
    await waitFor('the display of the first cell updated by the later one', () => shown(0) === "'b'" || undefined, 30_000);
    assert.strictEqual(notebook.cellAt(0).outputs.length, 1, 'updated in place');
    assert.strictEqual(summary(0), firstRun, 'the first cell keeps its count, success and timing');

    await run(notebook, 2);
    assert.strictEqual(shown(2), "'t0'", 'the cell ended before its thread updates the display');
    const threadRun = summary(2);
    await waitFor('the thread’s update after its cell ended', () => shown(2) === "'t1'" || undefined, 30_000);
    assert.strictEqual(notebook.cellAt(2).outputs.length, 1, 'updated in place');
    assert.strictEqual(summary(2), threadRun, 'the cell keeps its count, success and timing');
    assert.strictEqual(shown(0), "'b'");
    await closeNotebooks();
  });

  it('input() and getpass() are answered through an input box (password-style for getpass)', async () => {
    const asked: vscode.InputBoxOptions[] = [];
    api.testing.ui.setInput(async (options) => {
      asked.push(options);
      return options.password ? 'secret' : 'Ada';
    });
    const notebook = await openNotebook([
      'name = input("Your name: ")\nimport getpass\npw = getpass.getpass("Password: ")\nprint(name, len(pw))',
    ]);
    await selectKernel(api, notebook, arn);
    const cell = await run(notebook, 0);
    api.testing.ui.setInput(undefined);
    assert.strictEqual(cell.executionSummary?.success, true, texts(cell).join('\n'));
    assert.deepStrictEqual(
      asked.map((o) => [o.prompt, !!o.password]),
      [
        ['Your name: ', false],
        ['Password: ', true],
      ],
    );
    assert.match(texts(cell).join(''), /Ada 6/);
    await closeNotebooks();
  });

  it('interrupt stops a running cell (KeyboardInterrupt); restart loses the state; shut down ends the kernel', async () => {
    const notebook = await openNotebook(['x = 42', 'import time\ntime.sleep(60)', 'print(x)']);
    await selectKernel(api, notebook, arn);
    await run(notebook, 0);
    const started = Date.now();
    const sleeping = run(notebook, 1);
    await waitFor('the kernel to be busy', () => api.testing.kernels.statusOf(notebook.uri)?.kind === 'busy', 30_000);
    await vscode.commands.executeCommand('notebook.cancelExecution', notebook.uri);
    const interrupted = await sleeping;
    assert.ok(Date.now() - started < 40_000, 'interrupted well before 60 s');
    assert.strictEqual(interrupted.executionSummary?.success, false);
    assert.strictEqual(JSON.parse(texts(interrupted, 'application/vnd.code.notebook.error')[0]).name, 'KeyboardInterrupt');
    assert.deepStrictEqual(texts(await run(notebook, 2)), ['42\n'], 'state kept after an interrupt');

    await vscode.commands.executeCommand('sagemakerNotebooks.restartKernel', notebook.uri);
    const after = await run(notebook, 2);
    assert.strictEqual(after.executionSummary?.success, false);
    assert.strictEqual(JSON.parse(texts(after, 'application/vnd.code.notebook.error')[0]).name, 'NameError', 'restart lost x');

    const kernelsBefore = (await (await fetch(`${jupyter.url}/api/kernels`)).json()) as unknown[];
    await vscode.commands.executeCommand('sagemakerNotebooks.shutdownKernel', notebook.uri);
    const kernelsAfter = (await (await fetch(`${jupyter.url}/api/kernels`)).json()) as unknown[];
    assert.strictEqual(kernelsAfter.length, kernelsBefore.length - 1, 'the kernel ended on the server');
    assert.strictEqual(api.testing.kernels.statusOf(notebook.uri)?.kind, 'ended');
    await closeNotebooks();
  });

  it('closing a notebook leaves its kernel running; reopening reattaches with its state; two notebooks share one connection', async () => {
    const notebook = await openNotebook(['y = 7', 'print(y * 6)']);
    const path = notebook.uri.fsPath;
    await selectKernel(api, notebook, arn);
    endpoint.resetLog();
    await run(notebook, 0);
    const other = await openNotebook(['print("other")']);
    await selectKernel(api, other, arn);
    assert.deepStrictEqual(texts(await run(other, 0)), ['other\n']);
    assert.strictEqual(presigns(), 0, 'the connection made by Use Kernels serves both notebooks');
    assert.strictEqual(api.testing.kernels.attachedCount(arn) >= 2, true);
    const sessions = (await (await fetch(`${jupyter.url}/api/sessions`)).json()) as { path: string }[];
    assert.ok(
      sessions.some((s) => s.path.endsWith('/local-' + path.split('local-')[1])),
      'a session with the notebook’s name',
    );

    await closeNotebooks();
    const closed = [path, other.uri.fsPath];
    await waitFor(
      'the closed notebooks to close',
      () => vscode.workspace.notebookDocuments.every((n) => !closed.includes(n.uri.fsPath)) || undefined,
      60_000,
    );
    assert.strictEqual(api.testing.kernels.attachedCount(arn), 0, 'their kernel WebSockets closed');
    const running = (await (await fetch(`${jupyter.url}/api/kernels`)).json()) as unknown[];
    assert.ok(running.length >= 2, 'their kernels still run on the instance');
    const reopened = await openFile(path);
    await selectKernel(api, reopened, arn);
    assert.deepStrictEqual(texts(await run(reopened, 1)), ['42\n'], 'the kernel kept y');
    await closeNotebooks();
  });

  it('a notebook closed during a long cell and reopened: the cell went on, and the next one waits its turn on the same kernel', async () => {
    const notebook = await openNotebook(['import time\nz = 5\ntime.sleep(8)\nz = 6', 'print(z * 7)']);
    const path = notebook.uri.fsPath;
    await selectKernel(api, notebook, arn);
    void vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: 0, end: 1 }], document: notebook.uri });
    await waitFor('the kernel to be busy', () => api.testing.kernels.statusOf(notebook.uri)?.kind === 'busy', 30_000);
    await closeNotebooks();
    await waitFor(
      'the notebook to close',
      () => vscode.workspace.notebookDocuments.every((n) => n.uri.fsPath !== path) || undefined,
      60_000,
    );
    // Reopened while the kernel is still busy: the new socket hears nothing until the long cell ends (the server
    // does not nudge a busy kernel), and the cell is sent to wait its turn rather than given up on.
    const reopened = await openFile(path);
    await selectKernel(api, reopened, arn);
    const next = await run(reopened, 1, 60_000);
    assert.strictEqual(next.executionSummary?.success, true);
    assert.deepStrictEqual(texts(next), ['42\n'], 'the long cell finished on the instance (z = 6) before this one ran');
    await closeNotebooks();
  });

  it('a dropped kernel WebSocket reconnects to the same kernel and the running cell’s outputs arrive', async () => {
    const notebook = await openNotebook(['import time\nfor i in range(6):\n    print(i, flush=True)\n    time.sleep(0.5)']);
    await selectKernel(api, notebook, arn);
    const running = run(notebook, 0);
    await waitFor('the first output', () => texts(notebook.cellAt(0)).join('').includes('0') || undefined, 30_000);
    await endpoint.endNotebookSessions(NAME); // the gateway closes the socket; the connection renews
    const cell = await running;
    assert.strictEqual(cell.executionSummary?.success, true);
    assert.deepStrictEqual(texts(cell).join('').trim().split('\n'), ['0', '1', '2', '3', '4', '5'], 'every line arrived');
    await closeNotebooks();
  });

  it('a kernel that dies: the cell fails, the user is told, the next run works on the restarted kernel', async () => {
    const notebook = await openNotebook(['import os\nos._exit(1)', 'print("alive")']);
    await selectKernel(api, notebook, arn);
    const died = await run(notebook, 0);
    assert.strictEqual(died.executionSummary?.success, false);
    await waitFor('the warning', () => api.testing.ui.shownMessages().some((m) => /died/.test(m)) || undefined, 30_000);
    // Jupyter's restarter brings a new kernel; the connection follows it (reconnecting when the first socket,
    // opened before the new process was up, stays silent), and the status is back to idle without a run.
    await waitFor('the restarted kernel to be idle', () => api.testing.kernels.statusOf(notebook.uri)?.kind === 'idle', 30_000);
    const next = await run(notebook, 1, 30_000);
    assert.strictEqual(next.executionSummary?.success, true);
    assert.deepStrictEqual(texts(next), ['alive\n']);
    await closeNotebooks();
  });

  it('the instance stopping mid-run ends the cell with a clear state', async () => {
    const notebook = await openNotebook(['import time\ntime.sleep(30)', 'print("back")']);
    await selectKernel(api, notebook, arn);
    const running = run(notebook, 0);
    await waitFor('the kernel to be busy', () => api.testing.kernels.statusOf(notebook.uri)?.kind === 'busy', 30_000);
    await vscode.commands.executeCommand('sagemakerNotebooks.stop', await instanceRow(api, NAME));
    const cell = await running;
    assert.strictEqual(cell.executionSummary?.success, false);
    const status = api.testing.kernels.statusOf(notebook.uri);
    assert.strictEqual(status?.kind, 'ended');
    assert.match(texts(cell).join(''), /Stopping|Stopped/);

    // The next run offers to start the instance, then runs on a new kernel without asking for one.
    const questions = api.testing.ui.questions().length;
    const again = await run(notebook, 1, 120_000).catch(() => undefined);
    assert.ok(
      api.testing.ui
        .questions()
        .slice(questions)
        .some((q) => /stop/i.test(q)),
      'asked to start the instance',
    );
    assert.ok(again, 'the cell ran after the start');
    assert.deepStrictEqual(texts(again), ['back\n']);
    await closeNotebooks();
  });
});
