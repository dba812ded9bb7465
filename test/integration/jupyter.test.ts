// The instance's Jupyter connection in real VS Code, against the local gateway in front of a real Jupyter:
// shared by the instance's tabs (one presigned URL), renewed under a tab when SageMaker ends the session
// (page loads and a kernel's WebSocket go on), and closed with its tabs when the instance stops.
import * as assert from 'assert';
import * as vscode from 'vscode';
import WebSocket from 'ws';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startLocalSageMaker, type LocalSageMaker } from '../endpoint/server';
import { startJupyter, type RunningJupyter } from '../support/jupyter';
import { execute } from '../unit/proxy/kernel';
import { credentialsFor, extensionApi, instanceRow, releaseEndpoint, requestAt, useAwsFiles, waitFor, type ExtensionApi } from './fixtures';

const NAME = 'jupyter-nb';
const NAVIGATE = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'iframe' };

/** The tab's entry URL (from its HTML), entered as the frame does: the secret cookie, and where it lands. */
async function enterTab(api: ExtensionApi, arn: string): Promise<{ address: string; origin: string; cookie: string }> {
  const state = api.panels.inspect(arn);
  assert.ok(state, 'a tab is open');
  const entry = /<iframe id="notebook" src="([^"]+)"/.exec(state.html)?.[1].replace(/&amp;/g, '&');
  assert.ok(entry, 'the tab frames the proxy');
  const entered = await requestAt(state.address, entry, NAVIGATE);
  assert.strictEqual(entered.status, 303);
  return {
    address: state.address,
    origin: new URL(entry).origin,
    cookie: String((entered.headers['set-cookie'] as string[])[0]).split(';')[0],
  };
}

describe('Jupyter connection', function () {
  this.timeout(90_000);
  let endpoint: LocalSageMaker;
  let jupyter: RunningJupyter;
  let api: ExtensionApi;
  const presigns = () => endpoint.count('CreatePresignedNotebookInstanceUrl');

  before(async () => {
    jupyter = await startJupyter();
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
    // Debian's Jupyter here is the classic Notebook: the connection signs in at /tree.
    await vscode.workspace.getConfiguration('sagemakerNotebooks').update('interface', 'jupyter', vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await vscode.workspace.getConfiguration('sagemakerNotebooks').update('interface', undefined, vscode.ConfigurationTarget.Global);
    await releaseEndpoint(api, endpoint);
    await jupyter.stop();
  });

  it('opening the instance in two tabs (classic, then JupyterLab) mints one presigned URL; closing both closes the connection', async () => {
    const row = await instanceRow(api, NAME);
    endpoint.resetLog();
    await vscode.commands.executeCommand('sagemakerNotebooks.openInEditor', row);
    await api.opener.open(row.instance, { target: 'editor', ui: 'jupyterlab' });
    assert.strictEqual(api.panels.count(row.instance.arn), 2, 'two tabs');
    assert.strictEqual(presigns(), 1, 'one presigned URL for both');
    assert.strictEqual(api.testing.connectionState(row.instance.arn)?.kind, 'open');
    api.panels.close(row.instance.arn);
    assert.strictEqual(api.panels.count(row.instance.arn), 0);
    assert.strictEqual(api.testing.connectionState(row.instance.arn), undefined, 'the last tab to close closed the connection');
  });

  it('a tab stays usable across the end of its session: the next page load and a kernel WebSocket go on after one renewal', async () => {
    const row = await instanceRow(api, NAME);
    await vscode.commands.executeCommand('sagemakerNotebooks.openInEditor', row);
    const tab = await enterTab(api, row.instance.arn);
    const asPage = { cookie: tab.cookie, 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors', 'sec-fetch-dest': 'empty' };
    const started = await requestAt(
      tab.address,
      `${tab.origin}/api/kernels`,
      { ...asPage, origin: tab.origin, 'content-type': 'application/json' },
      'POST',
      '{}',
    );
    assert.strictEqual(started.status, 201, started.body);
    const kernel = (JSON.parse(started.body) as { id: string }).id;
    const socketUrl = `${tab.address.replace('http:', 'ws:')}/api/kernels/${kernel}/channels`;
    const openSocket = () =>
      new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(socketUrl, { headers: { host: new URL(tab.origin).host, origin: tab.origin, cookie: tab.cookie } });
        ws.once('open', () => resolve(ws));
        ws.once('unexpected-response', (_req, res) => reject(new Error(`handshake answered ${res.statusCode}`)));
        ws.once('error', reject);
      });
    const ws = await openSocket();
    assert.strictEqual(await execute(ws, '1+1'), '2');
    const before = api.sessions.sessions().find((s) => s.arn === row.instance.arn);
    assert.ok(before?.renews, 'the timer shows the tab’s session as renewing itself');
    const presignsBefore = presigns();

    // SageMaker ends the session: its requests are refused and its WebSockets closed.
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    await endpoint.endNotebookSessions(NAME);
    await closed;

    // The next page load: refused upstream, so the proxy renews and sends the frame to the same address again.
    // 307 back to itself, unless the tab's own page (live in the workbench) met the refusal first and the
    // renewal it started is done: then 200 at once. One renewal either way (counted below).
    const first = await requestAt(tab.address, `${tab.origin}/api/contents`, asPage);
    assert.ok([307, 200].includes(first.status), `answered ${first.status}`);
    const again = await waitFor('the page load to go through after the renewal', async () => {
      const res = await requestAt(tab.address, `${tab.origin}/api/contents`, asPage);
      return res.status === 200 ? res : undefined;
    });
    assert.match(again.body, /"content"/);
    // Jupyter's page reconnects its kernel: the socket opens on the new session and the kernel still runs.
    const reconnected = await waitFor('the kernel WebSocket to open again', () => openSocket().catch(() => undefined));
    try {
      assert.strictEqual(await execute(reconnected, '6*7'), '42');
    } finally {
      reconnected.close();
    }
    assert.strictEqual(presigns(), presignsBefore + 1, 'one new presigned URL');
    const after = api.sessions.sessions().find((s) => s.arn === row.instance.arn);
    assert.ok(after && after.startedAt > before.startedAt, 'the timer shows the new session');
    api.panels.close(row.instance.arn);
  });

  it('with autoRenew off, the end of the session leaves the tab open saying so, with Renew; Renew brings a new session into it', async () => {
    const settings = () => vscode.workspace.getConfiguration('sagemakerNotebooks');
    await settings().update('autoRenew', false, vscode.ConfigurationTarget.Global);
    try {
      const row = await instanceRow(api, NAME);
      const arn = row.instance.arn;
      await vscode.commands.executeCommand('sagemakerNotebooks.openInEditor', row);
      const tab = await enterTab(api, arn);
      const asPage = { cookie: tab.cookie, 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors', 'sec-fetch-dest': 'empty' };
      assert.strictEqual((await requestAt(tab.address, `${tab.origin}/api/contents`, asPage)).status, 200);
      const presignsBefore = presigns();

      // SageMaker ends the session; the frame's next request is refused and nothing renews it.
      await endpoint.endNotebookSessions(NAME);
      // (The tab's own page, live in the workbench, may meet the refusal first and end it: then the proxy is gone.)
      const refusedPage = await requestAt(tab.address, `${tab.origin}/api/contents`, asPage).catch(() => undefined);
      if (refusedPage) assert.strictEqual(refusedPage.status, 403, 'the refusal reaches the frame: no renewal with autoRenew off');
      const ended = await waitFor(
        'the tab to show that the session ended',
        () => api.panels.inspect(arn)?.ended && api.panels.inspect(arn),
      );
      assert.strictEqual(api.panels.count(arn), 1, 'the tab stays open');
      assert.match(ended.html, /<h2>The notebook session ended\.<\/h2>/);
      assert.match(
        ended.html,
        /<button type="button" class="primary" id="renew" data-message="\{&#34;type&#34;:&#34;renew&#34;\}">Renew<\/button>/,
      );
      assert.match(ended.html, /data-message="\{&#34;type&#34;:&#34;openInBrowser&#34;\}">Open in Browser<\/button>/);
      assert.doesNotMatch(ended.html, /<iframe/, 'no frame on a session that is gone');
      assert.notStrictEqual(api.testing.connectionState(arn)?.kind, 'open', 'the connection ended (and left the registry)');
      assert.strictEqual(presigns(), presignsBefore, 'no presigned URL minted by itself');
      await waitFor('the session timer to show the session ended', () => api.sessions.timeLeft(arn) === 'Session ended');
      await waitFor("the ended tab's proxy to close", async () => {
        try {
          await fetch(`${tab.address}/`);
          return false;
        } catch {
          return true;
        }
      });

      // Renew (the tab's button runs the same reload as the session list's Renew): a new session in the tab.
      const session = api.sessions.sessions().find((s) => s.arn === arn);
      assert.ok(session, 'the session is still listed');
      await vscode.commands.executeCommand('sagemakerNotebooks.renewSession', session);
      assert.strictEqual(api.panels.count(arn), 1, 'still one tab');
      assert.strictEqual(api.panels.inspect(arn)?.ended, undefined, 'the tab shows the notebook again');
      assert.strictEqual(presigns(), presignsBefore + 1, 'one new presigned URL');
      const renewed = await enterTab(api, arn);
      const page = await requestAt(renewed.address, `${renewed.origin}/api/contents`, { ...asPage, cookie: renewed.cookie });
      assert.strictEqual(page.status, 200);
      assert.strictEqual(api.testing.connectionState(arn)?.kind, 'open');
      assert.match(api.sessions.timeLeft(arn) ?? '', / left$/, 'the timer shows the new session');
      api.panels.close(arn);
    } finally {
      await settings().update('autoRenew', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('with autoRenew off, the session timer running out does not close the tab (the tab itself shows the end)', async () => {
    const settings = () => vscode.workspace.getConfiguration('sagemakerNotebooks');
    await settings().update('autoRenew', false, vscode.ConfigurationTarget.Global);
    const row = await instanceRow(api, NAME);
    const arn = row.instance.arn;
    try {
      await vscode.commands.executeCommand('sagemakerNotebooks.openInEditor', row);
      const held = api.sessions.sessions().find((s) => s.arn === arn && s.target === 'editor');
      assert.ok(held, "the tab's session is tracked");
      // The timer's record of the session, ending in a moment (a real one ends with the connection's own end).
      await api.sessions.started({ ...held, expiresAt: Date.now() + 1500 });
      await waitFor('the timer to show the session ended', () => api.sessions.timeLeft(arn) === 'Session ended');
      assert.strictEqual(api.panels.count(arn), 1, 'the tab stays open');
      // With autoRenew on, a session that runs out still closes its tab, as before.
      await settings().update('autoRenew', undefined, vscode.ConfigurationTarget.Global);
      const again = api.sessions.sessions().find((s) => s.arn === arn);
      await api.sessions.started({ ...again!, expiresAt: Date.now() + 1500 });
      await waitFor('the tab to close when a self-renewing session runs out anyway', () => api.panels.count(arn) === 0);
    } finally {
      api.panels.close(arn);
      for (const s of api.sessions.sessions().filter((x) => x.arn === arn)) await api.sessions.stopTracking(s);
      await settings().update('autoRenew', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('stopping the instance closes its connection and its tab', async () => {
    const row = await instanceRow(api, NAME);
    await vscode.commands.executeCommand('sagemakerNotebooks.openInEditor', row);
    assert.strictEqual(api.panels.count(row.instance.arn), 1);
    await vscode.commands.executeCommand('sagemakerNotebooks.stop', row);
    await waitFor('the tab to close', () => api.panels.count(row.instance.arn) === 0);
    assert.strictEqual(api.testing.connectionState(row.instance.arn), undefined);
  });
});
