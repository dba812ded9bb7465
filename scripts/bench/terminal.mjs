// Terminal on an instance: a keystroke's echo round trip and `cat` of a 10 MB file through our Pseudoterminal
// (InstanceTerminal over our Jupyter connection), against a bare WebSocket client on the same gateway, the same
// jupyter_server with terminado and bash, in the same run, runs alternating between the two.
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT, median, ms, ratioRow, round } from './common.mjs';

const require = createRequire(join(REPO_ROOT, 'package.json'));
const CHILD = fileURLToPath(new URL('./terminalChild.cjs', import.meta.url));
const ECHO_BUDGET = 1.2;
const CAT_BUDGET = 1.3;
const FILE_MB = 10;

/**
 * `cats` runs of each client, alternating which goes first: an even count gives each order the same number of
 * runs (the second of a pair tends to run on a warmer or a busier server), and enough runs that the median is not
 * one noisy run on a loaded machine.
 */
export async function benchTerminal({ echoes = 200, cats = 8 } = {}) {
  const { startJupyterServer } = require(join(REPO_ROOT, 'out', 'test', 'support', 'jupyterServer.js'));
  const { startLocalSageMaker } = require(join(REPO_ROOT, 'out', 'test', 'endpoint', 'server.js'));
  const { localClient } = require(join(REPO_ROOT, 'out', 'test', 'endpoint', 'testClient.js'));
  const { CreatePresignedNotebookInstanceUrlCommand } = require('@aws-sdk/client-sagemaker');
  const jupyter = await startJupyterServer();
  const endpoint = await startLocalSageMaker({ seed: [{ name: 'bench-term', status: 'InService', jupyterUpstream: jupyter.url }] });
  // 10 MB of 100-character lines, printable, as a log file would be.
  const line = `${'0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'.repeat(2).slice(0, 99)}\n`;
  writeFileSync(join(jupyter.root, 'big.txt'), line.repeat((FILE_MB * 1024 * 1024) / line.length));
  const child = fork(CHILD, [], { stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  const ask = (message) =>
    new Promise((resolve, reject) => {
      const onExit = (code) => reject(new Error(`terminal bench child exited with ${code}: ${stderr}`));
      child.once('exit', onExit);
      child.once('message', (m) => {
        child.off('exit', onExit);
        if (m.ok) resolve(m.result);
        else reject(new Error(`terminal bench failed in the child: ${m.error}`));
      });
      child.send(message);
    });
  const echo = { direct: [], extension: [] };
  const cat = { direct: [], extension: [] };
  const catCpu = { direct: [], extension: [] };
  try {
    const url = (
      await localClient(endpoint).send(new CreatePresignedNotebookInstanceUrlCommand({ NotebookInstanceName: 'bench-term' }))
    ).AuthorizedUrl.replace('?', '/lab?');
    await ask({ presignedUrl: url });
    const order = ['direct', 'extension'];
    for (const client of order) await ask({ client, echo: 20 }); // warm-up
    for (let round = 0; round < 4; round++) {
      for (const client of round % 2 ? [...order].reverse() : order) echo[client].push(...(await ask({ client, echo: echoes / 4 })));
    }
    for (const client of order) await ask({ client, cat: 'cat big.txt; echo cat-$((1000+2345))-done', marker: 'cat-3345-done' }); // warm-up
    for (let i = 0; i < cats; i++) {
      for (const client of i % 2 ? [...order].reverse() : order) {
        const { ms: took, cpuMs } = await ask({ client, cat: 'cat big.txt; echo cat-$((1000+2345))-done', marker: 'cat-3345-done' });
        cat[client].push(took);
        catCpu[client].push(cpuMs);
      }
    }
  } finally {
    child.kill();
    await endpoint.stop();
    await jupyter.stop();
  }
  const figures = {
    echoes,
    echoMs: { direct: round(median(echo.direct), 3), extension: round(median(echo.extension), 3) },
    echoP90Ms: { direct: round(p90(echo.direct), 3), extension: round(p90(echo.extension), 3) },
    catMs: { direct: cat.direct.map((x) => round(x, 0)), extension: cat.extension.map((x) => round(x, 0)) },
    catClientCpuMs: { direct: catCpu.direct.map((x) => round(x, 0)), extension: catCpu.extension.map((x) => round(x, 0)) },
  };
  const rows = [
    ratioRow({
      measure: 'terminal: keystroke echo round trip',
      value: median(echo.extension),
      reference: median(echo.direct),
      budget: ECHO_BUDGET,
      unit: 'ms',
      format: (x) => `${x.toFixed(2)} ms`,
      note: `median of ${echoes} keystrokes each (p90 ${figures.echoP90Ms.extension} vs ${figures.echoP90Ms.direct} ms); reference: a bare ws client on the same gateway and jupyter_server; rounds alternate`,
    }),
    ratioRow({
      measure: `terminal: cat of a ${FILE_MB} MB file`,
      value: median(cat.extension),
      reference: median(cat.direct),
      budget: CAT_BUDGET,
      unit: 'ms',
      format: ms,
      note:
        `median of ${cats} each, alternating which goes first (ours ${figures.catMs.extension.join(', ')} ms; direct ${figures.catMs.direct.join(', ')} ms), ` +
        `until the marker after it arrives; the client process's own CPU per cat: ours median ${round(median(catCpu.extension), 0)} ms, direct ${round(median(catCpu.direct), 0)} ms`,
    }),
  ];
  return { rows, figures };
}

function p90(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length * 0.9)];
}
