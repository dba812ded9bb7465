// UI test: "Open in VS Code" where the editor's browser runs on the extension's machine and port forwarding
// cannot serve Jupyter (code-server's default maps ports under /proxy/<port>/, as desktop VS Code maps none):
// the webview frames the proxy at its secret host, http://<host secret>.localhost:<proxy port>/, which the
// browser resolves to loopback by itself. Proves, in code-server's real workbench, that Jupyter works there and
// that another program listening on loopback, loaded from inside the notebook, receives nothing that opens
// the proxy.
import * as assert from 'assert';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'http';
import type { AddressInfo } from 'net';
import type { Frame, Page } from 'playwright-core';
import { startJupyter, type RunningJupyter } from '../support/jupyter';
import {
  DEFAULT_PROFILE,
  chooseFromContextMenu,
  failureScreenshots,
  instanceRow,
  screenshot,
  showInstances,
  startHarness,
  waitFor,
  type Harness,
} from './workbench';

const NAME = 'local-nb';
/** The frame lands at the secret host, on /tree; the access secret it entered with is gone from its address. */
const LANDED = /^http:\/\/([0-9a-f]{40})\.localhost:(\d+)\/tree(?:[?#].*)?$/;

function notebookFrame(page: Page): Frame | undefined {
  return page.frames().find((f) => LANDED.test(f.url()));
}

/** GET through the proxy's port with the given headers (Node cannot resolve `*.localhost` itself). */
function replay(port: number, path: string, headers: IncomingHttpHeaders): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: headers as Record<string, string>, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe("Open in VS Code on this machine: Jupyter at the proxy's secret host", function () {
  this.timeout(180_000);
  let jupyter: RunningJupyter | undefined;
  let harness: Harness | undefined;
  let bystander: Server | undefined;
  const seen: Array<{ url: string; headers: IncomingHttpHeaders }> = [];

  before(async function () {
    jupyter = await startJupyter();
    bystander = createServer((req, res) => {
      seen.push({ url: req.url ?? '', headers: req.headers });
      res.writeHead(200, { 'Content-Type': 'image/gif' });
      res.end();
    });
    await new Promise<void>((resolve) => bystander!.listen(0, '127.0.0.1', resolve));
    harness = await startHarness({ seed: [{ name: NAME, status: 'InService', jupyterUpstream: jupyter.url }] }, [DEFAULT_PROFILE], {
      settings: { 'sagemakerNotebooks.interface': 'jupyter' },
    });
    await showInstances(harness.workbench.page, [NAME]);
  });

  after(async () => {
    try {
      await harness?.cleanup();
    } finally {
      bystander?.close();
      await jupyter?.stop();
    }
  });

  afterEach(failureScreenshots(() => harness?.workbench, 'editor-local'));

  it("shows Jupyter's file list from the secret host, and a listener on another loopback port gets nothing that opens it", async () => {
    const page = harness!.workbench.page;
    await chooseFromContextMenu(page, instanceRow(page, NAME), 'Open in VS Code');
    const frame = await waitFor(
      'the notebook iframe at http://<secret>.localhost:<proxy port>/tree',
      () => notebookFrame(page),
      30_000,
      () => page.frames().map((f) => f.url().replace(/[0-9a-f]{40}/g, '<secret>')),
    );
    const [, hostSecret, proxyPort] = LANDED.exec(frame.url())!;
    const item = frame.locator('#notebook_list .list_item .item_name', { hasText: 'hello.ipynb' });
    await waitFor("Jupyter's file list showing hello.ipynb inside the tab", () => item.isVisible().catch(() => false), 45_000);

    // The browser holds one cookie of the proxy: HttpOnly, partitioned, for the secret host name alone.
    const cookies = (await harness!.workbench.context.cookies()).filter((c) => c.domain.endsWith('.localhost'));
    assert.deepStrictEqual(
      cookies.map((c) => [c.name, c.domain, c.httpOnly]),
      [['sagemaker-notebook-proxy', `${hostSecret}.localhost`, true]],
    );

    // What a notebook's markdown would make the browser fetch from a local server on another port.
    const other = (bystander!.address() as AddressInfo).port;
    seen.length = 0;
    await frame.evaluate(
      `Promise.all(['http://127.0.0.1:${other}/a.gif', 'http://localhost:${other}/b.gif'].map((src) => new Promise((done) => { const img = new Image(); img.onload = img.onerror = done; img.src = src; document.body.appendChild(img); })))`,
    );
    await waitFor(
      'the other listener to see both images',
      () => seen.length >= 2,
      10_000,
      () => seen.map((s) => s.url),
    );
    for (const s of seen) {
      assert.strictEqual(s.headers.cookie, undefined, `${s.url} carried a cookie`);
      assert.strictEqual(s.headers.referer, undefined, `${s.url} carried a Referer`);
      // Replayed against the proxy, at its listening address and at its secret host, it opens nothing.
      for (const host of [`127.0.0.1:${proxyPort}`, `localhost:${proxyPort}`, `${hostSecret}.localhost:${proxyPort}`]) {
        assert.strictEqual(await replay(Number(proxyPort), '/api/contents', { ...s.headers, host }), 403, `${s.url} replayed`);
      }
    }
    await screenshot(page, 'editor-local-jupyter');
  });
});
