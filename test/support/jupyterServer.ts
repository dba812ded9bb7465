// A real jupyter_server (Debian's python3-jupyter-server, the server SageMaker's JupyterLab runs on) with its
// terminals (Debian's python3-terminado), for the terminal tests: 127.0.0.1 only, no token (the gateway in
// front of it is the authentication), a temporary root, Jupyter's `_xsrf` and Origin checks left on. Its
// terminals run bash without rc files, so their prompt and output are the same on every machine.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PYTHON, boundPort, isolatedEnv, supervise, waitUntilAnswering, type RunningJupyter } from './jupyter';

export interface RunningJupyterServer extends RunningJupyter {
  /** The server's root folder on disk: where a terminal starts, what a test reads back. */
  readonly root: string;
}

/** The Debian packages startJupyterServer runs on. */
export const JUPYTER_SERVER_PACKAGES = ['python3-jupyter-server', 'python3-terminado'];

export function jupyterServerAvailable(): boolean {
  return spawnSync(PYTHON, ['-c', 'import jupyter_server, terminado'], { stdio: 'ignore' }).status === 0;
}

/**
 * `python -m jupyter_server` binding the port the system gives it: jupyter_server 1.x records port 0 after
 * binding it, so the bound port is put there first (as smn_lab.py does). `/lab` and `/tree` answer with a bare
 * page, as the sign-in expects of a notebook's front page (the terminal tests need no frontend).
 */
const SERVER_ON_PORT_0 = `
from jupyter_server.serverapp import ServerApp, main
from jupyter_server.base.handlers import JupyterHandler
from tornado import web

_bind = ServerApp._bind_http_server_tcp
def bind(self):
    bound = _bind(self)
    if bound and self.port == 0:
        self.port = next(iter(self.http_server._sockets.values())).getsockname()[1]
    return bound
ServerApp._bind_http_server_tcp = bind

class FrontPage(JupyterHandler):
    @web.authenticated
    def get(self):
        self.xsrf_token
        self.finish("<!doctype html><title>Jupyter</title>")

_init = ServerApp.init_webapp
def init_webapp(self):
    _init(self)
    self.web_app.add_handlers(".*$", [(self.base_url + "lab", FrontPage), (self.base_url + "tree", FrontPage)])
ServerApp.init_webapp = init_webapp
main()
`;

export async function startJupyterServer(options: { timeoutMs?: number } = {}): Promise<RunningJupyterServer> {
  const started = Date.now();
  const home = await mkdtemp(join(tmpdir(), 'jupyter-server-test-'));
  const root = join(home, 'root');
  await mkdir(join(root, 'work'), { recursive: true });
  const env = isolatedEnv(home);
  const child = spawn(
    PYTHON,
    [
      '-c',
      SERVER_ON_PORT_0,
      '--no-browser',
      '--ServerApp.ip=127.0.0.1',
      '--ServerApp.port=0',
      '--ServerApp.port_retries=0',
      `--ServerApp.root_dir=${root}`,
      '--ServerApp.token=',
      '--ServerApp.password=',
      '--ServerApp.terminado_settings={"shell_command": ["/bin/bash", "--norc", "--noprofile"]}',
      ...(process.getuid?.() === 0 ? ['--allow-root'] : []), // CI containers run as root
    ],
    {
      cwd: root,
      detached: true, // its own process group, so stop() can take the whole tree down
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...env, PS1: '$ ', HISTFILE: '/dev/null' },
    },
  );
  const { exited, stop, stderr } = supervise(child, home);
  try {
    const timeoutMs = options.timeoutMs ?? 20_000;
    const port = await boundPort(join(env.JUPYTER_RUNTIME_DIR!, `jpserver-${child.pid}.json`), exited, timeoutMs);
    const url = `http://127.0.0.1:${port}`;
    await waitUntilAnswering(`${url}/api/status`, exited, timeoutMs);
    return { url, port, root, startupMs: Date.now() - started, stop };
  } catch (error) {
    await stop();
    throw new Error(`jupyter_server did not start: ${(error as Error).message}\n${stderr()}`, { cause: error });
  }
}
