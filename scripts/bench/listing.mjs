// Listing at scale: 1,000 instances in each of 4 regions behind 50 ms per request, listed by our code path
// (SdkNotebookApi, real SDK, regions in parallel) in a child process, against the ideal of pages in sequence
// per region and regions in parallel. The endpoint's request log tells where the time goes.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT, countRow, infoRow, median, ms, ratioRow, round } from './common.mjs';

const require = createRequire(join(REPO_ROOT, 'package.json'));
const CHILD = fileURLToPath(new URL('./listingChild.cjs', import.meta.url));
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'];
const PER_REGION = 1000;
const PAGE_SIZE = 100; // src/aws/notebookApi.ts
const LATENCY_MS = 50;
const BUDGET = 1.3;

function cleanEnv(extra) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^AWS_/.test(k)) env[k] = v;
  return { ...env, ...extra };
}

/** Where the time of one run went, from the endpoint's log (same machine clock, epoch ms). */
function breakdown(requests, start) {
  const byRegion = new Map();
  for (const r of requests) byRegion.set(r.region, [...(byRegion.get(r.region) ?? []), r]);
  const server = [];
  const gaps = [];
  const firstStart = [];
  for (const list of byRegion.values()) {
    list.sort((a, b) => a.startedAt - b.startedAt);
    firstStart.push(list[0].startedAt - start);
    list.forEach((r, i) => {
      server.push(r.endedAt - r.startedAt);
      if (i > 0) gaps.push(r.startedAt - list[i - 1].endedAt);
    });
  }
  return {
    serverMsPerRequest: round(median(server), 1),
    clientGapMsPerPage: round(median(gaps), 1),
    maxClientGapMs: round(Math.max(...gaps), 1),
    firstRequestAfterMs: round(median(firstStart), 1),
  };
}

export async function benchListing({ runs = 3 } = {}) {
  const { startLocalSageMaker, DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY } = require(
    join(REPO_ROOT, 'out', 'test', 'endpoint', 'server.js'),
  );
  // One listener per region, as SageMaker has an endpoint per region; the child gets them as the endpoint map.
  const endpoint = await startLocalSageMaker({ region: REGIONS[0], regions: REGIONS.slice(1) });
  for (const region of REGIONS) endpoint.addMany(PER_REGION, { region, prefix: `bench-${region}` });
  endpoint.inject('ListNotebookInstances', { latencyMs: LATENCY_MS });
  const aws = mkdtempSync(join(tmpdir(), 'smn-bench-aws-'));
  writeFileSync(join(aws, 'config'), '[default]\nregion = us-east-1\n');
  writeFileSync(
    join(aws, 'credentials'),
    `[default]\naws_access_key_id = ${DEFAULT_ACCESS_KEY_ID}\naws_secret_access_key = ${DEFAULT_SECRET_ACCESS_KEY}\n`,
  );
  const child = fork(CHILD, [], {
    execArgv: ['--expose-gc'],
    env: cleanEnv({
      AWS_CONFIG_FILE: join(aws, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(aws, 'credentials'),
      SMN_BENCH_ENDPOINTS: JSON.stringify(Object.fromEntries(REGIONS.map((r) => [r, endpoint.regionUrl(r)]))),
    }),
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'], // stderr kept for errors: the SDK warns about node 20 on every start
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  const ask = (message) =>
    new Promise((resolve, reject) => {
      child.once('message', (m) => (m.ok ? resolve(m.result) : reject(new Error(`listing failed in the child: ${m.error}`))));
      child.once('exit', (code) => reject(new Error(`listing child exited with ${code}: ${stderr}`)));
      child.send(message);
    });
  const results = [];
  let overhead;
  try {
    for (let i = 0; i < runs; i++) {
      endpoint.resetLog();
      const r = await ask({ regions: REGIONS });
      const requests = endpoint.requests.filter((q) => q.op === 'ListNotebookInstances');
      results.push({ ...r, requests: requests.length, ...breakdown(requests, r.start) });
    }
    overhead = await ask({ overhead: 30 });
  } finally {
    child.kill();
    await endpoint.stop();
    rmSync(aws, { recursive: true, force: true });
  }
  const pages = Math.ceil(PER_REGION / PAGE_SIZE);
  const ideal = pages * LATENCY_MS;
  const first = results[0];
  const later = results.slice(1);
  const figures = {
    regions: REGIONS.length,
    perRegion: PER_REGION,
    latencyMs: LATENCY_MS,
    idealMs: ideal,
    sdkPerPageWithoutNetwork: overhead,
    runs: results.map((r) => ({
      ...r,
      wallMs: round(r.wallMs, 1),
      heapGrowthMB: round(r.heapGrowthBytes / 2 ** 20, 2),
      sdkLoadMs: round(r.sdkLoadMs, 1),
    })),
  };
  const wrongCounts = results.filter((r) => r.counts.some((c) => c !== PER_REGION));
  if (wrongCounts.length)
    throw new Error(`listing returned ${JSON.stringify(wrongCounts[0].counts)} instances per region, expected ${PER_REGION}`);
  const explain = (r) =>
    `per request: server ${r.serverMsPerRequest} ms (incl. ${LATENCY_MS} injected), client gap between pages ${r.clientGapMsPerPage} ms (max ${r.maxClientGapMs}), first request after ${r.firstRequestAfterMs} ms; SDK alone per 100-instance page without network ${round(overhead.medianMs, 1)} ms`;
  const rows = [
    ratioRow({
      measure: 'listing 4×1000: first listing',
      value: first.wallMs,
      reference: ideal,
      budget: BUDGET,
      unit: 'ms',
      format: ms,
      note: `ideal ${pages} pages × ${LATENCY_MS} ms; fresh SdkNotebookApi (credentials, clients, connections); ${explain(first)}; SDK require ${round(first.sdkLoadMs, 0)} ms before, not counted`,
    }),
    ...(later.length
      ? [
          ratioRow({
            measure: `listing 4×1000: median of next ${later.length}`,
            value: median(later.map((r) => r.wallMs)),
            reference: ideal,
            budget: BUDGET,
            unit: 'ms',
            format: ms,
            note: `each a fresh SdkNotebookApi, as after a refresh; ${explain(later[later.length - 1])}`,
          }),
        ]
      : []),
    countRow({
      measure: 'listing 4×1000: requests',
      value: first.requests,
      limit: REGIONS.length * pages,
      note: `expected ${REGIONS.length} regions × ${pages} pages; later runs: ${later.map((r) => r.requests).join(', ') || '—'}`,
    }),
    infoRow({
      measure: 'listing 4×1000: heap growth after GC',
      value: first.heapGrowthBytes / 2 ** 20,
      unit: 'MB',
      shown: `${(first.heapGrowthBytes / 2 ** 20).toFixed(1)} MB`,
      note: `holding the ${REGIONS.length * PER_REGION} listed instances and the clients; ${Math.round(first.heapGrowthBytes / (REGIONS.length * PER_REGION))} B per instance; later runs ${later.map((r) => (r.heapGrowthBytes / 2 ** 20).toFixed(1)).join(', ')} MB`,
    }),
  ];
  return { rows, figures };
}
