// A terminal on the instance in real VS Code, against the local gateway in front of a real jupyter_server with
// terminado and bash: keys typed through VS Code's terminal reach the shell and its output comes back, a resize
// of the panel reaches the pty, a dropped socket reconnects to the same shell, closing ends the Jupyter terminal,
// Attach joins one opened elsewhere (JupyterLab), and stopping the instance ends the terminal with a word.
import * as assert from 'assert';
import * as vscode from 'vscode';
import WebSocket from 'ws';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startLocalSageMaker, type LocalSageMaker } from '../endpoint/server';
import { startJupyterServer, type RunningJupyterServer } from '../support/jupyterServer';
import type { TerminalProbe } from '../../src/terminal/terminals';
import { credentialsFor, extensionApi, instanceRow, releaseEndpoint, useAwsFiles, waitFor, type ExtensionApi } from './fixtures';

const NAME = 'term-nb';

describe('Terminal on an instance', function () {
  this.timeout(90_000);
  let endpoint: LocalSageMaker;
  let jupyter: RunningJupyterServer;
  let api: ExtensionApi;

  /** The Jupyter server's own list of terminals, asked directly (no gateway). */
  const running = async () => ((await (await fetch(`${jupyter.url}/api/terminals`)).json()) as { name: string }[]).map((t) => t.name);
  /** The terminal VS Code shows for the newest probe, once it is connected. */
  const newest = async (): Promise<{ probe: TerminalProbe; terminal: vscode.Terminal }> => {
    const probe = await waitFor('a terminal on the instance', () => api.testing.terminals().at(-1), 20_000);
    await waitFor('the terminal to connect', () => probe.phase === 'connected', 20_000);
    const terminal = await waitFor('its VS Code terminal', () => probe.terminal);
    return { probe, terminal };
  };
  /** Types a line through VS Code's terminal and waits for the output it prints. */
  const run = async (probe: TerminalProbe, terminal: vscode.Terminal, line: string, marker: RegExp) => {
    const from = probe.output().length;
    terminal.sendText(line);
    return (await waitFor(`output matching ${marker}`, () => marker.exec(probe.output().slice(from)) ?? undefined, 20_000))[0];
  };
  const closed = (terminal: vscode.Terminal) =>
    new Promise<void>((resolve) => {
      const sub = vscode.window.onDidCloseTerminal((t) => {
        if (t === terminal) {
          sub.dispose();
          resolve();
        }
      });
    });

  before(async () => {
    jupyter = await startJupyterServer();
    endpoint = await startLocalSageMaker({ seed: [{ name: NAME, status: 'InService', jupyterUpstream: jupyter.url }] });
    process.env.AWS_ENDPOINT_URL_SAGEMAKER = endpoint.url;
    useAwsFiles({
      config: '[default]\nregion = us-east-1\n',
      credentials: credentialsFor({ default: { key: DEFAULT_ACCESS_KEY_ID, secret: DEFAULT_SECRET_ACCESS_KEY } }),
    });
    api = await extensionApi();
    api.connection.refresh();
    api.testing.ui.setOpenExternal(async () => assert.fail('nothing may go to the external browser'));
    api.testing.ui.setConfirm(async () => true);
  });
  after(async () => {
    for (const t of vscode.window.terminals) t.dispose();
    await releaseEndpoint(api, endpoint);
    await jupyter.stop();
  });

  it('Open Terminal on Instance opens a terminal named after the instance whose shell runs what is typed', async () => {
    const row = await instanceRow(api, NAME);
    await vscode.commands.executeCommand('sagemakerNotebooks.openTerminal', row);
    const { probe, terminal } = await newest();
    assert.strictEqual(terminal.name, NAME);
    assert.ok((await running()).includes(probe.name!), 'a Jupyter terminal was created');
    assert.strictEqual(await run(probe, terminal, 'echo $((6*7))', /^42\r$/m), '42\r');
    assert.strictEqual(await run(probe, terminal, 'pwd', /^\/.*\r$/m), `${jupyter.root}\r`, 'it starts in the server’s root folder');
    terminal.dispose();
  });

  it('resizing the panel resizes the pty: stty size reports the new size', async () => {
    const row = await instanceRow(api, NAME);
    await vscode.commands.executeCommand('sagemakerNotebooks.openTerminal', row);
    const { probe, terminal } = await newest();
    terminal.show();
    const size = (p: TerminalProbe) => `${p.dimensions?.rows} ${p.dimensions?.columns}\r`;
    await waitFor('VS Code to size the terminal', () => probe.dimensions);
    const before = await run(probe, terminal, 'stty size', /^\d+ \d+\r$/m);
    assert.strictEqual(before, size(probe));
    const rowsBefore = probe.dimensions!.rows;
    await vscode.commands.executeCommand('workbench.action.toggleMaximizedPanel');
    try {
      await waitFor('the panel to grow', () => probe.dimensions!.rows !== rowsBefore);
      const after = await run(probe, terminal, 'stty size', /^\d+ \d+\r$/m);
      assert.notStrictEqual(after, before);
      assert.strictEqual(after, size(probe));
    } finally {
      await vscode.commands.executeCommand('workbench.action.toggleMaximizedPanel');
    }
    terminal.dispose();
  });

  it('a dropped socket reconnects to the same shell', async () => {
    const row = await instanceRow(api, NAME);
    await vscode.commands.executeCommand('sagemakerNotebooks.openTerminal', row);
    const { probe, terminal } = await newest();
    await run(probe, terminal, 'K=kept; echo set', /^set\r$/m);
    const phases: string[] = [];
    const sub = probe.onDidChangePhase((p) => phases.push(p));
    await endpoint.dropNotebookSockets(NAME);
    await waitFor('the terminal to reconnect', () => phases.includes('reconnecting') && probe.phase === 'connected');
    sub.dispose();
    assert.strictEqual(await run(probe, terminal, 'echo $K', /^kept\r$/m), 'kept\r');
    assert.strictEqual(probe.output().match(/^set\r$/gm)?.length, 1, 'nothing shown twice');
    terminal.dispose();
  });

  it('a session that SageMaker ends under the terminal is renewed and the terminal goes on with the same shell', async () => {
    const row = await instanceRow(api, NAME);
    await vscode.commands.executeCommand('sagemakerNotebooks.openTerminal', row);
    const { probe, terminal } = await newest();
    await run(probe, terminal, 'S=same; echo set-s', /^set-s\r$/m);
    const presigns = endpoint.count('CreatePresignedNotebookInstanceUrl');
    const phases: string[] = [];
    const sub = probe.onDidChangePhase((p) => phases.push(p));
    await endpoint.endNotebookSessions(NAME);
    await waitFor(
      'the terminal to reconnect on a new session',
      () => phases.includes('reconnecting') && probe.phase === 'connected',
      20_000,
    );
    sub.dispose();
    assert.strictEqual(await run(probe, terminal, 'echo $S', /^same\r$/m), 'same\r');
    assert.strictEqual(endpoint.count('CreatePresignedNotebookInstanceUrl'), presigns + 1, 'one new presigned URL');
    terminal.dispose();
  });

  it('closing the VS Code terminal ends the Jupyter terminal; Detach leaves it running', async () => {
    const row = await instanceRow(api, NAME);
    await vscode.commands.executeCommand('sagemakerNotebooks.openTerminal', row);
    const first = await newest();
    const name = first.probe.name!;
    const gone = closed(first.terminal);
    first.terminal.dispose();
    await gone;
    await waitFor('the Jupyter terminal to end', async () => !(await running()).includes(name));

    await vscode.commands.executeCommand('sagemakerNotebooks.openTerminal', row);
    const second = await newest();
    second.terminal.show();
    await waitFor('the terminal to be active', () => vscode.window.activeTerminal === second.terminal);
    const left = closed(second.terminal);
    await vscode.commands.executeCommand('sagemakerNotebooks.detachTerminal');
    await left;
    assert.ok((await running()).includes(second.probe.name!), 'detached: still running');
    assert.ok(api.testing.ui.shownMessages().some((m) => m.includes(`Terminal ${second.probe.name} keeps running on ${NAME}`)));
  });

  it('Attach to Instance Terminal… joins a terminal opened elsewhere (JupyterLab), with its history, and leaves it running on close', async () => {
    for (const name of await running())
      await fetch(`${jupyter.url}/api/terminals/${name}`, { method: 'DELETE', headers: { Cookie: '_xsrf=x', 'X-XSRFToken': 'x' } });
    // As JupyterLab opens one: POST /api/terminals, then its socket types into it.
    const created = await fetch(`${jupyter.url}/api/terminals`, {
      method: 'POST',
      headers: { Cookie: '_xsrf=x', 'X-XSRFToken': 'x' },
      body: '{}',
    });
    const { name } = (await created.json()) as { name: string };
    const lab = new WebSocket(`${jupyter.url.replace('http:', 'ws:')}/terminals/websocket/${name}`);
    await new Promise((resolve, reject) => lab.once('open', resolve).once('error', reject));
    let labOutput = '';
    lab.on('message', (data: Buffer) => (labOutput += data.toString('utf8')));
    lab.send(JSON.stringify(['stdin', 'echo from-lab-$((5*5))\r']));
    await waitFor('JupyterLab’s command to run', () => labOutput.includes('from-lab-25'));
    lab.close();
    const row = await instanceRow(api, NAME);
    let finished = false;
    const done = Promise.resolve(vscode.commands.executeCommand('sagemakerNotebooks.attachTerminal', row)).finally(() => (finished = true));
    await waitFor(
      'the terminal pick to be accepted',
      async () => {
        await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
        return finished;
      },
      20_000,
    );
    await done;
    assert.ok(
      api.testing.ui.shown().some((s) => s.kind === 'quickPick' && s.texts.includes(`Terminal ${name}`)),
      'the running terminal was offered',
    );
    const { probe, terminal } = await newest();
    assert.strictEqual(probe.name, name);
    await waitFor('the terminal’s history', () => /^from-lab-25\r$/m.test(probe.output()));
    assert.strictEqual(await run(probe, terminal, 'echo attached-$((1+2))', /^attached-3\r$/m), 'attached-3\r');
    const gone = closed(terminal);
    terminal.dispose();
    await gone;
    await waitFor('the lease to go', () => !api.testing.terminals().some((p) => p.name === name));
    assert.ok((await running()).includes(name), 'a terminal attached to is left running');
  });

  it('stopping the instance ends its terminal with a word; a key then closes it', async () => {
    const row = await instanceRow(api, NAME);
    await vscode.commands.executeCommand('sagemakerNotebooks.openTerminal', row);
    const { probe, terminal } = await newest();
    await vscode.commands.executeCommand('sagemakerNotebooks.stop', row);
    await waitFor('the terminal to say so', () => /Terminal ended: .*term-nb is Stopping/.test(probe.output()) || undefined, 20_000);
    assert.match(probe.output(), /Press any key to close the terminal\./);
    assert.strictEqual(probe.phase, 'ended');
    const gone = closed(terminal);
    terminal.sendText('q', false);
    await gone;
  });
});
