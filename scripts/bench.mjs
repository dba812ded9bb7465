#!/usr/bin/env node
// `npm run bench`: activation, size, listing at scale, the terminal, open, idle and timer costs of the packaged extension,
// each measured side by side with its limit in the same run. Prints one table and writes it with every
// figure to .bench/results.json. Exits non-zero only when a measurement could not run; a figure over its
// budget is printed as MISS.
//   node scripts/bench.mjs [--quick] [--no-vscode]
//   --quick      fewer activation samples, 10 s idle windows (for trying the bench, not for the record)
//   --no-vscode  skip the part that runs inside code-server (open, idle, timer)
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { REPO_ROOT } from './bench/common.mjs';
import { prepare } from './bench/prepare.mjs';
import { benchActivation } from './bench/activation.mjs';
import { benchSize } from './bench/size.mjs';
import { benchListing } from './bench/listing.mjs';
import { benchTerminal } from './bench/terminal.mjs';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const withVsCode = !args.includes('--no-vscode');
const started = Date.now();
const say = (msg) => process.stdout.write(`[bench] ${msg}\n`);

function machine() {
  const info = readFileSync('/proc/cpuinfo', 'utf8');
  const model = info.match(/^model name\s*:\s*(.+)$/m)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  return {
    cpu: model.trim(),
    cores: cpus().length,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverageAtStart: load,
  };
}

function compileTests() {
  // out/ holds the endpoint, SdkNotebookApi and the in-VS Code bench suite. Type errors elsewhere in the tree
  // (others may be mid-edit) do not stop tsc from emitting, so they are reported, not fatal.
  try {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.test.json'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    say(
      `warning: tsc reported errors (output still emitted):\n${String(error.stdout ?? '')
        .split('\n')
        .slice(0, 10)
        .join('\n')}`,
    );
  }
}

const results = {
  machine: machine(),
  startedAt: new Date().toISOString(),
  options: { quick, withVsCode },
  rows: [],
  figures: {},
  errors: [],
};

async function section(name, fn) {
  const t = Date.now();
  say(`${name}…`);
  try {
    const { rows, figures, failed } = await fn();
    results.rows.push(...rows);
    results.figures[name] = figures;
    if (failed) results.errors.push(`${name}: the suite reported failures (see its output above)`);
    say(`${name} done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  } catch (error) {
    results.errors.push(`${name}: ${error?.stack ?? error}`);
    say(`${name} FAILED: ${error?.message ?? error}`);
  }
}

function table(rows) {
  const okText = (ok) => (ok === 'info' ? 'info' : ok ? 'ok' : 'MISS');
  const cells = rows.map((r) => [
    r.measure,
    r.shown,
    r.limitShown ?? '—',
    r.ratio === null || r.ratio === undefined ? '—' : `${r.ratio}×`,
    okText(r.ok),
  ]);
  const head = ['measure', 'value', 'limit', 'ratio', 'ok'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => String(c[i]).length)));
  const line = (c) => `| ${c.map((x, i) => String(x).padEnd(widths[i])).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}

let prepared;
try {
  say(
    `machine: ${results.machine.cpu}, ${results.machine.cores} cores, node ${results.machine.node}, load ${results.machine.loadAverageAtStart}`,
  );
  say('compiling out/ (tests, endpoint, bench suite)…');
  compileTests();
  say('building the production bundles in a temporary folder…');
  prepared = prepare();
  await section('activation', () => benchActivation({ ...prepared, samples: quick ? 5 : 31 }));
  await section('size', () => benchSize(prepared));
  await section('listing', () => benchListing({ runs: 5 }));
  await section('terminal', () => benchTerminal({ echoes: quick ? 80 : 200, cats: quick ? 2 : 8 }));
  if (withVsCode) {
    const { benchInVsCode } = await import('./bench/vscode.mjs');
    await section('vscode', () => benchInVsCode({ extensionDir: prepared.extensionDir, windowMs: quick ? 10_000 : 30_000 }));
  }
} catch (error) {
  results.errors.push(`setup: ${error?.stack ?? error}`);
} finally {
  if (prepared) rmSync(prepared.root, { recursive: true, force: true });
}

results.durationS = Math.round((Date.now() - started) / 1000);
results.machine.loadAverageAtEnd = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const misses = results.rows.filter((r) => r.ok === false);
mkdirSync(join(REPO_ROOT, '.bench'), { recursive: true });
writeFileSync(join(REPO_ROOT, '.bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);

const m = results.machine;
console.log(
  `\nSageMaker Notebook Instances benchmark: ${m.cpu}, ${m.cores} cores, node ${m.node}, load ${m.loadAverageAtStart} → ${m.loadAverageAtEnd}, ${results.durationS} s\n`,
);
console.log(table(results.rows));
console.log('\nNotes:');
for (const r of results.rows) if (r.note) console.log(`- ${r.measure}: ${r.note}`);
console.log(misses.length ? `\nMISS: ${misses.map((r) => r.measure).join('; ')}` : '\nAll budgets met.');
for (const e of results.errors) console.error(`\nERROR ${e}`);
console.log(`\nWritten to .bench/results.json`);
process.exit(results.errors.length ? 1 : 0);
