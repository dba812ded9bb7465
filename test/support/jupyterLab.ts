// A real JupyterLab 4 for the tests, as SageMaker notebook instances run it: Debian's jupyter_server and
// jupyterlab_server serving the frontend built from the @jupyterlab/* npm packages (test/jupyterlab, built and
// cached by scripts/jupyterlab.mjs). Like startJupyter(): 127.0.0.1 only, no token (the gateway in front of it
// is the authentication), a temporary root holding a notebook, Jupyter's own frame-ancestors CSP, _xsrf and
// Origin checks left on. The server binds a free port itself and records it in its runtime file.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cp, mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { PYTHON, boundPort, isolatedEnv, supervise, waitUntilAnswering, type RunningJupyter } from './jupyter';

// out/test/support → the repository root.
const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const APP_DIR = join(REPO_ROOT, 'test', 'jupyterlab');

/**
 * Lets Chromium give a cross-site iframe its storage. Debian's Chromium (156) blocks third-party cookies and
 * storage by default (its TrackingProtection3pcd feature), and JupyterLab reads `localStorage` at start: denied
 * it, JupyterLab's window resolver fails and the page reloads into a new workspace, again and again. Browsers
 * that allow third-party storage run it; the tests use this switch to stand for those, and
 * pin the blocked case separately.
 */
export const ALLOW_THIRD_PARTY_STORAGE = '--disable-features=TrackingProtection3pcd';

/** The notebook in the server's root: one code cell, `1+1`, whose output the tests wait for. */
export const LAB_NOTEBOOK = 'hello.ipynb';
const NOTEBOOK = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
  cells: [{ cell_type: 'code', id: 'sum', metadata: {}, execution_count: null, outputs: [], source: ['1+1'] }],
};

/**
 * The built frontend: SMN_JUPYTERLAB_BUILD when `npm test` has built it already, else built (or found in its
 * cache) now, so a test file run on its own works too.
 */
export function jupyterLabBuild(): string {
  const given = process.env.SMN_JUPYTERLAB_BUILD;
  if (given) return resolve(given);
  const out = execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'jupyterlab.mjs')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const build = out.trim().split('\n').pop()!;
  process.env.SMN_JUPYTERLAB_BUILD = build;
  return build;
}

/** The Debian packages startJupyterLab runs on; with `classic`, also the classic interface beside it. */
export function jupyterLabPackages(classic = false): string[] {
  return ['python3-jupyter-server', 'python3-jupyterlab-server', 'python3-ipykernel', ...(classic ? ['python3-nbclassic'] : [])];
}

/** Whether startJupyterLab can run here (the frontend aside, which it builds when missing). */
export function jupyterLabAvailable(classic = false): boolean {
  const modules = ['jupyter_server', 'jupyterlab_server', 'ipykernel', ...(classic ? ['nbclassic'] : [])];
  return spawnSync(PYTHON, ['-c', `import ${modules.join(', ')}`], { stdio: 'ignore' }).status === 0;
}

export interface JupyterLabOptions {
  timeoutMs?: number;
  /** A folder whose copy becomes the server's root (changes made in Jupyter stay in the copy); default: LAB_NOTEBOOK. */
  rootFrom?: string;
  /** Also serve the classic interface (/tree, /notebooks/…) on the same server, by Debian's nbclassic. */
  classic?: boolean;
  /** More command-line options for the server (e.g. `--ServerApp.iopub_data_rate_limit=…`). */
  args?: readonly string[];
}

/** The server's root folder (its Contents API's `/`) and its trash (send2trash's XDG trash under the test home). */
export interface RunningJupyterLab extends RunningJupyter {
  readonly root: string;
  readonly trash: string;
}

export async function startJupyterLab(options: JupyterLabOptions = {}): Promise<RunningJupyterLab> {
  const started = Date.now();
  const build = jupyterLabBuild();
  const home = await mkdtemp(join(tmpdir(), 'jupyterlab-test-'));
  const root = join(home, 'root');
  if (options.rootFrom) {
    await cp(options.rootFrom, root, { recursive: true });
  } else {
    await mkdir(root);
    await writeFile(join(root, LAB_NOTEBOOK), JSON.stringify(NOTEBOOK, null, 1));
  }
  // jupyter_server deletes to the trash (send2trash is installed): the test home's, not the user's.
  const env: NodeJS.ProcessEnv = { ...isolatedEnv(home), XDG_DATA_HOME: join(home, 'xdg-data') };
  const child = spawn(
    PYTHON,
    [
      '-m',
      'smn_lab',
      '--no-browser',
      '--ServerApp.ip=127.0.0.1',
      '--ServerApp.port=0',
      '--ServerApp.port_retries=0',
      `--ServerApp.root_dir=${root}`,
      '--ServerApp.token=',
      '--ServerApp.password=',
      ...(process.getuid?.() === 0 ? ['--allow-root'] : []), // CI containers run as root
      ...(options.args ?? []),
    ],
    {
      cwd: root,
      detached: true, // its own process group, so stop() can take the whole tree down
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...env, PYTHONPATH: APP_DIR, SMN_JUPYTERLAB_BUILD: build, ...(options.classic ? { SMN_LAB_CLASSIC: '1' } : {}) },
    },
  );
  const { exited, stop, stderr } = supervise(child, home);
  try {
    const timeoutMs = options.timeoutMs ?? 20_000;
    const port = await boundPort(join(env.JUPYTER_RUNTIME_DIR!, `jpserver-${child.pid}.json`), exited, timeoutMs);
    const url = `http://127.0.0.1:${port}`;
    await waitUntilAnswering(`${url}/api/status`, exited, timeoutMs);
    return { url, port, startupMs: Date.now() - started, stop, root, trash: join(home, 'xdg-data', 'Trash', 'files') };
  } catch (error) {
    await stop();
    throw new Error(`JupyterLab did not start: ${(error as Error).message}\n${stderr()}`, { cause: error });
  }
}

/**
 * In a JupyterLab frame: opens LAB_NOTEBOOK from the file browser by double-click (as a tab of the same
 * JupyterLab, in the same frame), waits for its kernel to settle, runs its first cell (`1+1`) with Shift+Enter
 * on `page`'s keyboard, and returns what the cell printed.
 */
export async function runLabNotebook(frame: Frame, page: Page): Promise<string> {
  await frame.locator('.jp-DirListing-item', { hasText: LAB_NOTEBOOK }).dblclick({ timeout: 10_000 });
  const panel = frame.locator('.jp-NotebookPanel:not(.lm-mod-hidden)');
  await panel.waitFor({ timeout: 20_000 });
  // Its kernel started and settled: the toolbar names it and the indicator says idle. (A cell run while
  // JupyterLab is still attaching the session's kernel makes it ask which kernel to use.)
  await panel.locator('.jp-Toolbar-kernelName', { hasText: 'Python 3 (ipykernel)' }).waitFor({ timeout: 45_000 });
  await panel.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').waitFor({ timeout: 30_000 });
  const editor = panel.locator('.jp-Cell .cm-content').first();
  await editor.filter({ hasText: '1+1' }).waitFor({ timeout: 10_000 });
  await editor.click();
  await page.keyboard.press('Shift+Enter');
  const result = panel.locator('.jp-OutputArea-executeResult .jp-RenderedText').first();
  await result.waitFor({ timeout: 30_000 });
  return (await result.innerText()).trim();
}
