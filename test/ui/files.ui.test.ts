// UI test: "Open Instance Files" from the palette in code-server's real workbench, against an instance whose
// gateway fronts a real jupyter_server (JupyterLab's, as on SageMaker). The instance's folder shows in the
// Explorer; a text file opens, is typed into and saved, and the server's disk has the change; an .ipynb opens
// in VS Code's notebook editor; after a reload of the window the folder reconnects by itself.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { startJupyterLab, type RunningJupyterLab } from '../support/jupyterLab';
import {
  failureScreenshots,
  pickQuickPickRow,
  runCommand,
  screenshot,
  showInstances,
  startHarness,
  waitFor,
  type Harness,
  EXPLORER_ROWS,
  explorerRow,
  expandUntil,
} from './workbench';

const NAME = 'files-ui-nb';
const FOLDER = `${NAME} (SageMaker)`;
const STOPPED = 'files-ui-stopped';

describe('Instance files in the Explorer', function () {
  this.timeout(240_000);
  let lab: RunningJupyterLab | undefined;
  let harness: Harness | undefined;

  before(async function () {
    lab = await startJupyterLab();
    fs.writeFileSync(path.join(lab.root, 'notes.txt'), 'notes from the instance\n');
    harness = await startHarness({
      seed: [
        { name: NAME, status: 'InService', jupyterUpstream: lab.url },
        { name: STOPPED, status: 'Stopped', jupyterUpstream: lab.url },
      ],
      transitionMs: { start: 3_000 },
    });
    // The extension's view lists the instance: the extension is loaded and its commands are in the palette.
    await showInstances(harness.workbench.page, [NAME]);
  });

  after(async () => {
    try {
      await harness?.cleanup();
    } finally {
      await lab?.stop();
    }
  });

  afterEach(failureScreenshots(() => harness?.workbench, 'files'));

  it('Open Instance Files from the palette adds the folder; a text file is edited and saved to the instance', async () => {
    const page = harness!.workbench.page;
    await runCommand(page, 'SageMaker Notebooks: Open Instance Files');
    await pickQuickPickRow(page, NAME);
    // The first folder added to a folder window makes it a multi-root one: VS Code restarts the extension host,
    // and the folder reconnects through the file system the extension registers at activation.
    // code-server's page loads the new untitled workspace as it is being written and may show it empty the first
    // time (the upstream glitch of coder/vscode-coder#245, microsoft/vscode#72529); a reload shows its folders.
    await page.waitForURL(/[?&]workspace=/, { timeout: 60_000 });
    const empty = page.getByRole('button', { name: 'Open Folder' });
    const shown = await waitFor(
      'the instance folder, or the empty-workspace glitch',
      async () => {
        if (await explorerRow(page, FOLDER).isVisible()) return 'folder';
        if (await empty.first().isVisible()) return 'empty';
        return undefined;
      },
      60_000,
    );
    if (shown === 'empty') {
      console.log('      (code-server showed the new workspace empty; reloading once)');
      await page.reload();
    }
    await explorerRow(page, FOLDER).waitFor({ state: 'visible', timeout: 60_000 });
    await expandUntil(page, FOLDER, 'notes.txt');
    await explorerRow(page, 'hello.ipynb').waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(page, 'files-explorer');

    await explorerRow(page, 'notes.txt').dblclick();
    const editor = page.locator('.editor-instance .monaco-editor .view-lines').first();
    await editor.filter({ hasText: 'notes from the instance' }).waitFor({ timeout: 30_000 });
    await editor.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('typed in VS Code');
    await page.keyboard.press('Control+S');
    const onDisk = path.join(lab!.root, 'notes.txt');
    await waitFor(
      "the save on the server's disk",
      () => fs.readFileSync(onDisk, 'utf8') === 'notes from the instance\ntyped in VS Code',
      30_000,
      () => fs.readFileSync(onDisk, 'utf8'),
    );
    await page.locator('.tabs-container .tab:not(.dirty)', { hasText: 'notes.txt' }).waitFor({ timeout: 10_000 });
    await screenshot(page, 'files-saved');
  });

  it("an .ipynb of the instance opens in VS Code's notebook editor", async () => {
    const page = harness!.workbench.page;
    await explorerRow(page, 'hello.ipynb').dblclick();
    const cell = page.locator('.notebook-editor .cell-editor-container .view-lines').first();
    await cell.filter({ hasText: '1+1' }).waitFor({ timeout: 45_000 });
    await screenshot(page, 'files-notebook');
  });

  it("after a reload of the window the folder reconnects and lists the instance's files", async () => {
    const page = harness!.workbench.page;
    fs.writeFileSync(path.join(lab!.root, 'after-reload.txt'), 'new\n');
    await page.reload();
    await explorerRow(page, FOLDER).waitFor({ state: 'visible', timeout: 60_000 });
    await expandUntil(page, FOLDER, 'after-reload.txt');
    assert.ok(await explorerRow(page, 'notes.txt').isVisible());
    await screenshot(page, 'files-after-reload');
  });

  it('the folder of a stopped instance says so once, with Start; Start brings its files', async () => {
    const page = harness!.workbench.page;
    await runCommand(page, 'SageMaker Notebooks: Open Instance Files');
    await pickQuickPickRow(page, STOPPED);
    const folder = explorerRow(page, `${STOPPED} (SageMaker)`);
    await folder.waitFor({ state: 'visible', timeout: 60_000 });
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: `${STOPPED} is Stopped` });
    await toast.waitFor({ state: 'visible', timeout: 30_000 });
    assert.strictEqual(await toast.count(), 1, 'one notification');
    await screenshot(page, 'files-stopped', false);
    await toast.getByRole('button', { name: 'Start' }).click();
    await waitFor('the instance to run again', () => harness!.endpoint.getInstance(STOPPED)?.status === 'InService' || undefined, 60_000);
    await waitFor(
      'the folder to list its files',
      async () =>
        (await page
          .locator(EXPLORER_ROWS)
          .filter({ has: page.locator('.label-name', { hasText: /^hello\.ipynb$/ }) })
          .count()) >= 2 || undefined,
      60_000,
    );
    await screenshot(page, 'files-started');
  });
});
