// The notebook proxy seen from a real browser, framed the way the webview frames it: the top page on another
// site, the proxy in an iframe. Proves the secret host and its Partitioned cookie work in a cross-site iframe
// (kernel WebSocket included), and that nothing the framed pages send elsewhere opens the proxy: not to
// another listener on loopback (an image in a notebook's markdown, a local dev server), not by a Referer,
// not after a redirect.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreatePresignedNotebookInstanceUrlCommand } from '@aws-sdk/client-sagemaker';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import type { JupyterConnection } from '../../../src/jupyter/connection';
import { startNotebookProxy, type NotebookProxy } from '../../../src/open/proxy';
import { connectionFor } from '../jupyter/testConnection';
import { startLocalSageMaker, type LocalSageMaker } from '../../endpoint/server';
import { localClient } from '../../endpoint/testClient';
import { startJupyter, type RunningJupyter } from '../../support/jupyter';
import { rawRequest } from './kernel';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

interface Seen {
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

/** A server on 127.0.0.1 that answers anything and remembers every request: another program on loopback. */
async function listen(handler: (req: { url?: string }, res: import('node:http').ServerResponse) => void): Promise<Server> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
const portOf = (server: Server) => (server.address() as AddressInfo).port;

describe('notebook proxy in a cross-site iframe of a real browser', function () {
  this.timeout(30_000);
  let jupyter: RunningJupyter | undefined;
  let endpoint: LocalSageMaker | undefined;
  const proxies: NotebookProxy[] = [];
  const servers: Server[] = [];
  let browser: Browser | undefined;
  const seen: Seen[] = [];
  let bystander: Server;
  let upstreamPage: Server;

  const connections: JupyterConnection[] = [];
  /** A proxy on a connection that signs in to instance `name` at `ui` (`/tree`, `/lab`). */
  const proxyFor = async (name: string, ui: string) => {
    const connection = connectionFor(() => presign(name, ui));
    connections.push(connection);
    const proxy = await startNotebookProxy({ connection, entryPath: ui, logger: quiet });
    proxies.push(proxy);
    return proxy;
  };
  const presign = async (name: string, ui: string) => {
    const client = localClient(endpoint!);
    try {
      const url = (await client.send(new CreatePresignedNotebookInstanceUrlCommand({ NotebookInstanceName: name }))).AuthorizedUrl!;
      return url.replace('?', `${ui}?`);
    } finally {
      client.destroy();
    }
  };
  const secretOf = (p: NotebookProxy) => new URL(p.entryUrl).pathname.split('/')[1];
  const hostSecretOf = (p: NotebookProxy) => new URL(p.origin).hostname.split('.')[0];
  /** A page on another site (http://localhost:PORT, as the webview is to the proxy) framing `src`. */
  const framing = async (src: string): Promise<Page> => {
    const host = await listen((_req, res) => res.end(`<iframe style="width:1000px;height:700px" src="${src}"></iframe>`));
    servers.push(host);
    const page = await browser!.newPage();
    await page.goto(`http://localhost:${portOf(host)}/`);
    return page;
  };

  before(async function () {
    if (!existsSync(CHROMIUM)) return this.skip(); // no browser on this machine: nothing to drive
    jupyter = await startJupyter();
    bystander = await listen((req, res) => {
      seen.push({ url: req.url ?? '', headers: (req as unknown as { headers: IncomingHttpHeaders }).headers });
      res.writeHead(200, { 'Content-Type': 'image/gif', 'Access-Control-Allow-Origin': '*' });
      res.end();
    });
    // A stand-in upstream whose page redirects, then asks for the most talkative Referer policy there is.
    upstreamPage = await listen((req, res) => {
      if (req.url?.startsWith('/lab')) {
        res.writeHead(302, { Location: '/moved?x=1' });
        return res.end();
      }
      res.writeHead(200, { 'Content-Type': 'text/html', 'Referrer-Policy': 'unsafe-url' });
      res.end(`<p id="moved">moved</p><img src="http://127.0.0.1:${portOf(bystander)}/after-redirect.gif">`);
    });
    servers.push(bystander, upstreamPage);
    endpoint = await startLocalSageMaker({
      seed: [
        { name: 'nb', status: 'InService', jupyterUpstream: jupyter.url },
        { name: 'redirecting', status: 'InService', jupyterUpstream: `http://127.0.0.1:${portOf(upstreamPage)}` },
      ],
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  after(async () => {
    await browser?.close();
    for (const s of servers) s.close();
    for (const p of proxies) await p.close();
    for (const c of connections) c.close();
    await endpoint?.stop();
    await jupyter?.stop();
  });

  it("shows Jupyter's file list at its secret host, opens a notebook by absolute path and connects its kernel", async () => {
    const proxy = await proxyFor('nb', '/tree');
    const page = await framing(proxy.entryUrl);
    const frame = () => page.frames().find((f) => f.url().startsWith(proxy.origin))!;
    await frame().waitForSelector('a[href$="hello.ipynb"]', { timeout: 8000 });
    await frame().evaluate("location.href = '/notebooks/hello.ipynb'");
    const connected = await frame().waitForFunction('window.Jupyter?.notebook?.kernel?.is_connected() === true', undefined, {
      timeout: 10_000,
    });
    assert.equal(await connected.jsonValue(), true);
    assert.equal(frame().url(), `${proxy.origin}/notebooks/hello.ipynb`, 'the frame’s address holds no access secret');
    const cookies = await page.context().cookies();
    assert.deepEqual(
      cookies.map((c) => [c.name, c.domain, c.httpOnly, c.sameSite, c.partitionKey !== undefined]),
      [['sagemaker-notebook-proxy', new URL(proxy.origin).hostname, true, 'None', true]],
      'one cookie, HttpOnly, partitioned, for the secret host only; none of Jupyter’s',
    );
    await page.close();
  });

  it('another listener on loopback that the notebook loads from receives nothing that opens the proxy', async () => {
    const proxy = await proxyFor('nb', '/tree');
    const page = await framing(proxy.entryUrl);
    const frame = () => page.frames().find((f) => f.url().startsWith(proxy.origin))!;
    await frame().waitForSelector('a[href$="hello.ipynb"]', { timeout: 8000 });
    seen.length = 0;
    const other = portOf(bystander);
    // What a notebook's markdown, an output or a local dev server's page would make the browser send.
    await loadFrom(frame(), [
      `http://127.0.0.1:${other}/img.gif`,
      `http://localhost:${other}/img.gif`,
      `http://sub.localhost:${other}/img.gif`,
    ]);
    await frame().evaluate(`fetch('http://127.0.0.1:${other}/fetch', { mode: 'no-cors', credentials: 'include' }).catch(() => 0)`);
    await frame().evaluate(`fetch('http://127.0.0.1:${other}/cors', { credentials: 'include' }).catch(() => 0)`);
    assert.ok(seen.length >= 5, `the bystander saw the requests (${seen.length})`);

    // No cookie, no Referer, nothing of the access secret. (A CORS request names its page's origin, the
    // secret host, in Origin, as every browser does: that name alone opens nothing.)
    const all = JSON.stringify(seen);
    assert.ok(!all.includes(secretOf(proxy)), 'the access secret reached the other listener');
    for (const s of seen) {
      assert.equal(s.headers.cookie, undefined, s.url);
      assert.equal(s.headers.referer, undefined, s.url);
    }
    // Replayed at the proxy's port, under the secret host name too, none of it opens anything.
    const port = new URL(proxy.address).port;
    for (const s of seen) {
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `sub.localhost:${port}`, new URL(proxy.origin).host]) {
        for (const path of ['/api/contents', '/tree', `/${hostSecretOf(proxy)}/tree`]) {
          const res = await rawRequest(`${proxy.address}${path}`, { headers: { ...(s.headers as Record<string, string>), host } });
          assert.equal(
            res.status,
            403,
            `${s.url} replayed as ${host.replace(hostSecretOf(proxy), 'HOST')}${path.replace(hostSecretOf(proxy), 'HOST')}`,
          );
        }
      }
    }
    await page.close();
  });

  it('a forwarded origin: the secret entry path leaves the frame at a clean URL, and a redirect and an unsafe-url page leak no Referer', async () => {
    const proxy = await proxyFor('redirecting', '/lab');
    // A forwarded name that routes to the proxy by name (as code-server's --proxy-domain does): the Host
    // cannot hold the secret there, so the entry path does, once.
    const forwarded = `http://forwarded.localhost:${new URL(proxy.address).port}`;
    const entry = proxy.serveAt(forwarded);
    const secret = secretOf(proxy);
    assert.ok(entry.includes(secret));
    seen.length = 0;
    const page = await framing(entry);
    const frame = () => page.frames().find((f) => f.url().startsWith(forwarded));
    const moved = await waitForFrame(page, () => frame(), '#moved');
    assert.equal(moved.url(), `${forwarded}/moved?x=1`);
    const after = await waitForSeen('/after-redirect.gif');
    assert.equal(after.headers.referer, undefined, 'no Referer, although upstream asked for unsafe-url');
    assert.ok(!JSON.stringify(seen).includes(secret), 'nothing the bystander saw holds the secret');
    const history = await moved.evaluate('location.href + document.referrer');
    assert.ok(!String(history).includes(secret), 'neither the page’s address nor its referrer holds the secret');
    await page.close();
  });

  async function waitForSeen(path: string): Promise<Seen> {
    const deadline = Date.now() + 8000;
    while (Date.now() < deadline) {
      const found = seen.find((s) => s.url === path);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`the bystander never saw ${path}`);
  }
});

/** Loads each URL as an image from inside the frame, and waits until each has loaded or failed. */
async function loadFrom(frame: Frame, urls: string[]): Promise<void> {
  await frame.evaluate(
    `Promise.all(${JSON.stringify(urls)}.map((src) => new Promise((done) => { const img = new Image(); img.onload = img.onerror = done; img.src = src; document.body.appendChild(img); })))`,
  );
}

async function waitForFrame(page: Page, find: () => Frame | undefined, selector: string): Promise<Frame> {
  const deadline = Date.now() + 8000;
  while (Date.now() < deadline) {
    const frame = find();
    if (frame && (await frame.$(selector).catch(() => null))) return frame;
    await page.waitForTimeout(50);
  }
  throw new Error(
    `no frame showed ${selector}; frames: ${page
      .frames()
      .map((f) => f.url().replace(/[0-9a-f]{40}/g, 'SECRET'))
      .join(', ')}`,
  );
}
