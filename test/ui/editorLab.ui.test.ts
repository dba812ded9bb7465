// UI test: "Open in VS Code" with the default interface, JupyterLab, on an instance whose gateway fronts a real
// JupyterLab 4 (Debian's jupyter_server and jupyterlab_server serving the frontend built from npm, see
// test/support/jupyterLab.ts). In code-server's real workbench: the tab shows JupyterLab's launcher, a
// double-click in its file browser opens the notebook in place, a cell runs, and the kernel's WebSockets go
// through the extension's proxy. Chromium runs with third-party storage allowed: denied it (this machine's
// Chromium default), JupyterLab cannot start in any cross-site frame, which test/unit/proxy/jupyterLab.test.ts
// pins.
import * as assert from 'assert';
import * as fs from 'fs';
import type { Frame, Page } from 'playwright-core';
import { ALLOW_THIRD_PARTY_STORAGE, runLabNotebook, startJupyterLab } from '../support/jupyterLab';
import type { RunningJupyter } from '../support/jupyter';
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

const NAME = 'lab-nb';
const hideSecrets = (text: string) => text.replace(/(authToken=)[^&#]*/g, '$1<redacted>').replace(/[0-9a-f]{40}/g, '<secret>');

/** The notebook frame: whichever frame's address ends in /lab or lies under /lab/ (JupyterLab's own routes). */
function labFrame(page: Page): Frame | undefined {
  return page.frames().find((f) => {
    const path = URL.canParse(f.url()) ? new URL(f.url()).pathname : '';
    return path.endsWith('/lab') || path.includes('/lab/');
  });
}

describe('Open in VS Code: JupyterLab, the default interface, inside a webview tab', function () {
  this.timeout(180_000);
  let lab: RunningJupyter | undefined;
  let harness: Harness | undefined;
  const sockets: string[] = [];
  const consoleLines: string[] = [];

  before(async function () {
    lab = await startJupyterLab();
    // No interface setting: JupyterLab is the default.
    harness = await startHarness({ seed: [{ name: NAME, status: 'InService', jupyterUpstream: lab.url }] }, [DEFAULT_PROFILE], {
      browserArgs: [ALLOW_THIRD_PARTY_STORAGE],
    });
    const page = harness.workbench.page;
    page.on('websocket', (ws) => sockets.push(ws.url()));
    page.on('console', (m) => consoleLines.push(hideSecrets(`[${m.type()}] ${m.text()}`).slice(0, 300)));
    await showInstances(page, [NAME]);
  });

  after(async () => {
    try {
      await harness?.cleanup();
    } finally {
      await lab?.stop();
    }
  });

  afterEach(failureScreenshots(() => harness?.workbench, 'editor-lab'));
  afterEach(function () {
    if (this.currentTest?.state === 'failed') {
      console.log(`    frames: ${JSON.stringify(harness?.workbench.page.frames().map((f) => hideSecrets(f.url())))}`);
      console.log(
        `    console: ${JSON.stringify(consoleLines.filter((l) => !/open-vsx|ENOTFOUND|Yjs|Y\.Doc/.test(l)).slice(-25), null, 1)}`,
      );
    }
  });

  it("shows JupyterLab's launcher, opens a notebook in place, runs 1+1 and talks to its kernel through the proxy", async () => {
    const page = harness!.workbench.page;
    await chooseFromContextMenu(page, instanceRow(page, NAME), 'Open in VS Code');
    await page
      .locator('.tabs-container .tab', { has: page.locator('.label-name', { hasText: new RegExp(`^${NAME}$`) }) })
      .waitFor({ state: 'visible', timeout: 30_000 });

    const frame = await waitFor(
      'the JupyterLab frame (an address ending in /lab or under /lab/)',
      () => labFrame(page),
      30_000,
      () => page.frames().map((f) => hideSecrets(f.url())),
    );
    const proxyOrigin = new URL(frame.url()).origin;
    await frame.locator('.jp-Launcher .jp-LauncherCard[title^="Python 3"]').first().waitFor({ timeout: 45_000 });
    await screenshot(page, 'editor-jupyterlab-launcher');

    // A double-click in the file browser opens the notebook as a JupyterLab tab, in the same frame.
    assert.strictEqual(await runLabNotebook(frame, page), '2');
    assert.strictEqual(labFrame(page), frame, 'the notebook opened in the same frame');
    assert.strictEqual(harness!.workbench.context.pages().length, 1, 'no window opened');

    // The kernel's WebSockets, like every WebSocket of the page, went to the proxy's origin.
    const wsOrigin = proxyOrigin.replace(/^http/, 'ws');
    const fromLab = sockets.filter((u) => /\/api\/(kernels|events)\//.test(u));
    assert.ok(
      fromLab.some((u) => u.startsWith(`${wsOrigin}/api/kernels/`)),
      `kernel WebSockets: ${JSON.stringify(sockets.map(hideSecrets))}`,
    );
    assert.ok(
      fromLab.every((u) => u.startsWith(`${wsOrigin}/`)),
      `WebSockets outside the proxy: ${JSON.stringify(sockets.map(hideSecrets))}`,
    );

    // The gateway took the presigned token once (the proxy's sign-in) and proxied the rest to JupyterLab.
    const visits = harness!.endpoint.gatewayVisits.filter((v) => v.instance === NAME);
    assert.strictEqual(visits.filter((v) => v.outcome === 'token-accepted').length, 1, JSON.stringify(visits.slice(0, 5)));
    assert.ok(!visits.some((v) => v.outcome === 'token-rejected' || v.outcome === 'no-session'), JSON.stringify(visits.slice(0, 5)));

    // No token on screen or in any frame's text or address.
    for (const f of page.frames()) {
      const text = await f.evaluate<string>('document.body ? document.body.innerText : ""').catch(() => '');
      assert.ok(!/authToken/i.test(text) && !/authToken/i.test(f.url()), `frame ${hideSecrets(f.url())} shows a token`);
    }
    const file = await screenshot(page, 'editor-jupyterlab');
    assert.ok(fs.statSync(file).size > 10_000, `${file} is a real picture`);
  });
});

// With this Chromium's default, third-party storage blocked, the webview's cross-site frame is denied
// localStorage; JupyterLab's window resolver failed on it and the tab kept reloading JupyterLab into new
// workspaces. The proxy's storage script (src/open/proxy/storageShim.ts) gives the page an in-memory storage.
describe('Open in VS Code: JupyterLab where the browser blocks third-party storage', function () {
  this.timeout(180_000);
  let lab: RunningJupyter | undefined;
  let harness: Harness | undefined;

  before(async function () {
    lab = await startJupyterLab();
    harness = await startHarness({ seed: [{ name: NAME, status: 'InService', jupyterUpstream: lab.url }] });
    await showInstances(harness.workbench.page, [NAME]);
  });

  after(async () => {
    try {
      await harness?.cleanup();
    } finally {
      await lab?.stop();
    }
  });

  afterEach(failureScreenshots(() => harness?.workbench, 'editor-lab-blocked'));

  it('JupyterLab starts in the tab all the same, without reloading into new workspaces', async () => {
    const page = harness!.workbench.page;
    const workspaces = new Set<string>();
    page.on('framenavigated', (f) => {
      const m = URL.canParse(f.url()) ? /\/lab\/workspaces\/(auto-[A-Za-z])$/.exec(new URL(f.url()).pathname) : null;
      if (m) workspaces.add(m[1]);
    });
    await chooseFromContextMenu(page, instanceRow(page, NAME), 'Open in VS Code');
    const frame = await waitFor('the JupyterLab frame', () => labFrame(page), 30_000);
    await frame.locator('.jp-DirListing-item', { hasText: 'hello.ipynb' }).first().waitFor({ state: 'visible', timeout: 45_000 });
    assert.ok(workspaces.size <= 1, `no reloads into new workspaces: ${JSON.stringify([...workspaces])}`);
    await screenshot(page, 'editor-lab-storage-blocked');
  });
});
