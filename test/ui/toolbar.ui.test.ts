// UI test: the two buttons of the notebook tab's toolbar, clicked in code-server's real workbench, with a real
// Jupyter (Debian's classic Notebook 6) behind the local gateway. Reload signs in afresh (one more presigned
// URL, a new proxy at a new secret host) and the tab shows Jupyter again; Open in Browser hands a fresh
// presigned URL to the browser, which lands on Jupyter's file list. code-server runs with its localhost
// rewrite off (VSCODE_PROXY_URI empty, see open.ui.test.ts), so the presigned URL reaches the browser as the
// extension handed it over.
import * as assert from 'assert';
import type { Frame, Page } from 'playwright-core';
import { startJupyter, type RunningJupyter } from '../support/jupyter';
import {
  DEFAULT_PROFILE,
  chooseFromContextMenu,
  failureScreenshots,
  instanceRow,
  redact,
  screenshot,
  showInstances,
  startHarness,
  waitFor,
  type Harness,
} from './workbench';

const NAME = 'toolbar-nb';
const PRESIGN = 'CreatePresignedNotebookInstanceUrl';
/** The tab's frame at the proxy's secret host, on /tree, its access secret gone from the address. */
const LANDED = /^http:\/\/([0-9a-f]{40})\.localhost:(\d+)\/tree(?:[?#].*)?$/;

const hidden = (url: string) => redact(url).replace(/[0-9a-f]{40}/g, '<secret>');

function notebookFrame(page: Page): Frame | undefined {
  return page.frames().find((f) => LANDED.test(f.url()));
}

/** The webview's own document (toolbar and iframe), found by its toolbar. */
async function toolbarFrame(page: Page): Promise<Frame | undefined> {
  for (const frame of page.frames()) {
    if (
      await frame
        .$('.toolbar[role="toolbar"] #time-left')
        .then((el) => !!el)
        .catch(() => false)
    )
      return frame;
  }
  return undefined;
}

async function clickToolbarButton(page: Page, label: string): Promise<void> {
  const toolbar = await waitFor('the webview toolbar', () => toolbarFrame(page), 15_000);
  await toolbar.locator('.toolbar button', { hasText: new RegExp(`^\\s*${label}\\s*$`) }).click();
}

/** Waits for the tab's frame at the secret host (other than `not`, when given) showing Jupyter's file list. */
async function jupyterInTab(page: Page, not?: string): Promise<Frame> {
  const frame = await waitFor(
    'the notebook iframe at http://<secret>.localhost:<proxy port>/tree',
    () => {
      const f = notebookFrame(page);
      return f && new URL(f.url()).origin !== not && f;
    },
    30_000,
    () => page.frames().map((f) => hidden(f.url())),
  );
  const item = frame.locator('#notebook_list .list_item .item_name', { hasText: 'hello.ipynb' });
  await waitFor("Jupyter's file list showing hello.ipynb inside the tab", () => item.isVisible().catch(() => false), 45_000);
  return frame;
}

describe("The notebook tab's toolbar: Reload and Open in Browser", function () {
  this.timeout(180_000);
  let jupyter: RunningJupyter | undefined;
  let harness: Harness | undefined;
  let firstOrigin: string | undefined;

  before(async function () {
    jupyter = await startJupyter();
    harness = await startHarness({ seed: [{ name: NAME, status: 'InService', jupyterUpstream: jupyter.url }] }, [DEFAULT_PROFILE], {
      env: { VSCODE_PROXY_URI: '' },
      // Only Notebook 6 is installed: the classic interface (/tree), not JupyterLab (/lab).
      settings: { 'sagemakerNotebooks.interface': 'jupyter' },
    });
    const page = harness.workbench.page;
    await showInstances(page, [NAME]);
    await chooseFromContextMenu(page, instanceRow(page, NAME), 'Open in VS Code');
    firstOrigin = new URL((await jupyterInTab(page)).url()).origin;
  });

  after(async () => {
    try {
      await harness?.cleanup();
    } finally {
      await jupyter?.stop();
    }
  });

  afterEach(failureScreenshots(() => harness?.workbench, 'toolbar'));

  it('Reload signs in afresh (one more presigned URL) and the tab shows Jupyter again behind a new proxy', async () => {
    const { endpoint, workbench } = harness!;
    const page = workbench.page;
    const before = endpoint.count(PRESIGN);
    await clickToolbarButton(page, 'Reload');
    await waitFor(
      'one more presigned URL',
      () => endpoint.count(PRESIGN) === before + 1,
      20_000,
      () => endpoint.count(PRESIGN),
    );
    const frame = await jupyterInTab(page, firstOrigin);
    assert.notStrictEqual(new URL(frame.url()).origin, firstOrigin, 'the tab is on a new proxy');
    const accepted = endpoint.gatewayVisits.filter((v) => v.instance === NAME && v.outcome === 'token-accepted');
    assert.strictEqual(accepted.length, 2, `gateway visits: ${JSON.stringify(endpoint.gatewayVisits)}`);
    assert.strictEqual(endpoint.count(PRESIGN), before + 1, 'exactly one more presigned URL');
    await screenshot(page, 'toolbar-reload');
  });

  it("Open in Browser opens a browser page on the notebook's Jupyter, signed in (not a 403)", async () => {
    const { endpoint, workbench } = harness!;
    const page = workbench.page;
    const before = endpoint.count(PRESIGN);
    const visitsBefore = endpoint.gatewayVisits.length;
    const opened = workbench.context.waitForEvent('page', { timeout: 30_000 });
    await clickToolbarButton(page, 'Open in Browser');
    const notebook = await opened;
    try {
      const statuses: number[] = [];
      notebook.on('response', (r) => {
        if (r.request().isNavigationRequest()) statuses.push(r.status());
      });
      await notebook.waitForLoadState('load');
      const item = notebook.locator('#notebook_list .list_item .item_name', { hasText: 'hello.ipynb' });
      await waitFor(
        "Jupyter's file list showing hello.ipynb in the browser page",
        () => item.isVisible().catch(() => false),
        45_000,
        async () => ({ url: hidden(notebook.url()), title: await notebook.title().catch(() => ''), statuses }),
      );
      const url = new URL(notebook.url());
      assert.strictEqual(url.pathname, '/tree', `the page is at ${hidden(notebook.url())}`);
      assert.ok(!url.search.includes('authToken'), 'the token stays in the address bar after the login redirect');
      const visits = endpoint.gatewayVisits
        .slice(visitsBefore)
        .filter((v) => v.instance === NAME)
        .map(({ path, outcome, statusCode }) => ({ path, outcome, statusCode }));
      assert.deepStrictEqual(
        visits.filter((v) => v.outcome === 'token-accepted'),
        [{ path: '/tree', outcome: 'token-accepted', statusCode: 302 }],
        JSON.stringify(visits),
      );
      assert.ok(
        !visits.some((v) => v.statusCode === 403 || v.outcome === 'token-rejected' || v.outcome === 'no-session'),
        JSON.stringify(visits),
      );
      assert.strictEqual(endpoint.count(PRESIGN), before + 1, 'one presigned URL for the browser');
      await screenshot(notebook, 'toolbar-open-in-browser', false);
    } finally {
      await notebook.close();
    }
  });
});
