// JupyterLab 4, the default interface and what SageMaker instances run, through the notebook proxy in a
// cross-site iframe of a real Chromium, framed the way the webview frames it: the launcher shows, a notebook
// opens in place from the file browser, its kernel's WebSockets go through the proxy and a cell runs. And what
// happens where the browser denies the frame its storage, as this machine's Chromium does by default.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreatePresignedNotebookInstanceUrlCommand } from '@aws-sdk/client-sagemaker';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import type { JupyterConnection } from '../../../src/jupyter/connection';
import { startNotebookProxy, type NotebookProxy } from '../../../src/open/proxy';
import { connectionFor } from '../jupyter/testConnection';
import { startLocalSageMaker, type LocalSageMaker } from '../../endpoint/server';
import { localClient } from '../../endpoint/testClient';
import type { RunningJupyter } from '../../support/jupyter';
import { ALLOW_THIRD_PARTY_STORAGE, runLabNotebook, startJupyterLab } from '../../support/jupyterLab';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'];
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const hideSecrets = (text: string) => text.replace(/[0-9a-f]{40}/g, '<secret>');

/** The JupyterLab frame: the one on the proxy whose address is /lab or under /lab/. */
function labFrame(page: Page, origin: string): Frame | undefined {
  return page.frames().find((f) => f.url().startsWith(origin) && /^\/lab(\/|$)/.test(new URL(f.url()).pathname));
}

describe('JupyterLab through the notebook proxy in a cross-site iframe of a real browser', function () {
  this.timeout(90_000);
  let lab: RunningJupyter | undefined;
  let endpoint: LocalSageMaker | undefined;
  const proxies: NotebookProxy[] = [];
  const connections: JupyterConnection[] = [];
  const servers: Server[] = [];
  const browsers: Browser[] = [];

  /** A fresh proxy for the instance, framed by a page on another site (as the webview is to the proxy). */
  async function framedLab(browser: Browser): Promise<{ page: Page; proxy: NotebookProxy; trace: Trace }> {
    const connection = connectionFor(async () => {
      const client = localClient(endpoint!);
      try {
        return (await client.send(new CreatePresignedNotebookInstanceUrlCommand({ NotebookInstanceName: 'lab' }))).AuthorizedUrl!.replace(
          '?',
          '/lab?',
        );
      } finally {
        client.destroy();
      }
    });
    connections.push(connection);
    const proxy = await startNotebookProxy({ connection, entryPath: '/lab', logger: quiet });
    proxies.push(proxy);
    const framer = createServer((_req, res) => res.end(`<iframe style="width:1200px;height:800px" src="${proxy.entryUrl}"></iframe>`));
    await new Promise<void>((resolve) => framer.listen(0, '127.0.0.1', resolve));
    servers.push(framer);
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    const trace = traceOf(page);
    await page.goto(`http://localhost:${(framer.address() as AddressInfo).port}/`);
    return { page, proxy, trace };
  }

  before(async function () {
    if (!existsSync(CHROMIUM)) return this.skip(); // no browser on this machine: nothing to drive
    lab = await startJupyterLab();
    endpoint = await startLocalSageMaker({ seed: [{ name: 'lab', status: 'InService', jupyterUpstream: lab.url }] });
  });
  after(async () => {
    for (const b of browsers) await b.close();
    for (const s of servers) s.close();
    for (const p of proxies) await p.close();
    for (const c of connections) c.close();
    await endpoint?.stop();
    await lab?.stop();
  });

  it("shows the launcher, opens a notebook from the file browser in place, and runs 1+1 over the proxy's WebSocket", async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...ARGS, ALLOW_THIRD_PARTY_STORAGE] });
    browsers.push(browser);
    const { page, proxy, trace } = await framedLab(browser);
    const origin = proxy.origin;
    await (async () => {
      // The entry redirects to /lab once the proxy has traded its secret for the cookie.
      const frame =
        labFrame(page, origin) ??
        (await page.waitForEvent('framenavigated', { predicate: (f) => f === labFrame(page, origin), timeout: 20_000 }));
      await frame.locator('.jp-Launcher .jp-LauncherCard[title^="Python 3"]').first().waitFor({ timeout: 30_000 });
      // In place: the notebook opens as a tab of the same JupyterLab, in the same frame, and its cell runs.
      assert.equal(await runLabNotebook(frame, page), '2');

      assert.equal(labFrame(page, origin), frame, 'still the one JupyterLab frame');
      assert.equal(page.frames().length, 2, 'no other frame opened');
      assert.equal(browser.contexts()[0].pages().length, 1, 'no window opened');
      const wsOrigin = origin.replace(/^http/, 'ws');
      const kernelSockets = trace.sockets.filter((u) => new URL(u).pathname.startsWith('/api/kernels/'));
      assert.ok(kernelSockets.length > 0, `a kernel WebSocket: ${JSON.stringify(trace.sockets)}`);
      assert.ok(
        trace.sockets.every((u) => u.startsWith(`${wsOrigin}/`)),
        `every WebSocket on the proxy: ${JSON.stringify(trace.sockets)}`,
      );
      assert.deepEqual(trace.refused, [], 'no request through the proxy was refused');
    })().catch((error: Error) => trace.explain(error));
    await page.close();
  });

  // A cross-site frame denied its storage (this Chromium's default: third-party cookies and storage blocked)
  // made JupyterLab, which reads localStorage as it starts, reload itself into a new workspace without end.
  // The proxy's storage script gives such a page an in-memory storage instead.
  it('where the browser denies the frame its storage, JupyterLab starts on the proxy’s in-memory storage', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    browsers.push(browser);
    const { page, proxy, trace } = await framedLab(browser);
    await (async () => {
      const workspaces = new Set<string>();
      page.on('framenavigated', (f) => {
        const m = /^\/lab\/workspaces\/(auto-[A-Za-z])$/.exec(f.url().startsWith(proxy.origin) ? new URL(f.url()).pathname : '');
        if (m) workspaces.add(m[1]);
      });
      const frame =
        labFrame(page, proxy.origin) ??
        (await page.waitForEvent('framenavigated', { predicate: (f) => f === labFrame(page, proxy.origin), timeout: 20_000 }));
      // Started: its file browser lists the notebook (the launcher may not show: the test above left the
      // server's workspace with the notebook open, which JupyterLab restores).
      await frame.locator('.jp-DirListing-item', { hasText: 'hello.ipynb' }).first().waitFor({ state: 'visible', timeout: 30_000 });
      // The browser still refuses the frame its own storage: what JupyterLab uses is the script's.
      const storage = await frame.evaluate(`(() => {
        const own = Object.getOwnPropertyDescriptor(window, 'localStorage');
        return { replaced: !!own && 'value' in own, usable: typeof localStorage.getItem('x') !== 'undefined' };
      })()`);
      assert.deepEqual(storage, { replaced: true, usable: true });
      assert.ok(workspaces.size <= 1, `no reloads into new workspaces: ${JSON.stringify([...workspaces])}`);
      assert.deepEqual(trace.refused, [], 'no request through the proxy was refused');
    })().catch((error: Error) => trace.explain(error));
    await page.close();
  });
});

interface Trace {
  sockets: string[];
  refused: string[];
  explain(error: Error): never;
}

/** WebSockets, refused requests and console lines of a page, for assertions and failure messages. */
function traceOf(page: Page): Trace {
  const sockets: string[] = [];
  const refused: string[] = [];
  const consoleLines: string[] = [];
  page.on('websocket', (ws) => sockets.push(ws.url()));
  page.on('response', (res) => {
    // jupyter_server 1.23 has no /api/me or /api/events (JupyterLab 4 asks; nothing visible needs them).
    if (res.status() >= 400 && !/\/api\/(me|events\/subscribe)\b/.test(res.url()))
      refused.push(`${res.status()} ${new URL(res.url()).pathname}`);
  });
  page.on('console', (m) => consoleLines.push(hideSecrets(`[${m.type()}] ${m.text()}`).slice(0, 300)));
  return {
    sockets,
    refused,
    explain(error: Error): never {
      error.message += `\n${JSON.stringify({ frames: page.frames().map((f) => hideSecrets(f.url())), refused, console: consoleLines.slice(-30) }, null, 1)}`;
      throw error;
    },
  };
}
