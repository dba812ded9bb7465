// The Pseudoterminal against the real thing, without VS Code: the local SageMaker gateway (token → session
// cookie, sessions that end, sockets that drop) in front of a real jupyter_server with terminado and bash.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer, connect as tcpConnect, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { CreatePresignedNotebookInstanceUrlCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { JupyterConnection } from '../../../src/jupyter/connection';
import { english } from '../../../src/shared/l10n';
import { InstanceTerminal, type TerminalTarget } from '../../../src/terminal/instanceTerminal';
import { JupyterTerminals } from '../../../src/terminal/jupyterTerminals';
import { startLocalSageMaker, type LocalSageMaker } from '../../endpoint/server';
import { localClient } from '../../endpoint/testClient';
import { startJupyterServer, type RunningJupyterServer } from '../../support/jupyterServer';
import { connectionFor, quietLogger } from '../jupyter/testConnection';

/** A Pseudoterminal as VS Code drives it: opened at a size, its output kept, closed or told to close. */
class Driven {
  output = '';
  closed = false;
  /** Every phase the terminal went through, in order. */
  readonly phases: string[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly pty: InstanceTerminal,
    size = { rows: 24, columns: 80 },
  ) {
    pty.onDidWrite((text) => {
      this.output += text;
      for (const w of [...this.waiters]) w();
    });
    pty.onDidChangePhase((phase) => {
      this.phases.push(phase);
      for (const w of [...this.waiters]) w();
    });
    pty.onDidClose(() => {
      this.closed = true;
      for (const w of [...this.waiters]) w();
    });
    pty.open(size);
  }

  /** Waits until the output (from `from` on) matches. */
  async waitFor(pattern: RegExp, from = 0, timeoutMs = 15_000): Promise<RegExpExecArray> {
    return this.until(() => pattern.exec(this.output.slice(from)) ?? undefined, `output matching ${pattern}`, timeoutMs);
  }

  until<T>(probe: () => T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = probe();
        if (value === undefined || value === false) return false;
        this.waiters.delete(check);
        clearTimeout(timer);
        clearInterval(poll);
        resolve(value);
        return true;
      };
      // Events wake it; the poll catches what no event announces (a lease let go, say).
      const poll = setInterval(check, 25);
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        clearInterval(poll);
        reject(new Error(`Timed out waiting for ${what}; output so far: ${JSON.stringify(this.output.slice(-400))}`));
      }, timeoutMs);
      if (!check()) this.waiters.add(check);
    });
  }

  /** Types a line and waits for the marker it prints. */
  async run(command: string, marker: RegExp): Promise<string> {
    const from = this.output.length;
    this.pty.handleInput(`${command}\r`);
    return (await this.waitFor(marker, from))[0];
  }
}

describe('Terminal on an instance, through the gateway to a real jupyter_server', function () {
  this.timeout(60_000);
  let jupyter: RunningJupyterServer;
  let endpoint: LocalSageMaker;
  let client: SageMakerClient;
  let connection: JupyterConnection;
  let terminals: JupyterTerminals;
  let released = 0;

  const presign = async () =>
    (await client.send(new CreatePresignedNotebookInstanceUrlCommand({ NotebookInstanceName: 'nb' }))).AuthorizedUrl!.replace('?', '/lab?');
  const target = async (endOnClose = true, name?: string): Promise<TerminalTarget> => ({
    title: 'nb',
    connection,
    release: () => void released++,
    name: name ?? (await terminals.create()).name,
    endOnClose,
  });
  const running = async () => (await terminals.list()).map((t) => t.name);
  const open = async (t: TerminalTarget | (() => Promise<TerminalTarget | undefined>)) =>
    new Driven(new InstanceTerminal({ target: t, logger: quietLogger, l10n: english, reconnectDelaysMs: [0, 100, 200, 400, 800, 1600] }));

  before(async () => {
    jupyter = await startJupyterServer();
    endpoint = await startLocalSageMaker({ seed: [{ name: 'nb', status: 'InService', jupyterUpstream: jupyter.url }] });
    client = localClient(endpoint);
  });
  beforeEach(() => {
    connection = connectionFor(presign);
    terminals = new JupyterTerminals(connection);
    released = 0;
  });
  afterEach(() => connection.close());
  after(async () => {
    await endpoint?.stop();
    await jupyter?.stop();
  });

  it("echoes a command's output, colours included, and a pasted block runs line by line", async () => {
    const term = await open(await target());
    await term.waitFor(/\$ $/);
    assert.match(term.output, /^\x1b\[2mConnecting to nb…\x1b\[0m\r\x1b\[K/, 'the connecting line gave way to the prompt');
    assert.equal(await term.run('echo $((6*7))', /^42\r$/m), '42\r');
    await term.run("printf '\\033[31mred\\033[0m\\n'", /\x1b\[31mred\x1b\[0m/);
    const from = term.output.length;
    term.pty.handleInput('A=1\rB=2\recho "$A$B"\r');
    await term.waitFor(/^12\r$/m, from);
    term.pty.close();
  });

  it('full-screen programs: top redraws the screen, vim takes the alternate screen; keys drive them and they give the terminal back', async () => {
    const term = new Driven(new InstanceTerminal({ target: await target(), logger: quietLogger, l10n: english }), {
      rows: 30,
      columns: 100,
    });
    await term.waitFor(/\$ $/);
    let from = term.output.length;
    term.pty.handleInput('top -d 0.5\r');
    await term.waitFor(/\x1b\[H\x1b\[2J[\s\S]*load average/, from); // home and clear, then top's header
    term.pty.handleInput('q');
    await term.waitFor(/\$ $/, term.output.length);

    from = term.output.length;
    term.pty.handleInput('vim -u NONE -N vimmed.txt\r');
    await term.waitFor(/\x1b\[\?1049h/, from);
    await term.waitFor(/"vimmed\.txt" \[New\]/, from);
    term.pty.handleInput('iwritten in vim\x1b:wq\r');
    await term.waitFor(/\x1b\[\?1049l[\s\S]*\$ $/, from);
    assert.equal((await readFile(join(jupyter.root, 'vimmed.txt'), 'utf8')).trim(), 'written in vim');
    term.pty.close();
  });

  it("starts in the server's root folder, or in the folder asked for", async () => {
    const root = await open(await target());
    await root.run('pwd', new RegExp(`^${jupyter.root}\\r$`, 'm'));
    root.pty.close();
    const inWork = await open({ ...(await target()), name: (await terminals.create('work')).name });
    await inWork.run('pwd', new RegExp(`^${join(jupyter.root, 'work')}\\r$`, 'm'));
    inWork.pty.close();
  });

  it('resizes: stty size reports the size VS Code gives, and a size of nothing is not sent', async () => {
    const term = new Driven(new InstanceTerminal({ target: await target(), logger: quietLogger, l10n: english }), {
      rows: 30,
      columns: 100,
    });
    await term.waitFor(/\$ $/);
    assert.equal(await term.run('stty size', /^\d+ \d+\r$/m), '30 100\r');
    term.pty.setDimensions({ rows: 41, columns: 132 });
    term.pty.setDimensions({ rows: 0, columns: 0 }); // a hidden panel
    assert.equal(await term.run('stty size', /^\d+ \d+\r$/m), '41 132\r');
    term.pty.close();
  });

  it('a dropped socket reconnects to the same terminal: its shell state is kept and nothing is shown twice', async () => {
    const term = await open(await target());
    await term.run('X=kept; echo first-$((1+1))', /^first-2\r$/m);
    await term.waitFor(/\$ $/);
    const before = term.output;
    await endpoint.dropNotebookSockets('nb');
    await term.until(() => term.phases.includes('reconnecting') || undefined, 'the terminal to see the drop');
    await term.until(() => term.pty.phase === 'connected' || undefined, 'the terminal to reconnect');
    assert.equal(term.output, before, "the replay of the terminal's output showed nothing again");
    assert.equal(await term.run('echo $X-$((2+3))', /^kept-5\r$/m), 'kept-5\r');
    assert.equal(term.output.split('first-2\r\n').length, 2, 'the earlier output is there once');
    term.pty.close();
  });

  it('output written while the socket was down is shown once it is back, once; keys typed meanwhile are sent', async () => {
    // The first attempt waits 600 ms: the shell prints while no socket is connected, and keys are typed then.
    const term = new Driven(
      new InstanceTerminal({ target: await target(), logger: quietLogger, l10n: english, reconnectDelaysMs: [600, 100, 200] }),
    );
    await term.waitFor(/\$ $/);
    const from = term.output.length;
    term.pty.handleInput('sleep 0.2; echo while-away\r');
    await term.waitFor(/sleep 0\.2; echo while-away\r\n/, from);
    await endpoint.dropNotebookSockets('nb');
    await term.until(() => term.pty.phase === 'reconnecting' || undefined, 'the drop');
    term.pty.handleInput('echo typed-meanwhile\r');
    assert.equal(term.pty.phase, 'reconnecting', 'typed while the socket was down');
    assert.doesNotMatch(term.output.slice(from), /while-away\r\n.*\$ /s, 'printed while no socket was connected');
    await term.waitFor(/^while-away\r$/m, from);
    await term.waitFor(/^typed-meanwhile\r$/m, from);
    assert.equal(term.output.slice(from).match(/^while-away\r$/gm)?.length, 1);
    assert.equal(term.output.slice(from).match(/sleep 0\.2; echo while-away/g)?.length, 1, 'the command line is not shown again');
    term.pty.close();
  });

  it('a session that ends under it is renewed by the connection and the terminal goes on', async () => {
    const term = await open(await target());
    await term.run('Y=still; echo ok', /^ok\r$/m);
    await endpoint.endNotebookSessions('nb');
    await term.until(() => term.phases.includes('reconnecting') || undefined, 'the session end');
    await term.until(() => term.pty.phase === 'connected' || undefined, 'the terminal to reconnect on a new session');
    assert.equal(await term.run('echo $Y', /^still\r$/m), 'still\r');
    term.pty.close();
  });

  it('a renewal before the session ends moves the terminal to the new session at once, showing nothing twice', async () => {
    const term = await open(await target());
    await term.run('R=renewed; echo before-$((3*3))', /^before-9\r$/m);
    await term.waitFor(/\$ $/);
    const before = term.output;
    const signIns = endpoint.gatewayVisits.filter((v) => v.outcome === 'token-accepted').length;
    await connection.renew();
    await term.until(() => term.phases.includes('reconnecting') || undefined, 'the terminal to follow the renewal');
    await term.until(() => term.pty.phase === 'connected' || undefined, 'the terminal on the new session');
    assert.equal(endpoint.gatewayVisits.filter((v) => v.outcome === 'token-accepted').length, signIns + 1, 'one new sign-in');
    assert.equal(term.output, before, 'nothing shown again');
    assert.equal(await term.run('echo $R', /^renewed\r$/m), 'renewed\r');
    term.pty.close();
  });

  it('a socket that goes silent without closing (a laptop that slept) is found by its pings and replaced', async () => {
    // A TCP relay in front of the gateway whose open connections can be frozen: nothing passes, nothing closes.
    const gatewayPort = Number(new URL(await presign()).port);
    const held: Socket[] = [];
    let frozen = false;
    const relay = createServer((client) => {
      const upstream = tcpConnect(gatewayPort, '127.0.0.1');
      held.push(client, upstream);
      client.on('data', (d) => frozen || upstream.write(d));
      upstream.on('data', (d) => frozen || client.write(d));
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const relayPort = (relay.address() as AddressInfo).port;
    try {
      connection.close();
      connection = connectionFor(async () => (await presign()).replace(`:${gatewayPort}`, `:${relayPort}`));
      terminals = new JupyterTerminals(connection);
      const term = new Driven(
        new InstanceTerminal({
          target: await target(),
          logger: quietLogger,
          l10n: english,
          pingIntervalMs: 200,
          reconnectDelaysMs: [0, 100, 200],
        }),
      );
      await term.run('P=pinged; echo up', /^up\r$/m);
      const before = held.length;
      frozen = true; // every connection open now stops passing anything, and none closes
      await term.until(() => term.phases.includes('reconnecting') || undefined, 'the silent socket to be given up', 5_000);
      // New connections pass. The frozen ones are reset, as a real peer answers a connection it forgot: the
      // connection's idle kept-alive sockets would otherwise hold the reconnection's first request for 10 s.
      frozen = false;
      for (const socket of held.slice(0, before)) socket.destroy();
      await term.until(() => term.pty.phase === 'connected' || undefined, 'a new socket');
      assert.equal(await term.run('echo $P', /^pinged\r$/m), 'pinged\r');
      term.pty.close();
    } finally {
      for (const socket of held) socket.destroy();
      relay.close();
    }
  });

  it('closing ends the Jupyter terminal (DELETE), then lets go of the connection', async () => {
    const t = await target();
    const term = await open(t);
    await term.waitFor(/\$ $/);
    assert.ok((await running()).includes(t.name));
    term.pty.close();
    await term.until(() => released === 1 || undefined, 'the lease to be released');
    assert.ok(!(await running()).includes(t.name), 'the Jupyter terminal was ended');
  });

  it('closing a detached terminal, or one attached to, leaves the Jupyter terminal running', async () => {
    const t = await target();
    const first = await open(t);
    await first.run('Z=attached', /\$ $/);
    first.pty.detach();
    first.pty.close();
    await first.until(() => released === 1 || undefined, 'the lease to be released');
    assert.ok((await running()).includes(t.name), 'detached: still running');

    const attached = await open(await target(false, t.name));
    await attached.waitFor(/Z=attached/); // the terminal's history comes with it
    assert.equal(await attached.run('echo $Z', /^attached\r$/m), 'attached\r');
    attached.pty.close();
    await attached.until(() => released === 2 || undefined, 'the lease to be released');
    assert.ok((await running()).includes(t.name), 'attached: still running');
    await terminals.remove(t.name);
  });

  it('the shell exiting closes the VS Code terminal, as a local one does', async () => {
    const t = await target();
    const term = await open(t);
    await term.waitFor(/\$ $/);
    term.pty.handleInput('exit\r');
    await term.until(() => term.closed || undefined, 'the terminal to close');
    assert.equal(term.pty.phase, 'ended');
    assert.equal(released, 1);
    assert.ok(!(await running()).includes(t.name));
  });

  it('the connection ending (the instance stopped) says so in the terminal; any key then closes it', async () => {
    const term = await open(await target());
    await term.waitFor(/\$ $/);
    connection.close('stopped', 'nb is Stopping.');
    await term.waitFor(/Terminal ended: nb is Stopping\..*\r\n.*Press any key to close the terminal\./s);
    assert.equal(term.closed, false);
    term.pty.handleInput('q');
    assert.equal(term.closed, true);
    assert.equal(released, 1);
  });

  it("a terminal chosen when it opens takes the instance's name; cancelling closes it", async () => {
    const names: string[] = [];
    const chosen = new InstanceTerminal({ target: () => target(), logger: quietLogger, l10n: english });
    chosen.onDidChangeName((n) => names.push(n));
    const term = new Driven(chosen);
    await term.waitFor(/\$ $/);
    assert.deepEqual(names, ['nb']);
    chosen.close();

    const cancelled = new Driven(new InstanceTerminal({ target: async () => undefined, logger: quietLogger, l10n: english }));
    await cancelled.until(() => cancelled.closed || undefined, 'the cancelled terminal to close');
  });

  it("writes the files it is told to on the server's disk", async () => {
    const term = await open(await target());
    await term.run('echo $((6*7)) > answer.txt; echo written', /^written\r$/m);
    assert.equal((await readFile(join(jupyter.root, 'answer.txt'), 'utf8')).trim(), '42');
    term.pty.close();
  });
});
