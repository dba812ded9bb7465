// The instance's files in real VS Code: the `sagemaker-notebook` file system against a real jupyter_server
// (Debian's, serving JupyterLab as an instance does) behind the local gateway. Every operation through
// vscode.workspace.fs (as the Explorer makes them), bytes checked on the server's disk, a conflict, a change
// made on the server that VS Code shows, each error, and a connection that ends and comes back.
import * as assert from 'assert';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync, utimesSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile as writeLocal } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startLocalSageMaker, type LocalSageMaker } from '../endpoint/server';
import { startJupyterLab, type RunningJupyterLab } from '../support/jupyterLab';
import { credentialsFor, extensionApi, instanceRow, releaseEndpoint, useAwsFiles, waitFor, type ExtensionApi } from './fixtures';

const NAME = 'files-nb';
const STOPPED = 'files-stopped';
const MiB = 1024 * 1024;

/** A folder's entries as Jupyter shows them: without the hidden `.ipynb_checkpoints` its saves leave. */
function visible(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => !n.startsWith('.'))
    .sort();
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function fsError(promise: Thenable<unknown>): Promise<vscode.FileSystemError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof vscode.FileSystemError, `a FileSystemError, not ${String(error)}`);
    return error;
  }
  assert.fail('the operation succeeded');
}

describe('Instance files', function () {
  this.timeout(120_000);
  let endpoint: LocalSageMaker;
  let jupyter: RunningJupyterLab;
  let api: ExtensionApi;
  const root = vscode.Uri.from({ scheme: 'sagemaker-notebook', authority: 'default@us-east-1', path: `/${NAME}` });
  const at = (path: string) => vscode.Uri.joinPath(root, path);
  const disk = (path: string) => join(jupyter.root, path);
  const requests = () => api.testing.files.requests({ profile: 'default', region: 'us-east-1', instance: NAME });

  before(async () => {
    jupyter = await startJupyterLab();
    endpoint = await startLocalSageMaker({
      seed: [
        { name: NAME, status: 'InService', jupyterUpstream: jupyter.url },
        { name: STOPPED, status: 'Stopped' },
      ],
    });
    process.env.AWS_ENDPOINT_URL_SAGEMAKER = endpoint.url;
    useAwsFiles({
      config: '[default]\nregion = us-east-1\n',
      credentials: credentialsFor({ default: { key: DEFAULT_ACCESS_KEY_ID, secret: DEFAULT_SECRET_ACCESS_KEY } }),
    });
    api = await extensionApi();
    api.connection.refresh();
    api.testing.ui.setOpenExternal(async () => assert.fail('nothing may go to the external browser'));
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await releaseEndpoint(api, endpoint);
    await jupyter.stop();
  });

  it('lists the Jupyter root and stats its entries from one listing, signing in with one presigned URL', async () => {
    mkdirSync(disk('data'));
    writeFileSync(disk('data/a.txt'), 'a');
    endpoint.resetLog();
    const before = requests();
    const entries = await vscode.workspace.fs.readDirectory(root);
    assert.deepStrictEqual(entries.sort(), [
      ['data', vscode.FileType.Directory],
      ['hello.ipynb', vscode.FileType.File],
    ]);
    const stat = await vscode.workspace.fs.stat(at('hello.ipynb'));
    assert.strictEqual(stat.type, vscode.FileType.File);
    assert.strictEqual(stat.size, statSync(disk('hello.ipynb')).size);
    assert.strictEqual(stat.mtime, Math.floor(statSync(disk('hello.ipynb')).mtimeMs), "the file's own mtime, to the millisecond");
    assert.strictEqual(requests() - before, 1, 'the stat right after the listing came from it');
    assert.strictEqual(endpoint.count('CreatePresignedNotebookInstanceUrl'), 1);
    assert.strictEqual(api.testing.connectionState((await instanceRow(api, NAME)).instance.arn)?.kind, 'open');
  });

  it('writes and reads text and binary byte for byte (BOM, CRLF, non-UTF-8, every byte value)', async () => {
    const text = Buffer.from('\ufeffline 1\r\nlíne 2 😀\n\ttab\n', 'utf8');
    const binary = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(4096)]);
    const latin1 = Buffer.from('caf\xe9\n', 'latin1');
    for (const [name, bytes] of [
      ['text.txt', text],
      ['blob.bin', binary],
      ['latin1.txt', latin1],
      ['empty.txt', Buffer.alloc(0)],
    ] as const) {
      await vscode.workspace.fs.writeFile(at(`data/${name}`), bytes);
      assert.ok(readFileSync(disk(`data/${name}`)).equals(bytes), `${name} on the server's disk`);
      assert.ok(Buffer.from(await vscode.workspace.fs.readFile(at(`data/${name}`))).equals(bytes), `${name} read back`);
    }
  });

  it('honours the create and overwrite flags and needs the parent folder', async () => {
    const fs = api.testing.files.provider;
    writeFileSync(disk('data/exists.txt'), 'old');
    assert.strictEqual(
      (await fsError(fs.writeFile(at('data/new.txt'), Buffer.from('x'), { create: false, overwrite: true }))).code,
      'FileNotFound',
    );
    assert.strictEqual(
      (await fsError(fs.writeFile(at('data/exists.txt'), Buffer.from('x'), { create: true, overwrite: false }))).code,
      'FileExists',
    );
    assert.strictEqual(readFileSync(disk('data/exists.txt'), 'utf8'), 'old');
    assert.strictEqual(
      (await fsError(fs.writeFile(at('nowhere/x.txt'), Buffer.from('x'), { create: true, overwrite: true }))).code,
      'FileNotFound',
    );
    assert.strictEqual(
      (await fsError(fs.writeFile(at('data'), Buffer.from('x'), { create: true, overwrite: true }))).code,
      'FileIsADirectory',
    );
    await fs.writeFile(at('data/exists.txt'), Buffer.from('new'), { create: false, overwrite: true });
    assert.strictEqual(readFileSync(disk('data/exists.txt'), 'utf8'), 'new');
  });

  it('creates folders, renames and moves (overwrite honoured), copies files and folders', async () => {
    await vscode.workspace.fs.createDirectory(at('work/sub'));
    assert.ok(statSync(disk('work/sub')).isDirectory());
    assert.strictEqual((await fsError(api.testing.files.provider.createDirectory(at('work')))).code, 'FileExists');
    writeFileSync(disk('work/sub/n.txt'), 'n');
    writeFileSync(disk('work/one.txt'), '1');
    writeFileSync(disk('work/two.txt'), '2');
    await vscode.workspace.fs.rename(at('work/one.txt'), at('work/sub/moved.txt'));
    assert.ok(!existsSync(disk('work/one.txt')) && readFileSync(disk('work/sub/moved.txt'), 'utf8') === '1');
    assert.strictEqual(
      (await fsError(vscode.workspace.fs.rename(at('work/two.txt'), at('work/sub/moved.txt'), { overwrite: false }))).code,
      'FileExists',
    );
    await vscode.workspace.fs.rename(at('work/two.txt'), at('work/sub/moved.txt'), { overwrite: true });
    assert.strictEqual(readFileSync(disk('work/sub/moved.txt'), 'utf8'), '2');
    await vscode.workspace.fs.rename(at('work/sub'), at('work/renamed'));
    assert.deepStrictEqual(visible(disk('work/renamed')), ['moved.txt', 'n.txt']);

    await vscode.workspace.fs.copy(at('work/renamed/n.txt'), at('work/copy.txt'));
    assert.strictEqual(readFileSync(disk('work/copy.txt'), 'utf8'), 'n');
    assert.deepStrictEqual(visible(disk('work')), ['copy.txt', 'renamed'], 'no copy left under a name Jupyter chose');
    assert.strictEqual(
      (await fsError(vscode.workspace.fs.copy(at('work/renamed/moved.txt'), at('work/copy.txt'), { overwrite: false }))).code,
      'FileExists',
    );
    await vscode.workspace.fs.copy(at('work/renamed'), at('work/tree'));
    assert.deepStrictEqual(visible(disk('work/tree')), ['moved.txt', 'n.txt']);
    assert.strictEqual(readFileSync(disk('work/tree/moved.txt'), 'utf8'), '2');
  });

  it("deletes files and, recursively, folders, to the instance's trash (Jupyter has one: send2trash)", async () => {
    writeFileSync(disk('data/gone.txt'), 'bye');
    await vscode.workspace.fs.delete(at('data/gone.txt'));
    assert.ok(!existsSync(disk('data/gone.txt')));
    assert.ok(readdirSync(jupyter.trash).includes('gone.txt'), "in the server's trash");
    await vscode.workspace.fs.delete(at('work'), { recursive: true });
    assert.ok(!existsSync(disk('work')));
    assert.strictEqual((await fsError(vscode.workspace.fs.delete(at('work')))).code, 'FileNotFound');
    assert.strictEqual((await fsError(vscode.workspace.fs.delete(root, { recursive: true }))).code, 'NoPermissions', 'the root stays');
  });

  it('gives clear errors: not found, not a directory, is a directory, no permission', async () => {
    assert.strictEqual((await fsError(vscode.workspace.fs.stat(at('missing.txt')))).code, 'FileNotFound');
    assert.strictEqual((await fsError(vscode.workspace.fs.readFile(at('missing.txt')))).code, 'FileNotFound');
    assert.strictEqual((await fsError(vscode.workspace.fs.readDirectory(at('hello.ipynb')))).code, 'FileNotADirectory');
    assert.strictEqual((await fsError(vscode.workspace.fs.readFile(at('data')))).code, 'FileIsADirectory');
    mkdirSync(disk('locked'));
    writeFileSync(disk('locked/x.txt'), 'x');
    // Mode bits do not stop root (CI containers run as root): an immutable folder does, for everyone.
    const lock = (on: boolean) =>
      process.getuid?.() === 0 ? execFileSync('chattr', [on ? '+i' : '-i', disk('locked')]) : chmodSync(disk('locked'), on ? 0o500 : 0o700);
    lock(true);
    try {
      const error = await fsError(vscode.workspace.fs.writeFile(at('locked/y.txt'), Buffer.from('y')));
      assert.strictEqual(error.code, 'NoPermissions', error.message);
      assert.match(error.message, /Permission denied/);
      assert.ok(!existsSync(disk('locked/y.txt')));
    } finally {
      lock(false);
    }
  });

  it('a file open in VS Code shows a change made on the instance', async () => {
    writeFileSync(disk('data/live.txt'), 'first\n');
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(root, '**'));
    try {
      const doc = await vscode.workspace.openTextDocument(at('data/live.txt'));
      await vscode.window.showTextDocument(doc);
      assert.strictEqual(doc.getText(), 'first\n');
      writeFileSync(disk('data/live.txt'), 'changed on the instance\n');
      utimesSync(disk('data/live.txt'), new Date(), new Date(Date.now() + 5_000));
      await waitFor('VS Code to show the change', () => doc.getText() === 'changed on the instance\n' || undefined, 30_000);
      assert.ok(api.testing.files.watcher.rounds > 0, 'found by polling');
    } finally {
      watcher.dispose();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
    // Nothing of the instance watched any more: no polling.
    await waitFor('polling to stop once nothing is watched', () => !api.testing.files.watcher.active || undefined, 20_000);
  });

  for (const when of ['at once', 'a while later'] as const) {
    it(`saving over a file changed on the instance since it was read is refused (${when}), never a silent overwrite`, async () => {
      const name = when === 'at once' ? 'conflict-now.txt' : 'conflict-later.txt';
      writeFileSync(disk(`data/${name}`), 'as read\n');
      const doc = await vscode.workspace.openTextDocument(at(`data/${name}`));
      await vscode.window.showTextDocument(doc);
      const edit = new vscode.WorkspaceEdit();
      edit.insert(doc.uri, new vscode.Position(0, 0), 'mine ');
      assert.ok(await vscode.workspace.applyEdit(edit));
      writeFileSync(disk(`data/${name}`), 'theirs, on the instance\n');
      utimesSync(disk(`data/${name}`), new Date(), new Date(Date.now() + 5_000));
      // A while later VS Code's stat before the save is the server's, and VS Code's own "file is newer" check
      // stops the save before any write; at once, that stat may be the second-old cached one, and the provider
      // refuses the write itself.
      if (when === 'a while later') await new Promise((resolve) => setTimeout(resolve, 1_200));
      const writes = api.testing.files.provider.writeCalls;
      assert.strictEqual(await doc.save(), false, 'the save did not happen');
      assert.strictEqual(readFileSync(disk(`data/${name}`), 'utf8'), 'theirs, on the instance\n', "the instance's change is kept");
      if (when === 'a while later')
        assert.strictEqual(
          api.testing.files.provider.writeCalls,
          writes,
          "VS Code's own conflict check stopped the save: no write was tried",
        );
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    });
  }

  it('opens an .ipynb in the notebook editor and saves a cell edit back to the instance', async () => {
    const notebook = await vscode.workspace.openNotebookDocument(at('hello.ipynb'));
    await vscode.window.showNotebookDocument(notebook);
    assert.strictEqual(notebook.cellCount, 1);
    assert.strictEqual(notebook.cellAt(0).document.getText(), '1+1');
    const edit = new vscode.WorkspaceEdit();
    edit.set(notebook.uri, [
      vscode.NotebookEdit.insertCells(1, [new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'print("from VS Code")', 'python')]),
    ]);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await notebook.save(), 'saved');
    const saved = JSON.parse(readFileSync(disk('hello.ipynb'), 'utf8')) as { cells: { source: string | string[] }[] };
    assert.deepStrictEqual(
      saved.cells.map((c) => [c.source].flat().join('')),
      ['1+1', 'print("from VS Code")'],
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it("a notebook of the instance's files gets the instance's kernels, and its cells run there on the notebook's own path", async () => {
    const { instance } = await instanceRow(api, NAME);
    await vscode.commands.executeCommand('vscode.openWith', at('hello.ipynb'), 'jupyter-notebook');
    const notebook = await waitFor('the notebook to open', () =>
      vscode.window.activeNotebookEditor?.notebook.uri.toString() === at('hello.ipynb').toString()
        ? vscode.window.activeNotebookEditor.notebook
        : undefined,
    );
    // No "Use Kernels in VS Code": opening the instance's notebook puts its kernels in the picker.
    const id = await waitFor("the instance's kernels in the picker", () => api.testing.kernels.controllerIds(instance.arn).python3, 30_000);
    await vscode.commands.executeCommand('notebook.selectKernel', { id, extension: 'sagemaker-notebooks.sagemaker-notebook-instances' });
    await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: 0, end: 1 }], document: notebook.uri });
    const out = await waitFor(
      'the cell to run on the instance',
      () => {
        const items = notebook
          .cellAt(0)
          .outputs.flatMap((o) => o.items.filter((i) => i.mime === 'text/plain').map((i) => Buffer.from(i.data).toString()));
        return items.length ? items : undefined;
      },
      60_000,
    );
    assert.deepStrictEqual(out, ['2']);
    const sessions = (await (await fetch(`${jupyter.url}/api/sessions`)).json()) as { path: string }[];
    assert.ok(
      sessions.some((s) => s.path === 'hello.ipynb'),
      `the kernel's session is the notebook's own path: ${JSON.stringify(sessions.map((s) => s.path))}`,
    );
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('an open-edit-save of one file costs few requests (stats cached briefly)', async () => {
    writeFileSync(disk('data/count.txt'), 'count\n');
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // nothing cached from earlier tests
    const before = requests();
    const doc = await vscode.workspace.openTextDocument(at('data/count.txt'));
    await vscode.window.showTextDocument(doc);
    const opened = requests() - before;
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(0, 0), 'edited ');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await doc.save());
    assert.strictEqual(readFileSync(disk('data/count.txt'), 'utf8'), 'edited count\n');
    const total = requests() - before;
    console.log(`      open-edit-save of one file: ${total} Contents API requests (open ${opened}, save ${total - opened})`);
    assert.ok(total <= 6, `${total} requests`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('an instance that is not running: Unavailable for every file, and one notification offering Start', async () => {
    const stopped = vscode.Uri.from({ scheme: 'sagemaker-notebook', authority: 'default@us-east-1', path: `/${STOPPED}` });
    const shownBefore = api.testing.ui.shownMessages().length;
    for (const uri of [stopped, vscode.Uri.joinPath(stopped, 'a.txt'), vscode.Uri.joinPath(stopped, 'b.ipynb')]) {
      const error = await fsError(vscode.workspace.fs.stat(uri));
      assert.strictEqual(error.code, 'Unavailable');
      assert.match(error.message, /files-stopped is Stopped/);
    }
    const shown = api.testing.ui
      .shown()
      .filter((s) => s.kind === 'warning')
      .slice(-1)[0];
    assert.strictEqual(api.testing.ui.shownMessages().length - shownBefore, 1, 'one notification, not one per file');
    assert.deepStrictEqual(shown.texts, [
      'The notebook instance files-stopped is Stopped; its files are available while it is InService.',
      'Start',
    ]);
  });

  it('a folder of another profile says which profile to select', async () => {
    const other = vscode.Uri.from({ scheme: 'sagemaker-notebook', authority: 'team%40x@us-east-1', path: `/${NAME}` });
    const error = await fsError(vscode.workspace.fs.readDirectory(other));
    assert.strictEqual(error.code, 'Unavailable');
    assert.match(error.message, /belongs to AWS profile "team@x"/);
  });

  it('comes back after its connection ended (the instance stopped and started again)', async () => {
    const { instance } = await instanceRow(api, NAME);
    endpoint.resetLog();
    endpoint.setStatus(NAME, 'Stopped');
    api.connection.refresh();
    await waitFor(
      'the connection to end',
      async () => {
        await api.instances.loadAll();
        return api.testing.connectionState(instance.arn) === undefined || undefined;
      },
      30_000,
    );
    const error = await fsError(vscode.workspace.fs.stat(at('hello.ipynb')));
    assert.strictEqual(error.code, 'Unavailable');
    endpoint.setStatus(NAME, 'InService');
    api.connection.refresh();
    await api.instances.loadAll();
    await waitFor(
      'the folder to come back',
      async () => {
        try {
          return (await vscode.workspace.fs.stat(at('hello.ipynb'))).type === vscode.FileType.File || undefined;
        } catch {
          return undefined;
        }
      },
      40_000,
    );
    assert.strictEqual(endpoint.count('CreatePresignedNotebookInstanceUrl'), 1, 'one new sign-in');
  });

  /** Everything in the server's root but Jupyter's checkpoints: a save must add nothing else. */
  const rootListing = () =>
    readdirSync(jupyter.root)
      .filter((n) => n !== '.ipynb_checkpoints')
      .sort();

  /** Starts a chunked save of `size` bytes and resolves once its notification showed a few MiB sent, with its outcome. */
  async function chunkedSaveUnderWay(folder: vscode.Uri, instance: string, name: string, size: number) {
    const title = `Saving ${name} to ${instance}`;
    const shownBefore = api.testing.ui.shown().length;
    const failed = fsError(vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, name), randomBytes(size)));
    await waitFor(
      'a few MiB on the instance',
      () =>
        api.testing.ui
          .shown()
          .slice(shownBefore)
          .some((s) => s.kind === 'progress' && s.texts[0] === title && s.texts.length >= 3) || undefined,
      120_000,
    );
    return { failed };
  }

  it("Cancel on a chunked save's notification leaves the old file byte-exact and no temporary file; a new file cancelled leaves nothing", async function () {
    this.timeout(300_000);
    const old = randomBytes(2 * MiB + 7);
    writeFileSync(disk('cancel.bin'), old);
    const listed = rootListing();
    for (const name of ['cancel.bin', 'cancel-new.bin']) {
      await vscode.commands.executeCommand('notifications.clearAll');
      const { failed } = await chunkedSaveUnderWay(root, NAME, name, 64 * MiB);
      // The progress notification's first action is its Cancel button: this is what clicking it runs.
      await vscode.commands.executeCommand('notification.acceptPrimaryAction');
      const error = await failed;
      assert.strictEqual(error.message, `Saving ${name} was cancelled. The file on the instance is unchanged.`);
    }
    assert.ok(readFileSync(disk('cancel.bin')).equals(old), 'the old content, byte for byte');
    assert.ok(!existsSync(disk('cancel-new.bin')), 'the new file was not created');
    assert.deepStrictEqual(rootListing(), listed, 'no temporary file left');
  });

  it('a chunked save whose instance stops half-way fails clearly and leaves the old file', async function () {
    this.timeout(300_000);
    // A second instance on the same Jupyter: stopping it ends its sessions, as SageMaker's front end does.
    const name = 'files-stopping';
    endpoint.addInstance({ name, status: 'InService', jupyterUpstream: jupyter.url });
    const folder = vscode.Uri.from({ scheme: 'sagemaker-notebook', authority: 'default@us-east-1', path: `/${name}` });
    const old = randomBytes(3 * MiB);
    writeFileSync(disk('stopping.bin'), old);
    const listed = rootListing();
    const { failed } = await chunkedSaveUnderWay(folder, name, 'stopping.bin', 64 * MiB);
    endpoint.setStatus(name, 'Stopped');
    const error = await failed;
    assert.match(
      error.message,
      /^Could not save stopping\.bin \(\d+ of 64 MiB sent\): .+ The file on the instance is unchanged\./,
      error.message,
    );
    assert.ok(readFileSync(disk('stopping.bin')).equals(old), 'the old content, byte for byte');
    const partial = /The partial upload (\S+) could not be removed/.exec(error.message)?.[1];
    if (partial) {
      // Its sessions are gone, so the save could not clean up: the message names what is left.
      assert.ok(existsSync(disk(partial)), `${partial} is what the message says`);
      rmSync(disk(partial));
    }
    assert.deepStrictEqual(rootListing(), listed, 'nothing else left');
    endpoint.removeInstance(name);
  });

  it("a save over the Jupyter server's size limit says the file is too large and what to do; a chunked one leaves the old file", async function () {
    this.timeout(180_000);
    // tornado refuses a body over max_body_size with a bare 400 once it has read the headers. A body that
    // arrives in one read with them gets that answer back through the gateway every time; a larger one may
    // race it (the gateway's upstream closes under its write: 502), which the chunked save below allows.
    const limited = await startJupyterLab({ args: ['--ServerApp.max_body_size=8192'] });
    try {
      const name = 'files-limited';
      endpoint.addInstance({ name, status: 'InService', jupyterUpstream: limited.url });
      const folder = vscode.Uri.from({ scheme: 'sagemaker-notebook', authority: 'default@us-east-1', path: `/${name}` });
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'fits.txt'), Buffer.from('x'.repeat(2048)));
      const whole = await fsError(
        vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'over.txt'), Buffer.from('y'.repeat(20 * 1024))),
      );
      assert.strictEqual(whole.code, 'Unknown');
      assert.strictEqual(
        whole.message,
        'files-limited:/over.txt is too large for the Jupyter server of files-limited: it refused the request over its size limit ' +
          '(ServerApp.max_body_size, or a proxy in front of it). Raise that limit on the instance, or keep the file smaller.',
      );
      const old = randomBytes(5000);
      writeFileSync(join(limited.root, 'data.bin'), old);
      const chunked = await fsError(vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'data.bin'), randomBytes(3 * MiB)));
      assert.match(chunked.message, /^Could not save data\.bin \(0 of 3 MiB sent\): .+ The file on the instance is unchanged\.$/);
      assert.ok(readFileSync(join(limited.root, 'data.bin')).equals(old), 'the old content, byte for byte');
      assert.deepStrictEqual(visible(limited.root), ['data.bin', 'fits.txt', 'hello.ipynb']);
      endpoint.removeInstance(name);
    } finally {
      await limited.stop();
    }
  });

  it('copies a 200 MB file from the local disk onto the instance in 1 MiB chunks, byte-exact, and reads it back', async function () {
    this.timeout(600_000);
    const local = await mkdtemp(join(tmpdir(), 'files-200mb-'));
    try {
      const big = randomBytes(200 * MiB);
      await writeLocal(join(local, 'big.bin'), big);
      const before = requests();
      await vscode.workspace.fs.copy(vscode.Uri.file(join(local, 'big.bin')), at('big.bin'));
      assert.strictEqual(sha256(readFileSync(disk('big.bin'))), sha256(big), "sha256 on the server's disk");
      assert.ok(requests() - before >= 200 && requests() - before <= 206, `200 chunks and a few stats, not ${requests() - before}`);
      const progress = api.testing.ui
        .shown()
        .filter((s) => s.kind === 'progress')
        .map((s) => s.texts[0]);
      assert.ok(progress.includes('Saving big.bin to files-nb'), progress.join(' | '));
      const read = await vscode.workspace.fs.readFile(at('big.bin'));
      assert.strictEqual(sha256(read), sha256(big), 'read back');
    } finally {
      await rm(local, { recursive: true, force: true });
    }
  });
});
