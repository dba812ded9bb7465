// Reads the V8 coverage every process of the test run wrote (through source maps, back to src/) with c8, and
// prints line and branch coverage per folder of src/, with the files no test reached named.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const require = createRequire(import.meta.url);

export function coverageSummary(root, rawDir, reportsDir) {
  const env = { ...process.env };
  delete env.NODE_V8_COVERAGE; // the report itself is not part of what is measured
  execFileSync(
    process.execPath,
    [
      require.resolve('c8/bin/c8.js'),
      'report',
      '--temp-directory',
      rawDir,
      '--reports-dir',
      reportsDir,
      '--reporter',
      'json-summary',
      '--reporter',
      'html',
      // Excluded by the path of the code that ran, before source maps lead from dist/ and out/src/ back to
      // src/ (c8's --include and --exclude-after-remap lose the bundles' coverage).
      ...['scripts/**', 'test/**', 'out/test/**', '.vscode-test/**', '**/node_modules/**', '/usr/**'].flatMap((glob) => [
        '--exclude',
        glob,
      ]),
    ],
    { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const summary = JSON.parse(fs.readFileSync(path.join(reportsDir, 'coverage-summary.json'), 'utf8'));
  const src = path.join(root, 'src');
  const reached = new Map(Object.entries(summary).filter(([file]) => file.startsWith(`${src}${path.sep}`) && file.endsWith('.ts')));
  const folders = new Map();
  const untested = fs
    .readdirSync(src, { recursive: true })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !reached.has(path.join(src, f)));
  const total = { lines: [0, 0], branches: [0, 0] };
  for (const [file, data] of reached) {
    total.lines[0] += data.lines.covered;
    total.lines[1] += data.lines.total;
    total.branches[0] += data.branches.covered;
    total.branches[1] += data.branches.total;
    const relative = path.relative(src, file);
    const folder = path.dirname(relative) === '.' ? '(src)' : path.dirname(relative).split(path.sep)[0];
    const into = folders.get(folder) ?? { lines: [0, 0], branches: [0, 0] };
    into.lines[0] += data.lines.covered;
    into.lines[1] += data.lines.total;
    into.branches[0] += data.branches.covered;
    into.branches[1] += data.branches.total;
    folders.set(folder, into);
  }
  const pct = ([covered, total]) => (total === 0 ? '   -  ' : `${((100 * covered) / total).toFixed(1).padStart(5)}%`);
  const rows = [...folders.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([folder, c]) => `  ${folder.padEnd(14)} ${pct(c.lines)}  ${pct(c.branches)}`);
  return [
    'Coverage of src/ (unit, integration and UI together)   lines  branches',
    ...rows,
    `  ${'all'.padEnd(14)} ${pct(total.lines)}  ${pct(total.branches)}`,
    untested.length ? `  reached by no test: ${untested.join(', ')}` : '  every file of src/ is reached by some test',
    `  (report: ${path.relative(root, path.join(reportsDir, 'index.html'))})`,
  ].join('\n');
}
