// Entry point of the integration suite, loaded by VS Code's extension host (code-server here,
// @vscode/test-electron where desktop VS Code can be downloaded). Writes its counts to SMN_TEST_RESULTS.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';
import { takeCoverage } from 'v8';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/main';
import { EXTENSION_ID } from './fixtures';

/** The recorder of the running extension, once its services are loaded (never loads them itself). */
function recorder() {
  const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  if (!ext?.isActive || !require.cache[path.join(ext.extensionPath, 'dist', 'main.js')]) return undefined;
  return ext.exports.testing?.ui;
}

/** Tests by their final state: a test the root afterEach failed after it passed counts as failed only. */
function counts(suite: Mocha.Suite): { passed: number; failed: number; pending: number } {
  const total = { passed: 0, failed: 0, pending: 0 };
  for (const t of suite.tests) {
    if (t.state === 'passed') total.passed++;
    else if (t.state === 'failed') total.failed++;
    else if (t.isPending()) total.pending++;
  }
  for (const child of suite.suites) {
    const c = counts(child);
    total.passed += c.passed;
    total.failed += c.failed;
    total.pending += c.pending;
  }
  return total;
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, reporter: 'spec' });
  const grep = process.env.SMN_TEST_GREP;
  if (grep) mocha.grep(grep);

  // The log at trace for the whole run, so the leak check (zz-leaks) reads every line the extension can write.
  mocha.suite.beforeAll('log level trace', async () => {
    await vscode.commands.executeCommand('_extensionTests.setLogLevel', 'trace');
  });
  // The command wrapper shows an error and resolves: without this a test whose command failed would pass.
  // A test that expects an error takes it with api.testing.ui.takeCommandErrors() and asserts on it.
  mocha.suite.afterEach('no command ended in an error the test did not take', function () {
    const errors = recorder()?.takeCommandErrors() ?? [];
    if (errors.length) {
      (this.test as Mocha.Hook).error(
        new Error(`a command ended in an error the test did not expect: ${errors.map((e) => `${e.command}: ${e.message}`).join(' | ')}`),
      );
    }
  });

  // activation.test runs first: it checks what activation alone loaded, before any view asks for data.
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js'));
  files.sort((a, b) => (a.startsWith('activation') ? -1 : b.startsWith('activation') ? 1 : a.localeCompare(b)));
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    const failures: string[] = [];
    const runner = mocha.run(() => {
      const { passed, failed, pending } = counts(mocha.suite);
      const hookFailures = Math.max(0, (runner.stats?.failures ?? 0) - failed); // failed before/after hooks
      const results = { passed, failed: failed + hookFailures, pending, failures };
      if (process.env.SMN_TEST_RESULTS) fs.writeFileSync(process.env.SMN_TEST_RESULTS, JSON.stringify(results));
      // The extension host may be ended by a signal, which writes no coverage: write this host's now.
      if (process.env.NODE_V8_COVERAGE) takeCoverage();
      if (results.failed > 0) reject(new Error(`${results.failed} integration tests failed`));
      else resolve();
    });
    // Each failure's title and first line, for the run's closing summary.
    runner.on('fail', (test: Mocha.Runnable, error: Error) =>
      failures.push(`${test.fullTitle()}: ${String(error?.message).split('\n')[0]}`),
    );
  });
}
