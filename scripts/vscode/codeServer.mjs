// Runs code-server on 127.0.0.1 and drives its web workbench with playwright-core and Debian's chromium:
// the integration suite runs in its Node extension host, UI tests click through the real workbench.
// Facts behind the flags and the URL payload: /work/shared/VSCODE-TESTING.md.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { format } from 'node:util';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(REPO_ROOT, 'package.json'));

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

// User settings for every run: no welcome walkthrough over the editor, no network-bound extras.
export const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  // VS Code 1.10x+ opens a Chat side bar on first start; older versions ignore these keys.
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

const say = (msg) => process.stdout.write(`[code-server] ${msg}\n`);

// The one case where the port is chosen before code-server starts: forwarding by domain names code-server's
// own port in --proxy-domain (VS Code's asExternalUri builds URLs from it), so it must be known first. A port
// found free and released here can be taken by another process before code-server binds it.
function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

// code-server's line once it listens (4.100 and 4.139), with the port it bound.
const LISTENING = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)\//;

// Variables of the calling shell that must not reach the extension host: AWS settings would point the
// extension at real accounts, VS Code's own would make code-server think it runs inside another VS Code.
function inheritedEnv() {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(AWS_|VSCODE_|ELECTRON_)/.test(key) || key === 'SMN_TEST_RESULTS') continue;
    env[key] = value;
  }
  return env;
}

// The version of the code-server behind `bin` (the marker install.mjs writes), so version-specific flags
// are only passed to the versions that know them.
function codeServerVersion(bin) {
  const marker = join(dirname(bin), '..', '.installed.json');
  try {
    return JSON.parse(readFileSync(marker, 'utf8')).version;
  } catch {
    return undefined;
  }
}

function majorMinorAtLeast(version, major, minor) {
  if (!version) return false;
  const [a, b] = version.split('.').map(Number);
  return a > major || (a === major && b >= minor);
}

// code-server runs in its own process group (so stop() can end its extension host and pty host too), which
// also means Ctrl+C in the terminal does not reach it: end every live group when this process goes.
const liveGroups = new Set();
const endAll = () => {
  for (const { child, root } of liveGroups) {
    killTree(child, 'SIGKILL');
    rmSync(root, { recursive: true, force: true });
  }
  liveGroups.clear();
};
const onSignal = (signal) => {
  endAll();
  untrackSignals();
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal); // default action: terminate
};
const onProcessExit = endAll;
function trackGroup(entry) {
  if (liveGroups.size === 0) {
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, onSignal);
    process.on('exit', onProcessExit);
  }
  liveGroups.add(entry);
}
function untrackGroup(entry) {
  liveGroups.delete(entry);
  if (liveGroups.size === 0) untrackSignals();
}
function untrackSignals() {
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.removeListener(sig, onSignal);
  process.removeListener('exit', onProcessExit);
}

function killTree(child, signal) {
  try {
    process.kill(-child.pid, signal); // detached: the child leads its own process group
  } catch {
    /* already gone */
  }
}

/**
 * Starts code-server on 127.0.0.1, on the port it binds itself (port 0; read from its log), with private config,
 * data and home folders.
 * @param {{ bin: string, env?: Record<string,string>, workspace?: string, extraArgs?: string[],
 *   settings?: Record<string, unknown>, machineSettings?: Record<string, unknown>, workspaceTrust?: boolean,
 *   domainPortForwarding?: boolean }} options
 *   env is added to a copy of this process's environment from which AWS_* and VSCODE_* were removed;
 *   settings are added to DEFAULT_SETTINGS in the user settings.json; machineSettings go in the machine's
 *   settings.json, where a window of code-server (a remote window) reads machine-scoped settings such as
 *   sagemakerNotebooks.endpoint (it ignores them in the user settings); workspaceTrust: true starts code-server
 *   without --disable-workspace-trust, so VS Code asks whether to trust the folder (default: trust is off);
 *   domainPortForwarding: true forwards ports by domain (see below) instead of code-server's /proxy/<port>/.
 * @returns {Promise<{ url: string, port: number, version: string|undefined, dataDir: string, output: () => string,
 *   stop: (beforeRemove?: (dataDir: string) => unknown) => Promise<void> }>}
 *   dataDir: the one folder everything of this code-server goes into (user data with its logs and storage,
 *   extensions, home, XDG and tmp folders); stop() ends code-server, then awaits beforeRemove(dataDir) (a
 *   leak scan of what it wrote), then deletes the folder, also when beforeRemove throws, which stop() rethrows.
 */
export async function startCodeServer({
  bin,
  env = {},
  workspace,
  extraArgs = [],
  settings = {},
  machineSettings = {},
  workspaceTrust = false,
  domainPortForwarding = false,
}) {
  if (!bin || !existsSync(bin)) throw new Error(`code-server not found at ${bin}; run node scripts/vscode/install.mjs`);
  const chosenPort = domainPortForwarding ? await freePort() : 0;
  const root = mkdtempSync(join(tmpdir(), 'smn-code-server-'));
  const dirs = {};
  for (const name of ['user-data', 'extensions', 'home', 'xdg-config', 'xdg-data', 'xdg-cache', 'tmp']) {
    dirs[name] = join(root, name);
    mkdirSync(dirs[name], { recursive: true });
  }
  mkdirSync(join(dirs['user-data'], 'User'), { recursive: true });
  writeFileSync(join(dirs['user-data'], 'User', 'settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, ...settings }, null, 2));
  if (Object.keys(machineSettings).length) {
    mkdirSync(join(dirs['user-data'], 'Machine'), { recursive: true });
    writeFileSync(join(dirs['user-data'], 'Machine', 'settings.json'), JSON.stringify(machineSettings, null, 2));
  }
  const version = codeServerVersion(bin);
  const args = [
    '--bind-addr',
    `127.0.0.1:${chosenPort}`,
    '--auth',
    'none',
    '--config',
    '/dev/null',
    '--user-data-dir',
    dirs['user-data'],
    '--extensions-dir',
    dirs.extensions,
    '--disable-telemetry',
    '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    ...(majorMinorAtLeast(version, 4, 139) ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    // Ports forwarded by domain, as Codespaces and Gitpod do: asExternalUri maps http://127.0.0.1:P/ to
    // http://P.localhost:<this port>/ (Chromium resolves *.localhost to loopback), which code-server proxies.
    ...(domainPortForwarding ? ['--proxy-domain', `{{port}}.localhost:${chosenPort}`] : []),
    ...extraArgs,
    ...(workspace ? [workspace] : []),
  ];
  const child = spawn(bin, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...inheritedEnv(),
      HOME: dirs.home,
      XDG_CONFIG_HOME: dirs['xdg-config'],
      XDG_DATA_HOME: dirs['xdg-data'],
      XDG_CACHE_HOME: dirs['xdg-cache'],
      TMPDIR: dirs.tmp,
      // code-server 4.100.3 needs node 20, on which the AWS SDK warns (as `error:` lines of the extension
      // host) on every run that its 2027 releases will need node 22. Known, and nothing a run can change.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...env,
    },
  });
  let output = '';
  const verbose = process.env.SMN_CODE_SERVER_VERBOSE === '1';
  const collect = (chunk) => {
    output = (output + chunk.toString()).slice(-200_000);
    if (verbose) process.stdout.write(chunk.toString().replace(/^/gm, '[code-server:out] '));
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let exited = false;
  const exitPromise = new Promise((r) =>
    child.on('exit', () => {
      exited = true;
      r();
    }),
  );

  let stopped = false;
  const stop = async (beforeRemove) => {
    if (stopped) return;
    stopped = true;
    try {
      if (!exited) {
        killTree(child, 'SIGTERM');
        const timer = setTimeout(() => killTree(child, 'SIGKILL'), 5000);
        await exitPromise;
        clearTimeout(timer);
      }
      killTree(child, 'SIGKILL'); // stragglers of the group (extension host, pty host)
      await beforeRemove?.(root);
    } finally {
      untrackGroup(tracked);
      rmSync(root, { recursive: true, force: true });
    }
  };
  const tracked = { child, root };
  trackGroup(tracked);

  // Its log says when it listens, and where; then /healthz says it answers.
  let port;
  try {
    port = await new Promise((resolvePort, reject) => {
      const timer = setTimeout(() => reject(new Error(`code-server did not listen within 30 s:\n${output.slice(-4000)}`)), 30_000);
      const check = () => {
        const m = LISTENING.exec(output);
        if (m) done(() => resolvePort(Number(m[1])));
      };
      const gone = () => done(() => reject(new Error(`code-server exited while starting:\n${output.slice(-4000)}`)));
      const done = (settle) => {
        clearTimeout(timer);
        child.stdout.off('data', check);
        child.stderr.off('data', check);
        child.off('exit', gone);
        settle();
      };
      child.stdout.on('data', check);
      child.stderr.on('data', check);
      child.once('exit', gone);
      if (exited) gone();
      else check();
    });
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(30_000) });
    if (res.status !== 200) throw new Error(`code-server's /healthz answered ${res.status}:\n${output.slice(-4000)}`);
  } catch (err) {
    await stop();
    throw err;
  }
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    port,
    version,
    /** The user settings.json the workbench reads and writes (gone once the server has stopped). */
    userSettingsFile: join(dirs['user-data'], 'User', 'settings.json'),
    dataDir: root,
    output: () => output,
    stop,
  };
}

/**
 * Headless Debian chromium with a throwaway home, so nothing lands in the real one.
 * @param {{ args?: string[] }} [options] args are added to CHROMIUM_ARGS (a proxy, certificate trust)
 */
export async function launchBrowser({ args = [] } = {}) {
  const { chromium } = require('playwright-core');
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} is missing: apt-get install chromium`);
  const home = mkdtempSync(join(tmpdir(), 'smn-chromium-'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, ...args],
    env: { ...inheritedEnv(), HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache') },
  });
  browser.on('disconnected', () => rmSync(home, { recursive: true, force: true }));
  return browser;
}

/**
 * The workbench URL opening `folder`, with the extension under development and (optionally) a test suite
 * given in the `payload` parameter; code-server refuses these as command-line flags.
 * @param {{ url: string, port: number }} server
 * @param {{ folder?: string, extensionDevelopmentPath?: string, extensionTestsPath?: string }} options
 */
export function workbenchUrl(server, { folder, extensionDevelopmentPath, extensionTestsPath } = {}) {
  const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${resolve(p)}`;
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath.replace(/\.js$/, ''))]);
  const query = [];
  if (folder) query.push(`folder=${encodeURIComponent(resolve(folder))}`);
  if (payload.length) query.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return `${server.url}${query.length ? `?${query.join('&')}` : ''}`;
}

// On failure, keep what VS Code logged (window, extension host, server) for the person reading the run.
function saveWorkbenchLogs(dir, logs, serverOutput) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const { relativePath, contents } of Array.isArray(logs) ? logs : []) {
    const file = join(dir, relativePath.replace(/\.\.\//g, ''));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, contents);
  }
  if (serverOutput) writeFileSync(join(dir, 'code-server.log'), serverOutput);
  say(`VS Code logs saved in ${dir}`);
}

/**
 * The last `count` lines of the extension's own log channel in a code-server's folder (redacted by the extension
 * itself, src/shared/log.ts), indented for a test run's output; undefined before the channel wrote anything.
 * CI shows the end of a run, and that is where a failure's story is.
 */
export function extensionLogTail(dataDir, count) {
  const logs = join(dataDir, 'user-data', 'logs');
  if (!existsSync(logs)) return undefined;
  const channel = readdirSync(logs, { recursive: true }).find((f) => /SageMaker Notebook/.test(String(f)));
  if (!channel) return undefined;
  const tail = readFileSync(join(logs, String(channel)), 'utf8')
    .trimEnd()
    .split('\n')
    .slice(-count);
  return `the extension's log, last ${tail.length} lines:\n${tail.map((l) => `    ${l.slice(0, 300)}`).join('\n')}`;
}

// On failure, the server side's logs too (the extension host's, and the extension's own log channel), and the
// channel's last lines printed.
function saveServerLogs(dir, dataDir) {
  const logs = join(dataDir, 'user-data', 'logs');
  if (!existsSync(logs)) return;
  cpSync(logs, join(dir, 'server'), { recursive: true });
  const tail = extensionLogTail(dataDir, 60);
  if (tail) say(tail);
}

// The workbench's own start-up lines: kept in the returned log, not streamed between the test results.
const WORKBENCH_CHATTER =
  /^(Resolving connection token|Resolved connection token|Creating a socket|Updating additional builtin extensions|\[Service Worker\]|ChatSessionStore|\[AgentHost\])/;

function readResults(resultsFile) {
  try {
    const r = JSON.parse(readFileSync(resultsFile, 'utf8'));
    if (Number.isInteger(r.passed) && Number.isInteger(r.failed)) return r;
  } catch {
    /* absent or unreadable: fall back to the exit code */
  }
  return undefined;
}

/**
 * Runs a mocha suite (an index exporting run()) inside code-server's extension host.
 * @param {{ bin: string, extensionPath: string, suitePath: string, workspace: string, env?: Record<string,string>,
 *   resultsFile: string, timeoutMs?: number, logsDir?: string }} options  logsDir receives VS Code's logs when
 *   the suite fails or times out.
 * @returns {Promise<{ passed: number, failed: number, skipped: number, exitCode: number|null, log: string }>}
 *   exitCode is null when the suite did not finish within timeoutMs.
 */
export async function runIntegrationSuite({
  bin,
  extensionPath,
  suitePath,
  workspace,
  env = {},
  resultsFile,
  timeoutMs = 900_000, // the whole suite (141 tests take 4–5 min here); each test has its own mocha timeout
  logsDir = join(REPO_ROOT, '.test-artifacts', 'integration', 'vscode-logs'),
}) {
  if (!resultsFile) throw new Error('runIntegrationSuite needs a resultsFile');
  rmSync(resultsFile, { force: true });
  mkdirSync(dirname(resultsFile), { recursive: true });
  const lines = [];
  const emit = (line) => {
    lines.push(line);
    process.stdout.write(`  [vscode] ${line}\n`);
  };
  let server;
  let browser;
  let exitCode = null;
  let workbenchLogs;
  try {
    server = await startCodeServer({ bin, env: { ...env, SMN_TEST_RESULTS: resultsFile }, workspace });
    browser = await launchBrowser();
    const context = await browser.newContext();
    const page = await context.newPage();
    let onExit;
    const exited = new Promise((r) => (onExit = r));
    // The workbench reports the suite's output and exit code through these two hooks.
    // (level, consoleArgs): the workbench's own log and the extension host's console, mocha's reporter included.
    await page.exposeFunction('codeAutomationLog', (level, args) => {
      const text = Array.isArray(args) ? format(...args) : String(args);
      // The marketplace (open-vsx.org) is unreachable here; its stack trace is noise, not a test problem.
      if (/ENOTFOUND open-vsx\.org/.test(text) || WORKBENCH_CHATTER.test(text)) return void lines.push(text);
      // The suite sets the log level to trace (for its leak check): the workbench's own trace and debug lines
      // are kept in the returned log, not streamed between the test results.
      if (level === 'trace' || level === 'debug') return void lines.push(text);
      const tag = level === 'error' || level === 'warn' ? `${level}: ` : '';
      for (const line of text.replace(/\n$/, '').split('\n')) emit(tag + line);
    });
    await page.exposeFunction('codeAutomationExit', (code, logs) => {
      workbenchLogs = logs;
      onExit(Number(code));
    });
    page.on('pageerror', (err) => emit(`[page error] ${err.message}`));
    await page.goto(workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: extensionPath, extensionTestsPath: suitePath }));
    let timer;
    const timedOut = new Promise((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
    const outcome = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') emit(`suite did not finish within ${timeoutMs / 1000} s`);
    else exitCode = outcome;
  } finally {
    await browser?.close().catch(() => {});
    const keepLogs = exitCode !== 0 || process.env.SMN_KEEP_LOGS === '1'; // SMN_KEEP_LOGS=1: after a passing run too
    if (keepLogs) saveWorkbenchLogs(logsDir, workbenchLogs, server?.output());
    await server?.stop(keepLogs ? (dataDir) => saveServerLogs(logsDir, dataDir) : undefined);
  }
  const results = readResults(resultsFile);
  const passed = results?.passed ?? 0;
  const failed = results ? results.failed + (exitCode === 0 ? 0 : results.failed === 0 ? 1 : 0) : exitCode === 0 ? 0 : 1;
  const failures = results?.failures ?? (exitCode === 0 ? [] : ['the suite did not finish (see above)']);
  return { passed, failed, skipped: results?.pending ?? 0, failures, exitCode, log: lines.join('\n') };
}

/**
 * code-server with the extension loaded (no tests), a browser page on the ready workbench, for UI tests.
 * @param {{ bin: string, extensionPath: string, workspace: string, env?: Record<string,string>,
 *   extraArgs?: string[], browserArgs?: string[], settings?: Record<string, unknown>,
 *   machineSettings?: Record<string, unknown>, workspaceTrust?: boolean, timeoutMs?: number }} options
 *   extraArgs go to code-server, browserArgs to Chromium; machineSettings, workspaceTrust: see startCodeServer.
 * @returns {Promise<{ server, browser, context, page, close: (beforeRemove?: (dataDir: string) => unknown) => Promise<void> }>}
 *   close(beforeRemove): beforeRemove gets code-server's folder (server.dataDir) once code-server has ended,
 *   before it is deleted; see startCodeServer's stop.
 */
export async function openWorkbench({
  bin,
  extensionPath,
  workspace,
  env = {},
  extraArgs = [],
  browserArgs = [],
  settings = {},
  machineSettings = {},
  workspaceTrust = false,
  domainPortForwarding = false,
  timeoutMs = 60_000,
}) {
  let server;
  let browser;
  const close = async (beforeRemove) => {
    await browser?.close().catch(() => {});
    await server?.stop(beforeRemove);
  };
  try {
    server = await startCodeServer({ bin, env, workspace, extraArgs, settings, machineSettings, workspaceTrust, domainPortForwarding });
    browser = await launchBrowser({ args: browserArgs });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: extensionPath }));
    await page.waitForSelector('.monaco-workbench', { timeout: timeoutMs });
    await page.waitForSelector('.activitybar .action-item', { timeout: timeoutMs });
    return { server, browser, context, page, close };
  } catch (err) {
    await close();
    throw err;
  }
}
