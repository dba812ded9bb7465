#!/usr/bin/env node
// `npm test`: builds, then runs every suite and ends with one line `N passed, N failed` over all of them.
//   checks       ESLint (typescript-eslint type-checked rules, pure modules import vscode for types only) and
//                Prettier's check of every file
//   unit         plain mocha, no VS Code (pure logic, the local endpoint driven by the real SDK)
//   integration  the mocha suite inside a real VS Code extension host (code-server here; desktop VS Code
//                through @vscode/test-electron with SMN_VSCODE=electron where it can be downloaded)
//   ui           playwright-core + Debian's Chromium clicking through code-server's workbench
// Pick suites with arguments: `npm test -- unit integration`. SMN_TEST_GREP filters test names.
// What the suites run on (Jupyter, Chromium, code-server's build needs) is installed first when missing
// (scripts/system.mjs), or the run stops at once saying what to install; the JupyterLab frontend the unit and
// UI suites serve is built (cached) by scripts/jupyterlab.mjs. Under CI, a skipped test is a
// failure: nothing may be skipped for want of something the run should have installed.
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { takeCoverage } from 'node:v8';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { BROWSER_PACKAGES, CODE_SERVER_PACKAGES, JUPYTER_PACKAGES, ensureDebianPackages } from './system.mjs';
import { REPO_ROOT, ensureCodeServer } from './vscode/install.mjs';
import { runIntegrationSuite } from './vscode/codeServer.mjs';
import { ensureJupyterLabBuild } from './jupyterlab.mjs';

const require = createRequire(import.meta.url);
const Mocha = require('mocha');
const { coverageSummary } = await import('./coverage.mjs');

// Line and branch coverage over every suite together: this script runs again under NODE_V8_COVERAGE, which
// every Node process it starts inherits (code-server's extension hosts included), and the summary per
// folder of src/ is printed before the closing line. SMN_COVERAGE=0 turns it off.
const COVERAGE_DIR = path.join(REPO_ROOT, '.test-artifacts', 'coverage');
if (process.env.SMN_COVERAGE !== '0' && !process.env.NODE_V8_COVERAGE) {
  fs.rmSync(COVERAGE_DIR, { recursive: true, force: true });
  fs.mkdirSync(path.join(COVERAGE_DIR, 'raw'), { recursive: true });
  const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, NODE_V8_COVERAGE: path.join(COVERAGE_DIR, 'raw') },
  });
  process.exit(run.status ?? 1);
}

const all = ['checks', 'unit', 'integration', 'ui'];
const picked = process.argv.slice(2).filter((a) => all.includes(a));
const suites = picked.length ? picked : all;
const totals = { passed: 0, failed: 0, skipped: 0 };
const summary = [];

function step(title, cmd, args) {
  console.log(`\n> ${title}`);
  execFileSync(cmd, args, { cwd: REPO_ROOT, stdio: 'inherit' });
}

// The linter (ESLint, type-checked rules and the pure-module rule) and the formatter's check, before the
// suites: each counts as one check passed or failed in the closing line.
function runChecks() {
  const checks = [
    ['eslint', [path.join(path.dirname(require.resolve('eslint/package.json')), 'bin', 'eslint.js'), 'src', 'test']], // its exports hide bin/
    ['prettier --check', [require.resolve('prettier/bin/prettier.cjs'), '--check', '--log-level', 'warn', '.']],
  ];
  const result = { passed: 0, failed: 0, skipped: 0, failures: [] };
  for (const [name, args] of checks) {
    console.log(`\n> ${name}`);
    const run = spawnSync(process.execPath, args, { cwd: REPO_ROOT, stdio: 'inherit' });
    if (run.status === 0) result.passed++;
    else {
      result.failed++;
      result.failures.push(name);
      console.error(`${name} failed${name.startsWith('prettier') ? ': run `npm run format`' : ''}`);
    }
  }
  return result;
}

function findTests(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true })
    .filter((f) => f.endsWith('.test.js'))
    .map((f) => path.join(dir, f))
    .sort();
}

async function runMocha(name, dir, options = {}) {
  const mocha = new Mocha({ ui: 'bdd', timeout: 20_000, reporter: 'spec', ...options });
  if (process.env.SMN_TEST_GREP) mocha.grep(process.env.SMN_TEST_GREP);
  for (const file of findTests(dir)) mocha.addFile(file);
  const failures = [];
  const stats = await new Promise((resolve) => {
    const runner = mocha.run(() => resolve(runner.stats));
    runner.on('fail', (test, error) => failures.push(`${test.fullTitle()}: ${String(error?.message).split('\n')[0]}`));
  });
  return { passed: stats.passes, failed: stats.failures, skipped: stats.pending, failures };
}

// The integration suite runs against the engines minimum and the newest VS Code available here, the way
// the best extensions test both. SMN_CODE_SERVER_VERSIONS narrows it (e.g. to one version while developing).
const CODE_SERVER_VERSIONS = (process.env.SMN_CODE_SERVER_VERSIONS ?? '4.100.3,4.139.1')
  .split(',')
  .map((v) => v.trim())
  .filter(Boolean);

async function runIntegration(version) {
  const resultsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'smn-results-')), 'results.json');
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'smn-workspace-'));
  const common = {
    extensionPath: REPO_ROOT,
    suitePath: path.join(REPO_ROOT, 'out', 'test', 'integration', 'index'),
    workspace,
    resultsFile,
    env: { SMN_TEST_GREP: process.env.SMN_TEST_GREP ?? '' },
  };
  try {
    if (process.env.SMN_VSCODE === 'electron') {
      const { runIntegrationSuiteElectron } = await import('./vscode/run-electron.mjs');
      return await runIntegrationSuiteElectron(common);
    }
    const { bin } = await ensureCodeServer({ version });
    return await runIntegrationSuite({ bin, ...common });
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.rmSync(path.dirname(resultsFile), { recursive: true, force: true });
  }
}

const NEEDS = {
  checks: [],
  unit: [...JUPYTER_PACKAGES, ...BROWSER_PACKAGES],
  integration: [...JUPYTER_PACKAGES, ...CODE_SERVER_PACKAGES],
  ui: [...JUPYTER_PACKAGES, ...BROWSER_PACKAGES, ...CODE_SERVER_PACKAGES],
};

try {
  ensureDebianPackages(
    suites.flatMap((s) => NEEDS[s]),
    `npm test (${suites.join(', ')})`,
  );
  step('build', process.execPath, ['scripts/build.mjs']);
  step('compile tests', process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.test.json']);
  if (suites.some((s) => s === 'unit' || s === 'ui')) {
    // The unit and UI suites prove JupyterLab 4 through the proxy; its frontend is built from npm once and
    // cached (.vscode-test/jupyterlab-<lockfile hash>), and the tests' server is told where it is.
    console.log('\n> JupyterLab frontend for the tests (scripts/jupyterlab.mjs; cached, built on the first run: about a minute)');
    process.env.SMN_JUPYTERLAB_BUILD = await ensureJupyterLabBuild();
  }
  const runs = suites.flatMap((suite) =>
    suite === 'integration' && process.env.SMN_VSCODE !== 'electron'
      ? CODE_SERVER_VERSIONS.map((version) => ({ suite, version, name: `integration (code-server ${version})` }))
      : [{ suite, name: suite }],
  );
  for (const { suite, version, name } of runs) {
    console.log(`\n===== ${name} =====`);
    let result;
    try {
      if (suite === 'checks') result = runChecks();
      if (suite === 'unit') result = await runMocha(suite, path.join(REPO_ROOT, 'out', 'test', 'unit'));
      if (suite === 'integration') result = await runIntegration(version);
      if (suite === 'ui') result = await runMocha(suite, path.join(REPO_ROOT, 'out', 'test', 'ui'), { timeout: 120_000 });
    } catch (error) {
      console.error(`${name} could not run: ${error?.stack ?? error}`);
      result = { passed: 0, failed: 1, skipped: 0, failures: [`could not run: ${error?.message ?? error}`] };
    }
    totals.passed += result.passed;
    totals.failed += result.failed;
    totals.skipped += result.skipped ?? 0;
    summary.push(`${name}: ${result.passed} passed, ${result.failed} failed, ${result.skipped ?? 0} skipped`);
    for (const failure of result.failures ?? []) summary.push(`  failed: ${failure.slice(0, 400)}`);
  }
} catch (error) {
  console.error(error?.message ?? error);
  totals.failed += 1;
}
if (process.env.NODE_V8_COVERAGE) {
  takeCoverage(); // this process's own share (the unit and UI suites ran here), before it is read
  try {
    console.log(`\n${coverageSummary(REPO_ROOT, process.env.NODE_V8_COVERAGE, COVERAGE_DIR)}`);
  } catch (error) {
    console.error(`coverage could not be summarised: ${error?.message ?? error}`);
  }
}
if (process.env.CI && totals.skipped > 0) {
  console.error(`${totals.skipped} tests were skipped under CI: each counts as a failure.`);
  totals.failed += totals.skipped;
}
console.log(`\n${summary.join('\n')}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 || totals.passed === 0 ? 1 : 0);
