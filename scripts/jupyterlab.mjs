// Builds the JupyterLab 4 frontend the tests serve (test/jupyterlab: its own package.json and lockfile, not a
// dependency of the extension). Debian has no JupyterLab package, but its jupyterlab_server serves this build.
// Installed with `npm ci` into .vscode-test/jupyterlab-<hash of the lockfile>/ and built there with webpack,
// so it is cached between runs: the install is redone when the lockfile changes, the build when the entry,
// the webpack config or the package.json changes. Older cache folders are removed.
//
// CLI: node scripts/jupyterlab.mjs   (prints the build folder on stdout, progress on stderr)
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const JUPYTERLAB_SOURCE = join(REPO_ROOT, 'test', 'jupyterlab');
const CACHE_ROOT = join(REPO_ROOT, '.vscode-test');
const LOCKED = ['package.json', 'package-lock.json'];
const BUILD_INPUTS = [...LOCKED, 'index.js', 'webpack.config.js'];
const STAMP = '.smn-build-inputs';

const log = (msg) => process.stderr.write(`[jupyterlab] ${msg}\n`);

function hashOf(files) {
  const hash = createHash('sha256');
  for (const f of files)
    hash
      .update(f)
      .update('\0')
      .update(readFileSync(join(JUPYTERLAB_SOURCE, f)))
      .update('\0');
  return hash.digest('hex');
}

function run(cmd, args, cwd) {
  // Under `npm test` this process inherits the running npm's npm_* variables, which the nested npm would
  // take as its own configuration.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  Object.assign(env, { npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' });
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const keep = (chunk) => (tail = (tail + chunk.toString()).slice(-6000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolvePromise() : reject(new Error(`\`${[cmd, ...args].join(' ')}\` failed (${signal ?? `exit ${code}`}):\n${tail}`)),
    );
  });
}

/**
 * Makes sure the built frontend is there and current; returns its folder (what SMN_JUPYTERLAB_BUILD names
 * for test/jupyterlab/smn_lab.py). Throws one message saying what failed.
 */
export async function ensureJupyterLabBuild() {
  const lockHash = hashOf(LOCKED).slice(0, 12);
  const buildHash = hashOf(BUILD_INPUTS);
  const home = join(CACHE_ROOT, `jupyterlab-${lockHash}`);
  const build = join(home, 'build');
  const stamp = join(build, STAMP);
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === buildHash) return build;
  const partial = `${home}.partial-${process.pid}`;
  try {
    mkdirSync(CACHE_ROOT, { recursive: true });
    for (const old of readdirSync(CACHE_ROOT).filter((d) => /^jupyterlab-/.test(d) && d !== `jupyterlab-${lockHash}`)) {
      log(`removing the outdated ${old}`);
      rmSync(join(CACHE_ROOT, old), { recursive: true, force: true });
    }
    if (!existsSync(join(home, 'node_modules', '.package-lock.json'))) {
      // Installed beside the final folder and moved into place, so an interrupted install is never taken
      // for a finished one.
      rmSync(partial, { recursive: true, force: true });
      mkdirSync(partial, { recursive: true });
      for (const f of LOCKED) copyFileSync(join(JUPYTERLAB_SOURCE, f), join(partial, f));
      const started = Date.now();
      log(`npm ci into ${home} (first run, or the lockfile changed)…`);
      await run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], partial);
      log(`npm ci took ${((Date.now() - started) / 1000).toFixed(1)} s`);
      rmSync(home, { recursive: true, force: true });
      renameSync(partial, home);
    }
    for (const f of BUILD_INPUTS) copyFileSync(join(JUPYTERLAB_SOURCE, f), join(home, f));
    rmSync(build, { recursive: true, force: true });
    mkdirSync(build);
    const started = Date.now();
    log('webpack build…');
    await run(process.execPath, [join(home, 'node_modules', 'webpack', 'bin', 'webpack.js'), '--config', 'webpack.config.js'], home);
    if (!existsSync(join(build, 'bundle.js'))) throw new Error(`webpack finished without ${join(build, 'bundle.js')}`);
    writeFileSync(stamp, buildHash);
    log(`webpack took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return build;
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw new Error(
      `Could not build the JupyterLab frontend the tests use (${JUPYTERLAB_SOURCE} into ${home}). ` +
        `It needs the npm registry the first time and whenever test/jupyterlab/package-lock.json changes.\n${error?.message ?? error}`,
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    process.stdout.write(`${await ensureJupyterLabBuild()}\n`);
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
