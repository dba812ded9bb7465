// The Debian packages the tests and the demo run on: a real Jupyter server (kernels, terminals, plots),
// Chromium to drive the UI, and what code-server's install builds against. `npm test` and `npm start`
// install what is missing when they can (root with apt-get, as on the project's machines), or stop at once
// with one message naming the packages and the command that installs them.
import { execFileSync, spawnSync } from 'node:child_process';

/**
 * Jupyter as SageMaker's JupyterLab runs it (jupyter_server, and jupyterlab_server to serve the JupyterLab 4
 * frontend the tests build from npm; nbclassic, the classic interface beside it, for the demo), classic
 * Notebook 6, a kernel, terminals, plots.
 */
export const JUPYTER_PACKAGES = [
  'python3-jupyter-server',
  'python3-jupyterlab-server',
  'python3-nbclassic',
  'jupyter-notebook',
  'python3-ipykernel',
  'python3-terminado',
  'python3-matplotlib',
];
/** Drives the UI tests and the browser tests of the notebook proxy. */
export const BROWSER_PACKAGES = ['chromium'];
/** code-server's install builds the kerberos addon (gssapi.h) and seeds ripgrep from Debian's. */
export const CODE_SERVER_PACKAGES = ['libkrb5-dev', 'ripgrep', 'build-essential', 'python3'];

function installed(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

/** Installs whichever of `packages` are missing, or throws one message that says how. */
export function ensureDebianPackages(packages, what) {
  if (spawnSync('dpkg-query', ['--version'], { stdio: 'ignore' }).status !== 0) {
    throw new Error(`${what} needs Debian packages (${packages.join(' ')}); this machine has no dpkg. See README.md, "Develop".`);
  }
  const missing = [...new Set(packages)].filter((p) => !installed(p));
  if (missing.length === 0) return;
  const command = `apt-get install -y ${missing.join(' ')}`;
  const root = process.getuid?.() === 0;
  if (!root || spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status !== 0) {
    throw new Error(
      `${what} needs Debian packages that are missing: ${missing.join(', ')}.\nInstall them with: sudo apt-get update && sudo ${command}`,
    );
  }
  console.log(`> installing Debian packages for ${what}: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: ['ignore', 'ignore', 'inherit'], env });
}
