// A real Jupyter server for tests that need the real thing (the notebook proxy, kernels over WebSockets).
// Debian's classic `jupyter notebook` (6.x) is what the machine has; it keeps Jupyter's defaults that matter
// here: the `frame-ancestors 'self'` CSP, the `_xsrf` double-submit check and the Origin check.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningJupyter {
  /** http://127.0.0.1:PORT, no token: the gateway in front of it is the authentication. */
  readonly url: string;
  readonly port: number;
  /** How long the server took from spawn to its first answer, for reports. */
  readonly startupMs: number;
  stop(): Promise<void>;
}

/** The Debian package's interpreter, not whatever `python3` a version manager puts first on PATH. */
export const PYTHON = '/usr/bin/python3';

const HELLO_NOTEBOOK = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
  cells: [{ cell_type: 'code', id: 'hello', metadata: {}, execution_count: null, outputs: [], source: ['print("hello")'] }],
};

export interface JupyterOptions {
  timeoutMs?: number;
  /** A folder whose copy becomes the server's root (changes made in Jupyter stay in the copy); default: hello.ipynb. */
  rootFrom?: string;
  /** More command-line options for the server (e.g. `--NotebookApp.iopub_data_rate_limit=…`). */
  args?: readonly string[];
}

/** The Debian packages that give startJupyter what it runs. */
export const JUPYTER_PACKAGES = ['jupyter-notebook', 'python3-ipykernel'];

/** Whether startJupyter can run here: Debian's python3 with the notebook server and the Python kernel. */
export function jupyterAvailable(): boolean {
  return spawnSync(PYTHON, ['-c', 'import notebook, ipykernel'], { stdio: 'ignore' }).status === 0;
}

/**
 * `python -m notebook`, binding the port the system gives it (--port=0). Notebook 6 listens on port 0 but then
 * records 0 as its port, in its log and its runtime file; this puts the bound port there instead, before it
 * writes the file (start() binds, then writes it; tornado's HTTPServer keeps its listening sockets in `_sockets`).
 */
const NOTEBOOK_ON_PORT_0 = `
from notebook import notebookapp
_bind = notebookapp.NotebookApp._bind_http_server_tcp
def bind(self):
    bound = _bind(self)
    if bound and self.port == 0:
        self.port = next(iter(self.http_server._sockets.values())).getsockname()[1]
    return bound
notebookapp.NotebookApp._bind_http_server_tcp = bind
notebookapp.main()
`;

export async function startJupyter(options: JupyterOptions = {}): Promise<RunningJupyter> {
  const started = Date.now();
  const home = await mkdtemp(join(tmpdir(), 'jupyter-test-'));
  const root = join(home, 'root');
  if (options.rootFrom) {
    await cp(options.rootFrom, root, { recursive: true });
  } else {
    await mkdir(root);
    await writeFile(join(root, 'hello.ipynb'), JSON.stringify(HELLO_NOTEBOOK, null, 1));
  }
  const child = spawn(
    PYTHON,
    [
      '-c',
      NOTEBOOK_ON_PORT_0,
      '--no-browser',
      '--ip=127.0.0.1',
      '--port=0',
      '--port-retries=0',
      `--notebook-dir=${root}`,
      '--NotebookApp.token=',
      '--NotebookApp.password=',
      ...(options.args ?? []),
      ...(process.getuid?.() === 0 ? ['--allow-root'] : []), // CI containers run as root
    ],
    {
      cwd: root,
      detached: true, // its own process group, so stop() can take the whole tree down
      stdio: ['ignore', 'ignore', 'pipe'],
      env: isolatedEnv(home),
    },
  );
  const { exited, stop, stderr } = supervise(child, home);
  try {
    const timeoutMs = options.timeoutMs ?? 20_000;
    const port = await boundPort(join(home, 'runtime', `nbserver-${child.pid}.json`), exited, timeoutMs);
    const url = `http://127.0.0.1:${port}`;
    await waitUntilAnswering(`${url}/api/status`, exited, timeoutMs);
    return { url, port, startupMs: Date.now() - started, stop };
  } catch (error) {
    await stop();
    throw new Error(`Jupyter did not start: ${(error as Error).message}\n${stderr()}`, { cause: error });
  }
}

/**
 * Watches a Jupyter server started in its own process group: its last stderr, its exit, and a stop that
 * takes the whole group down and removes its home. Should the test run die without its after hooks, the
 * server goes along rather than stay listening.
 */
export function supervise(child: ChildProcess, home: string): { exited: Promise<void>; stop: () => Promise<void>; stderr: () => string } {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const onExit = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', onExit);
  const stop = async () => {
    process.off('exit', onExit);
    await killGroup(child, exited);
    await rm(home, { recursive: true, force: true });
  };
  return { exited, stop, stderr: () => stderr };
}

/** The environment with the user's and the machine's Jupyter configuration (and runtime files) kept out. */
export function isolatedEnv(home: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    JUPYTER_CONFIG_DIR: join(home, 'config'),
    JUPYTER_DATA_DIR: join(home, 'data'),
    JUPYTER_RUNTIME_DIR: join(home, 'runtime'),
    IPYTHONDIR: join(home, 'ipython'),
    JUPYTER_PLATFORM_DIRS: '1',
    MPLCONFIGDIR: join(home, 'matplotlib'), // matplotlib's font cache, out of the real home
  };
}

/** The port the server bound, from the runtime file Jupyter writes once it listens (`jpserver-`/`nbserver-<pid>.json`). */
export async function boundPort(file: string, exited: Promise<void>, timeoutMs: number): Promise<number> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone) throw new Error('the process exited');
    if (existsSync(file)) {
      try {
        const { port } = JSON.parse(readFileSync(file, 'utf8')) as { port?: number };
        if (port) return port;
      } catch {
        // still being written
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no runtime file ${file} within ${timeoutMs} ms`);
}

export async function waitUntilAnswering(url: string, exited: Promise<void>, timeoutMs: number): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone) throw new Error('the process exited');
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no answer within ${timeoutMs} ms`);
}

/**
 * SIGTERM lets Jupyter shut its kernels down (they run in sessions of their own, outside the group);
 * SIGKILL to the group follows if it has not exited in time.
 */
export async function killGroup(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5000).unref());
  if ((await Promise.race([exited, timer])) === 'timeout') {
    signal('SIGKILL');
    await exited;
  }
}
