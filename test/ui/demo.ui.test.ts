// UI test: the demo `npm start` runs, clicked through as a person trying it would. startDemo() is the very
// set-up scripts/start.mjs uses (seed, profiles, the real Jupyter behind the instances, the workspace, and
// code-server's environment), so what passes here is what `npm start` shows. The demo's Jupyter is JupyterLab 4
// (the default interface, as on SageMaker) with the classic interface beside it. The README's screenshots of
// the view and of Open in VS Code come from here.
import * as assert from 'assert';
import type { Frame, Page } from 'playwright-core';
import { DEMO_CODE_SERVER_ENV, startDemo, type Demo } from '../endpoint/demo';
import {
  chooseFromContextMenu,
  failureScreenshots,
  instanceRow,
  launchWorkbench,
  moveMouseAway,
  pageOpenedBy,
  pickQuickPickRow,
  redact,
  runCommand,
  screenshot,
  showInstances,
  waitFor,
  waitForQuickPick,
  waitForRows,
  type Workbench,
} from './workbench';

const DEMO_NOTEBOOKS = ['hello.ipynb', 'signups-by-region.ipynb', 'signups.csv'];
const OPEN = 'data-exploration';
const PENDING = 'llm-finetune-g5';

/** JupyterLab's file browser showing every demo file, in a page or a frame. */
async function labShowsDemoNotebooks(where: Page | Frame): Promise<boolean> {
  for (const name of DEMO_NOTEBOOKS) {
    const visible = await where
      .locator('.jp-DirListing-item', { hasText: name })
      .first()
      .isVisible()
      .catch(() => false);
    if (!visible) return false;
  }
  return true;
}

/** Classic Jupyter's own file list showing every demo file. */
async function classicShowsDemoNotebooks(where: Page | Frame): Promise<boolean> {
  for (const name of DEMO_NOTEBOOKS) {
    const visible = await where
      .locator('#notebook_list .list_item .item_name', { hasText: name })
      .first()
      .isVisible()
      .catch(() => false);
    if (!visible) return false;
  }
  return true;
}

/** An address in JupyterLab: /lab, or under /lab/ (its own routes). */
const inLab = (url: string) => URL.canParse(url) && /^\/lab(\/|$)/.test(new URL(url).pathname);

describe('The `npm start` demo', function () {
  this.timeout(240_000);
  let demo: Demo | undefined;
  let workbench: Workbench | undefined;
  let firstRows: string[] = [];

  before(async function () {
    demo = await startDemo();
    assert.ok(demo.jupyter, `the demo runs without Jupyter: ${demo.notice}`);
    assert.strictEqual(demo.jupyterKind, 'jupyterlab', `the demo fell back to classic Jupyter: ${demo.notice}`);
    workbench = await launchWorkbench({
      env: { ...demo.env, ...DEMO_CODE_SERVER_ENV },
      workspace: demo.workspace,
      machineSettings: demo.settings,
    });
  });

  after(async function () {
    try {
      await workbench?.close();
    } finally {
      await demo?.stop();
    }
  });

  afterEach(failureScreenshots(() => workbench, 'demo'));

  it("lists the default profile's instances in its own region at once, in every status", async function () {
    const page = workbench!.page;
    firstRows = await showInstances(page, [
      OPEN,
      'churn-model-training',
      PENDING,
      'feature-store-etl',
      'nightly-reports',
      'Forecasting-Sandbox',
    ]);
    for (const status of ['InService', 'Stopped', 'Failed', 'Stopping', 'Updating']) {
      assert.ok(
        firstRows.some((r) => r.includes(`, ${status}`)),
        `no ${status} row: ${JSON.stringify(firstRows)}`,
      );
    }
    await screenshot(page, 'demo-explorer');
  });

  it('a click on an InService instance opens JupyterLab with the demo notebooks in the browser, not a 403', async function () {
    const { endpoint } = demo!;
    const notebook = await pageOpenedBy(workbench!.context, () => instanceRow(workbench!.page, OPEN).click());
    try {
      await waitFor(
        "JupyterLab's file browser with the demo notebooks in the opened page",
        () => labShowsDemoNotebooks(notebook),
        45_000,
        async () => ({ url: redact(notebook.url()), title: await notebook.title() }),
      );
      const visits = endpoint.gatewayVisits.filter((v) => v.instance === OPEN);
      assert.strictEqual(visits[0]?.outcome, 'token-accepted', JSON.stringify(visits));
      assert.ok(!visits.some((v) => v.statusCode === 403), JSON.stringify(visits));
      assert.ok(inLab(notebook.url()), redact(notebook.url()));
      await notebook.locator('.jp-Launcher .jp-LauncherCard[title^="Python 3"]').first().waitFor({ timeout: 20_000 });
      await screenshot(notebook, 'demo-browser-jupyterlab', false);
    } finally {
      await notebook.close();
    }
  });

  it('Open in Jupyter (classic) opens the classic interface of the same instance in the browser', async function () {
    const page = workbench!.page;
    const notebook = await pageOpenedBy(workbench!.context, () =>
      chooseFromContextMenu(page, instanceRow(page, OPEN), 'Open in Jupyter (classic)'),
    );
    try {
      await waitFor(
        "classic Jupyter's file list with the demo notebooks",
        () => classicShowsDemoNotebooks(notebook),
        45_000,
        async () => ({ url: redact(notebook.url()), title: await notebook.title() }),
      );
      assert.strictEqual(new URL(notebook.url()).pathname, '/tree', redact(notebook.url()));
      await screenshot(notebook, 'demo-browser-jupyter-classic', false);
    } finally {
      await notebook.close();
    }
  });

  it('Open in VS Code shows JupyterLab with the demo notebooks in a tab, and its Open in Browser button opens it too', async function () {
    const page = workbench!.page;
    await chooseFromContextMenu(page, instanceRow(page, OPEN), 'Open in VS Code');
    const labFrame = () => page.frames().find((f) => inLab(f.url()) && !f.url().startsWith(workbench!.server.url));
    const frame = await waitFor('the JupyterLab frame inside the tab', labFrame, 30_000, () =>
      page.frames().map((f) => redact(f.url()).replace(/[0-9a-f]{40}/g, '<secret>')),
    );
    await waitFor("JupyterLab's file browser with the demo notebooks inside the tab", () => labShowsDemoNotebooks(frame), 60_000);
    await frame.locator('.jp-Launcher .jp-LauncherCard[title^="Python 3"]').first().waitFor({ timeout: 20_000 });
    // Onto the empty part of the view, not into the tab: the workbench sees no mouse-out from an iframe, so a
    // tree row's hover would stay over the picture.
    await moveMouseAway(page, 200, 650);
    await screenshot(page, 'demo-open-in-vscode', false);

    const button = await waitFor(
      "the tab's Open in Browser button",
      async () => {
        for (const f of page.frames()) {
          const b = f.locator('button', { hasText: 'Open in Browser' });
          if (await b.isVisible().catch(() => false)) return b;
        }
        return undefined;
      },
      15_000,
    );
    const notebook = await pageOpenedBy(workbench!.context, () => button.click());
    try {
      await waitFor(
        "JupyterLab's file browser in the page the tab's button opened",
        () => labShowsDemoNotebooks(notebook),
        45_000,
        async () => ({ url: redact(notebook.url()), title: await notebook.title() }),
      );
    } finally {
      await notebook.close();
    }
  });

  it('a Pending instance becomes InService on its own', async function () {
    assert.ok(
      firstRows.some((r) => r.startsWith(`${PENDING}, Pending`)),
      `${PENDING} was not Pending at first: ${JSON.stringify(firstRows)}`,
    );
    const rows = await waitForRows(workbench!.page, (r) => r.some((l) => l.startsWith(`${PENDING}, InService`)), 60_000);
    assert.ok(
      rows.some((l) => l.startsWith('nightly-reports, Stopped')),
      `Stopping did not settle: ${JSON.stringify(rows)}`,
    );
  });

  it('the team profile lists its own instances at once, in its region eu-west-1', async function () {
    const page = workbench!.page;
    await runCommand(page, 'SageMaker Notebooks: Select AWS Profile…');
    await waitForQuickPick(page, 'the profile quick pick', (r) => r.some((row) => row.label === 'team'));
    await pickQuickPickRow(page, 'team');
    const rows = await waitForRows(
      page,
      (r) => r.some((l) => l.startsWith('team-shared-notebook, InService')) && !r.some((l) => l.startsWith(`${OPEN}, `)),
      30_000,
    );
    for (const name of ['team-batch-scoring', 'team-ab-test-analysis', 'team-recsys-experiments']) {
      assert.ok(
        rows.some((l) => l.startsWith(`${name}, `)),
        `${name} missing: ${JSON.stringify(rows)}`,
      );
    }
    await screenshot(page, 'demo-team-profile');
  });
});
