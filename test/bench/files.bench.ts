// Instance files: reading and writing a 100 MB file and listing a folder of 1,000 files through the
// `sagemaker-notebook` provider (the local gateway and the instance's Jupyter connection in between), each
// beside the same Contents API calls made directly to the same Jupyter in the same run; and the requests one
// open-edit-save of a file costs through VS Code.
import * as assert from 'assert';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import * as vscode from 'vscode';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startLocalSageMaker, type LocalSageMaker } from '../endpoint/server';
import { startJupyterLab, type RunningJupyterLab } from '../support/jupyterLab';
import { credentialsFor, extensionApi, releaseEndpoint, useAwsFiles, type ExtensionApi } from '../integration/fixtures';
import { median, recordFigures } from './figures';

const NAME = 'bench-files';
const MiB = 1024 * 1024;
const SAMPLES = 3;

describe('Benchmark: instance files', function () {
  this.timeout(900_000);
  let endpoint: LocalSageMaker;
  let jupyter: RunningJupyterLab;
  let api: ExtensionApi;
  let xsrf = '';
  const root = vscode.Uri.from({ scheme: 'sagemaker-notebook', authority: 'default@us-east-1', path: `/${NAME}` });
  const requests = () => api.testing.files.requests({ profile: 'default', region: 'us-east-1', instance: NAME });

  /** A Contents API call straight to the Jupyter server, as JupyterLab would make it (its `_xsrf` on writes). */
  const direct = (p: string, init: RequestInit = {}) =>
    fetch(`${jupyter.url}${p}`, {
      ...init,
      headers: { ...(init.headers as Record<string, string>), Cookie: `_xsrf=${xsrf}`, 'X-XSRFToken': xsrf },
    });

  before(async () => {
    jupyter = await startJupyterLab();
    endpoint = await startLocalSageMaker({ seed: [{ name: NAME, status: 'InService', jupyterUpstream: jupyter.url }] });
    process.env.AWS_ENDPOINT_URL_SAGEMAKER = endpoint.url;
    useAwsFiles({
      config: '[default]\nregion = us-east-1\n',
      credentials: credentialsFor({ default: { key: DEFAULT_ACCESS_KEY_ID, secret: DEFAULT_SECRET_ACCESS_KEY } }),
    });
    api = await extensionApi();
    api.connection.refresh();
    const page = await fetch(`${jupyter.url}/lab`);
    xsrf = /_xsrf=([^;]+)/.exec(page.headers.get('set-cookie') ?? '')?.[1] ?? '';
    await page.text();
    assert.ok(xsrf, 'Jupyter set its _xsrf cookie');
    await vscode.workspace.fs.stat(root); // signs in: the figures below are of a connection in use
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await releaseEndpoint(api, endpoint);
    await jupyter.stop();
  });

  it('reads and writes a 100 MB file close to the direct Contents API calls', async () => {
    const bytes = randomBytes(100 * MiB);
    const provider = api.testing.files.provider;
    const uri = vscode.Uri.joinPath(root, 'big.bin');
    const directWrite = async () => {
      const t0 = performance.now();
      const n = Math.ceil(bytes.length / MiB);
      for (let i = 0; i < n; i++) {
        const content = bytes.subarray(i * MiB, (i + 1) * MiB).toString('base64');
        const res = await direct('/api/contents/direct.bin', {
          method: 'PUT',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({
            type: 'file',
            format: 'base64',
            name: 'direct.bin',
            path: 'direct.bin',
            content,
            chunk: i === n - 1 ? -1 : i + 1,
          }),
        });
        await res.text();
        assert.ok(res.status < 300, `direct PUT answered ${res.status}`);
      }
      return performance.now() - t0;
    };
    const directRead = async () => {
      const t0 = performance.now();
      const res = await direct('/files/direct.bin');
      const got = Buffer.from(await res.arrayBuffer());
      assert.strictEqual(got.length, bytes.length);
      return performance.now() - t0;
    };
    const ownWrite = async () => {
      const t0 = performance.now();
      await provider.writeFile(uri, bytes, { create: true, overwrite: true });
      return performance.now() - t0;
    };
    const ownRead = async () => {
      await new Promise((resolve) => setTimeout(resolve, 1_100)); // no cached stat: the read's own stat counts
      const t0 = performance.now();
      const got = await provider.readFile(uri);
      assert.strictEqual(got.length, bytes.length);
      return performance.now() - t0;
    };
    const writes: number[] = [];
    const directWrites: number[] = [];
    const reads: number[] = [];
    const directReads: number[] = [];
    let writeRequests = 0;
    for (let i = 0; i < SAMPLES; i++) {
      directWrites.push(await directWrite());
      const before = requests();
      writes.push(await ownWrite());
      writeRequests = requests() - before;
      directReads.push(await directRead());
      reads.push(await ownRead());
    }
    assert.ok(fs.readFileSync(path.join(jupyter.root, 'big.bin')).equals(bytes), 'byte-exact on disk');
    recordFigures('files', {
      samples: SAMPLES,
      sizeMiB: 100,
      writeMs: median(writes),
      directWriteMs: median(directWrites),
      readMs: median(reads),
      directReadMs: median(directReads),
      writeRequests,
      raw: { writes, directWrites, reads, directReads },
    });
  });

  it('lists a folder of 1,000 files with one request, close to the direct listing', async () => {
    const dir = path.join(jupyter.root, 'many');
    fs.mkdirSync(dir);
    for (let i = 0; i < 1000; i++) fs.writeFileSync(path.join(dir, `file-${String(i).padStart(4, '0')}.txt`), `${i}\n`);
    const uri = vscode.Uri.joinPath(root, 'many');
    const lists: number[] = [];
    const directLists: number[] = [];
    let listRequests = 0;
    for (let i = 0; i < 5; i++) {
      let t0 = performance.now();
      const res = await direct('/api/contents/many?content=1');
      assert.strictEqual(((await res.json()) as { content: unknown[] }).content.length, 1000);
      directLists.push(performance.now() - t0);
      const before = requests();
      t0 = performance.now();
      assert.strictEqual((await api.testing.files.provider.readDirectory(uri)).length, 1000);
      lists.push(performance.now() - t0);
      listRequests = requests() - before;
    }
    // The Explorer stats every entry right after listing: those come from the listing.
    const before = requests();
    await Promise.all(
      (await api.testing.files.provider.readDirectory(uri)).map(([name]) =>
        api.testing.files.provider.stat(vscode.Uri.joinPath(uri, name)),
      ),
    );
    const statRequests = requests() - before - 1;
    recordFigures('files', {
      listMs: median(lists),
      directListMs: median(directLists),
      listRequests,
      statRequestsAfterListing: statRequests,
    });
    assert.strictEqual(listRequests, 1);
  });

  it('counts the requests of one open-edit-save through VS Code', async () => {
    fs.writeFileSync(path.join(jupyter.root, 'edit.txt'), 'edit me\n');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const before = requests();
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(root, 'edit.txt'));
    await vscode.window.showTextDocument(doc);
    const opened = requests() - before;
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(0, 0), 'edited: ');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await doc.save());
    recordFigures('files', { openEditSaveRequests: requests() - before, openRequests: opened });
    assert.strictEqual(fs.readFileSync(path.join(jupyter.root, 'edit.txt'), 'utf8'), 'edited: edit me\n');
  });
});
