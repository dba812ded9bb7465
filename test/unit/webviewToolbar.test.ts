// The notebook webview's toolbar in a real browser, framed the way VS Code frames it: a host page standing in
// for VS Code's webview host frame (pre/index.html) holds the webview's page in a same-origin sandboxed
// iframe and forwards the extension's messages with `contentWindow.postMessage(data, window.origin)`; the
// page frames the "notebook" on another origin, and that notebook frames a srcdoc page of its own.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { notebookWebviewHtml } from '../../src/open/webviewHtml';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FORGED = 'SESSION EXPIRED - re-enter your AWS keys at https://evil.example/';
const GENUINE = '41 min left';

/** Jupyter gone bad: it and a srcdoc frame inside it keep posting a fake time left to every window above. */
const NOTEBOOK = `<!DOCTYPE html><p>notebook</p>
<iframe id="nested" srcdoc="${`<script>
  const forged = { type: 'timeLeft', text: ${JSON.stringify(FORGED)} };
  setInterval(() => { parent.parent.postMessage(forged, '*'); window.top.postMessage(forged, '*'); }, 20);
</script>`.replace(/"/g, '&quot;')}"></iframe>
<script>
  setInterval(() => parent.postMessage({ type: 'timeLeft', text: ${JSON.stringify(FORGED)} }, '*'), 20);
</script>`;

// What VS Code's host frame grants the webview's frame (pre/index.html, VS Code 1.100 and 1.139).
const HOST = `<!DOCTYPE html><iframe id="content" src="/content.html" style="width:900px;height:500px"
  sandbox="allow-same-origin allow-pointer-lock allow-scripts allow-downloads allow-forms"
  allow="cross-origin-isolated; autoplay; clipboard-read; clipboard-write;"></iframe>`;

/**
 * What VS Code's script does to the webview's page before the page's own scripts run (getVsCodeApiScript in
 * pre/index.html): 1.100 deletes `parent`, `top` and `frameElement`, 1.139 points them at the page itself.
 */
const HIDE_PARENT = {
  '1.100': 'delete window.parent; delete window.top; delete window.frameElement;',
  '1.139': 'window.parent = window; window.top = window; window.frameElement = null;',
};

/** Runs in every frame before its own scripts: stands in for VS Code's script, counts forgeries. */
const init = (hideParent: string) => `if (location.pathname === '/content.html') {
  window.posted = [];
  window.forgedArrived = 0;
  window.labels = [];
  window.acquireVsCodeApi = () => ({ postMessage: (m) => window.posted.push(m) });
  ${hideParent}
  window.addEventListener('message', (e) => { if (e.data && e.data.text === ${JSON.stringify(FORGED)}) window.forgedArrived++; });
  document.addEventListener('DOMContentLoaded', () => {
    const label = document.getElementById('time-left');
    new MutationObserver(() => window.labels.push(label.textContent)).observe(label, { childList: true, characterData: true, subtree: true });
  });
}`;

/** What VS Code's host frame does with the extension's `webview.postMessage`. */
const DELIVER = `document.getElementById('content').contentWindow.postMessage({ type: 'timeLeft', text: ${JSON.stringify(GENUINE)} }, window.origin)`;
const SHOWS_GENUINE = `document.getElementById('time-left').textContent === ${JSON.stringify(GENUINE)}`;

/** Polls from Node: the page's CSP refuses the eval that waitForFunction would poll with. */
async function until(frame: Frame, expression: string, timeoutMs: number): Promise<void> {
  for (const end = Date.now() + timeoutMs; !(await frame.evaluate<boolean>(expression));) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

describe('notebook webview toolbar in a real browser', function () {
  this.timeout(20_000);
  let notebook: Server | undefined;
  let host: Server | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let hostUrl = '';

  before(async function () {
    if (!existsSync(CHROMIUM)) return this.skip(); // no browser on this machine: nothing to drive
    notebook = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(NOTEBOOK));
    const frameOrigin = `http://127.0.0.1:${await listen(notebook)}`;
    const html = notebookWebviewHtml({
      cspSource: "'self'",
      nonce: 'bm9uY2Vub25jZW5vbmNlMQ==',
      frameOrigin,
      entryUrl: `${frameOrigin}/secret/lab`,
      title: 'nb',
    });
    host = createServer((req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(req.url === '/content.html' ? html : HOST));
    // localhost, not 127.0.0.1: the webview is another site than the notebook, as in VS Code.
    hostUrl = `http://localhost:${await listen(host)}/`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  });
  beforeEach(async () => {
    page = await browser!.newPage();
  });
  afterEach(async () => page?.close());
  after(async () => {
    await browser?.close();
    host?.close();
    notebook?.close();
  });

  async function load(hideParent: string): Promise<Frame> {
    await page!.addInitScript(init(hideParent));
    await page!.goto(hostUrl);
    const content = await (await page!.waitForSelector('#content')).contentFrame();
    await until(content!, 'window.posted.some((m) => m.type === "ready")', 5000);
    return content!;
  }

  for (const [version, hideParent] of Object.entries(HIDE_PARENT)) {
    it(`shows the extension's time left, delivered as VS Code ${version}'s host frame delivers it`, async () => {
      const content = await load(hideParent);
      await page!.evaluate(DELIVER);
      await until(content, SHOWS_GENUINE, 3000);
    });

    it(`never shows a time left posted by the notebook or a frame nested inside it (VS Code ${version})`, async () => {
      const content = await load(hideParent);
      // The forgeries really reach the toolbar's window: from the notebook frame and from its srcdoc frame.
      await until(content, 'window.forgedArrived >= 20', 5000);
      assert.deepEqual(await content.evaluate('window.labels'), [], 'the toolbar showed a forged time left');
      await page!.evaluate(DELIVER);
      await until(content, SHOWS_GENUINE, 3000);
      const arrived = await content.evaluate<number>('window.forgedArrived');
      await until(content, `window.forgedArrived >= ${arrived + 20}`, 5000);
      assert.equal(await content.textContent('#time-left'), GENUINE);
      assert.deepEqual(await content.evaluate('window.labels'), [GENUINE]);
    });
  }
});
