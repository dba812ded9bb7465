// Entry point of the benchmark suite run inside VS Code's extension host (scripts/bench.mjs runs it in
// code-server with runIntegrationSuite). The open benchmark runs first; the idle one keeps the session it
// needs for the status bar timer. Counts go to SMN_TEST_RESULTS, figures to SMN_BENCH_RESULTS.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

const ORDER = ['open.bench.js', 'idle.bench.js', 'files.bench.js'];

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 120_000, reporter: 'spec' });
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.bench.js'));
  files.sort((a, b) => (ORDER.indexOf(a) + 1 || 99) - (ORDER.indexOf(b) + 1 || 99) || a.localeCompare(b));
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const results = {
        passed: runner.stats?.passes ?? 0,
        failed: runner.stats?.failures ?? failures,
        pending: runner.stats?.pending ?? 0,
      };
      if (process.env.SMN_TEST_RESULTS) fs.writeFileSync(process.env.SMN_TEST_RESULTS, JSON.stringify(results));
      if (failures > 0) reject(new Error(`${failures} benchmarks failed`));
      else resolve();
    });
  });
}
