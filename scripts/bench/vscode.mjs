// The benchmarks that need the real extension in a real extension host: the suite in test/bench (compiled to
// out/test/bench) runs inside code-server against the packaged extension built for this run, and writes its
// figures to a JSON file, turned into rows here.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCodeServer } from '../vscode/install.mjs';
import { runIntegrationSuite } from '../vscode/codeServer.mjs';
import { REPO_ROOT, countRow, ms, ratioRow, round } from './common.mjs';

const OPEN_BUDGET = 1.5;
/** Instance files: the budget against the same Contents API calls made directly. */
const FILES_BUDGET = 1.2;
/** The kernels issue's budgets: a trivial cell ≤ 1.15× a direct @jupyterlab/services client, 10 MB printed ≤ 1.3×. */
const KERNEL_TRIVIAL_BUDGET = 1.15;
const KERNEL_PRINT_BUDGET = 1.3;

/** @param {{ extensionDir: string, windowMs?: number }} options */
export async function benchInVsCode({ extensionDir, windowMs = 30_000 }) {
  const dir = mkdtempSync(join(tmpdir(), 'smn-bench-vscode-'));
  const figuresFile = join(dir, 'figures.json');
  const workspace = join(dir, 'workspace');
  mkdirSync(workspace);
  try {
    const { bin, version } = await ensureCodeServer();
    const suite = await runIntegrationSuite({
      bin,
      extensionPath: extensionDir,
      suitePath: join(REPO_ROOT, 'out', 'test', 'bench', 'index'),
      workspace,
      resultsFile: join(dir, 'results.json'),
      env: { SMN_BENCH_RESULTS: figuresFile, SMN_BENCH_WINDOW_MS: String(windowMs) },
      timeoutMs: 4 * windowMs + 600_000, // the instance files bench moves 100 MB six times
      logsDir: join(REPO_ROOT, '.bench', 'vscode-logs'),
    });
    const figures = existsSync(figuresFile) ? JSON.parse(readFileSync(figuresFile, 'utf8')) : {};
    figures.codeServer = version;
    figures.suite = { passed: suite.passed, failed: suite.failed, exitCode: suite.exitCode };
    return {
      rows: rowsFrom(figures),
      figures,
      failed: suite.failed > 0 || !figures.open || !figures.idle || !figures.timer || !figures.files || !figures.kernels,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function rowsFrom(f) {
  const rows = [];
  if (f.open) {
    rows.push(
      countRow({
        measure: 'open InService: requests per open',
        value: f.open.requestsPerOpen,
        limit: 1,
        note: `ops: ${f.open.ops.join(', ')}; ${f.open.samples} opens`,
      }),
    );
    rows.push(
      ratioRow({
        measure: 'open InService: command → opener',
        value: f.open.openMs,
        reference: f.open.roundTripMs,
        budget: OPEN_BUDGET,
        unit: 'ms',
        format: ms,
        note: `round trip = one bare signed ${'CreatePresignedNotebookInstanceUrl'} by fetch, ${f.open.latencyMs} ms latency injected for both; medians of ${f.open.samples}; budget ${OPEN_BUDGET}× chosen by the bench`,
      }),
    );
  }
  if (f.kernels) {
    const k = f.kernels;
    rows.push(
      ratioRow({
        measure: 'kernels: trivial cell round trip',
        value: k.trivialMs,
        reference: k.trivialDirectMs,
        budget: KERNEL_TRIVIAL_BUDGET,
        unit: 'ms',
        format: ms,
        note: `"1+1" from notebook.cell.execute to the cell's end in VS Code's notebook, vs a direct @jupyterlab/services client on the same gateway and Jupyter; medians of ${k.samples}`,
      }),
    );
    rows.push(
      ratioRow({
        measure: 'kernels: printing 10 MB',
        value: k.tenMbMs,
        reference: k.tenMbDirectMs,
        budget: KERNEL_PRINT_BUDGET,
        unit: 'ms',
        format: ms,
        note: `100 000 lines of 100 B, every byte in the cell's output vs received by the direct client; medians of ${k.bigSamples}`,
      }),
    );
  }
  if (f.idle) {
    const perMinute = (n) => (n * 60_000) / f.idle.windowMs;
    const seconds = round(f.idle.windowMs / 1000, 0);
    rows.push(
      countRow({
        measure: 'idle, settled tree: requests/min',
        value: perMinute(f.idle.settled.requests),
        limit: 0,
        note: `${f.idle.settled.requests} requests in a ${seconds} s window, × ${round(60_000 / f.idle.windowMs, 2)}; poller watching ${f.idle.settled.poller.watching}`,
      }),
    );
    const t = f.idle.transitional;
    rows.push(
      ratioRow({
        measure: 'idle, 1 transitional: requests/min',
        value: perMinute(t.requests),
        reference: perMinute(t.scheduledAtMs.length),
        budget: 1,
        unit: '/min',
        format: (x) => `${round(x, 1)}/min`,
        note: `${t.requests} requests (${[...new Set(t.ops)].join(', ') || 'none'}) at ${t.atMs.map((x) => round(x / 1000, 1)).join(', ')} s in the ${seconds} s after listing, × ${round(60_000 / f.idle.windowMs, 2)}; limit = back-off schedule 3 s ×1.5 (${t.scheduledAtMs.map((x) => x / 1000).join(', ')} s); steady state ${f.idle.steadyStatePerMinute}/min at 30 s`,
      }),
    );
  }
  if (f.files) {
    const x = f.files;
    const direct = `the same Contents API calls made directly to the same Jupyter (no gateway), medians of ${x.samples}`;
    if (x.writeMs !== undefined) {
      rows.push(
        ratioRow({
          measure: `files: write ${x.sizeMiB} MB (chunked)`,
          value: x.writeMs,
          reference: x.directWriteMs,
          budget: FILES_BUDGET,
          unit: 'ms',
          format: ms,
          note: `${x.writeRequests} requests (1 MiB chunks and a stat); reference: ${direct}`,
        }),
      );
      rows.push(
        ratioRow({
          measure: `files: read ${x.sizeMiB} MB`,
          value: x.readMs,
          reference: x.directReadMs,
          budget: FILES_BUDGET,
          unit: 'ms',
          format: ms,
          note: `a stat and a streamed GET /files/; reference: ${direct}`,
        }),
      );
    }
    if (x.listMs !== undefined) {
      rows.push(
        countRow({
          measure: 'files: listing 1,000 files: requests',
          value: x.listRequests,
          limit: 1,
          note: `the Explorer's stats of the 1,000 entries right after: ${x.statRequestsAfterListing} requests`,
        }),
      );
      rows.push(
        ratioRow({
          measure: 'files: listing 1,000 files',
          value: x.listMs,
          reference: x.directListMs,
          budget: FILES_BUDGET,
          unit: 'ms',
          format: ms,
          note: 'reference: the same GET made directly, medians of 5',
        }),
      );
    }
    if (x.openEditSaveRequests !== undefined) {
      rows.push(
        countRow({
          measure: 'files: requests of one open-edit-save',
          value: x.openEditSaveRequests,
          limit: 6,
          note: `open ${x.openRequests}, save ${x.openEditSaveRequests - x.openRequests} (stats cached for 1 s; the save checks the server's stat before writing); limit chosen by the bench`,
        }),
      );
    }
  }
  if (f.timer) {
    const perMinute = (f.timer.updates * 60_000) / f.timer.windowMs;
    rows.push(
      countRow({
        measure: 'timer, session far from end: updates/min',
        value: perMinute,
        limit: 1,
        note: `${f.timer.updates} status bar updates in a ${round(f.timer.windowMs / 1000, 1)} s window during the idle windows, × ${round(60_000 / f.timer.windowMs, 2)}; text "${f.timer.text}"`,
      }),
    );
  }
  return rows;
}
