// The client side of the terminal benchmark, in its own process so the gateway and Jupyter (in the parent and
// its child) do not share its event loop. Both clients talk to the same Jupyter terminal through the same local
// gateway with the same sign-in: "direct" is a bare `ws` client speaking terminado's JSON, "extension" is our
// InstanceTerminal (out/src/terminal) fed by our JupyterConnection, its output taken from onDidWrite as VS Code
// takes it. Commands arrive over IPC: { presignedUrl } once, then { echo: n } and { cat: command, marker }.
'use strict';
const path = require('path');
const { performance } = require('perf_hooks');
const { Agent } = require('http');
const WebSocket = require('ws');

const OUT = path.join(__dirname, '..', '..', 'out', 'src');
const { JupyterConnection } = require(path.join(OUT, 'jupyter', 'connection.js'));
const { InstanceTerminal } = require(path.join(OUT, 'terminal', 'instanceTerminal.js'));
const { JupyterTerminals } = require(path.join(OUT, 'terminal', 'jupyterTerminals.js'));
const { english } = require(path.join(OUT, 'shared', 'l10n.js'));
const { systemClock } = require(path.join(OUT, 'shared', 'clock.js'));

const logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
let clients;

/** Both clients, each on a terminal of its own, each with a callback per chunk of output. */
async function setUp(presignedUrl) {
  const connection = new JupyterConnection({
    presign: async () => ({ url: presignedUrl, sessionSeconds: 3600 }),
    agentFor: async () => new Agent({ keepAlive: true }),
    logger,
    clock: systemClock,
    autoRenew: () => false,
  });
  await connection.ready();
  const terminals = new JupyterTerminals(connection);

  const direct = { listener: () => undefined };
  {
    const { name } = await terminals.create();
    const socketPath = `/terminals/websocket/${name}`;
    const { cookie } = await connection.credentials(socketPath);
    const ws = new WebSocket(connection.origin.replace(/^http/, 'ws') + socketPath, {
      headers: { Origin: connection.origin, Cookie: cookie },
      agent: connection.agent,
      perMessageDeflate: false,
    });
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString());
      if (message[0] === 'stdout') direct.listener(message[1]);
    });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    ws.send(JSON.stringify(['set_size', 24, 80]));
    direct.input = (text) => ws.send(JSON.stringify(['stdin', text]));
  }

  const extension = { listener: () => undefined };
  {
    const { name } = await terminals.create();
    const pty = new InstanceTerminal({
      target: { title: 'bench', connection, release: () => undefined, name, endOnClose: true },
      logger,
      l10n: english,
    });
    pty.onDidWrite((text) => extension.listener(text));
    pty.open({ rows: 24, columns: 80 });
    extension.input = (text) => pty.handleInput(text);
  }
  clients = { direct, extension };
  // Both at their first prompt.
  for (const c of Object.values(clients)) await waitFor(c, () => 'echo ready-$((2+3))\r', /ready-5\r\n/);
}

/** Sends what `send` gives and resolves when the output since then matches. */
function waitFor(client, send, pattern, timeoutMs = 60_000) {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`no ${pattern} within ${timeoutMs} ms: ${JSON.stringify(seen.slice(-200))}`)),
      timeoutMs,
    );
    client.listener = (text) => {
      // Only the end is searched: a long output is not scanned again on every chunk.
      seen = seen.slice(-256) + text;
      if (pattern.test(seen)) {
        clearTimeout(timer);
        client.listener = () => undefined;
        resolve();
      }
    };
    client.input(send());
  });
}

/** One keystroke's round trip: a letter typed at the prompt, until the shell echoes it. */
async function echo(client, n) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const letter = String.fromCharCode(97 + (i % 26));
    const t0 = performance.now();
    await waitFor(client, () => letter, new RegExp(`${letter}$`));
    times.push(performance.now() - t0);
    // Ctrl-U every 20 letters and at the end: the line is erased, the prompt left empty.
    if (i % 20 === 19 || i === n - 1) await waitFor(client, () => '\x15', /\x1b\[K$/);
  }
  return times;
}

/**
 * The time until the marker after the output arrived, and the CPU this process spent meanwhile (the client's own
 * work: the other client is idle): what of the time is the client's, and what is waiting on the server.
 */
async function cat(client, command, marker) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await waitFor(client, () => `${command}\r`, new RegExp(marker));
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000 };
}

process.on('message', async (m) => {
  try {
    let result;
    if (m.presignedUrl) result = await setUp(m.presignedUrl);
    else if (m.echo) result = await echo(clients[m.client], m.echo);
    else if (m.cat) result = await cat(clients[m.client], m.cat, m.marker);
    process.send({ ok: true, result });
  } catch (error) {
    process.send({ ok: false, error: String((error && error.stack) || error) });
  }
});
