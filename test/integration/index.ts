// Entry point of the integration suite, loaded by VS Code's extension host (code-server here,
// @vscode/test-electron where desktop VS Code can be downloaded). Writes its counts to SMN_TEST_RESULTS.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';
import { takeCoverage } from 'v8';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, reporter: 'spec' });
  const grep = process.env.SMN_TEST_GREP;
  if (grep) mocha.grep(grep);
  // activation.test runs first: it checks what activation alone loaded, before any view asks for data.
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js'));
  files.sort((a, b) => (a.startsWith('activation') ? -1 : b.startsWith('activation') ? 1 : a.localeCompare(b)));
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const results = { passed: runner.stats?.passes ?? 0, failed: runner.stats?.failures ?? failures, pending: runner.stats?.pending ?? 0 };
      if (process.env.SMN_TEST_RESULTS) fs.writeFileSync(process.env.SMN_TEST_RESULTS, JSON.stringify(results));
      // The extension host may be ended by a signal, which writes no coverage: write this host's now.
      if (process.env.NODE_V8_COVERAGE) takeCoverage();
      if (failures > 0) reject(new Error(`${failures} integration tests failed`));
      else resolve();
    });
  });
}
