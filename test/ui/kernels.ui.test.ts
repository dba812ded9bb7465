// UI test (code-server's workbench in Chromium, the local gateway in front of Debian's real jupyter_server, as
// SageMaker's JupyterLab 4 runs): a notebook opened from the instance's files (Open Instance Files) runs on the
// instance's kernel, preselected without the kernel picker: print, 1+1, a matplotlib figure (its PNG visible in
// the screenshot), input() through an input box, an error with its traceback, an interrupted time.sleep(60), and
// a restart that loses the state. Then a local .ipynb runs on the instance after "Use Kernels in VS Code".
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Frame, Page } from 'playwright-core';
import { startJupyterLab, type RunningJupyterLab } from '../support/jupyterLab';
import {
  DEFAULT_PROFILE,
  QUICK_INPUT,
  chooseFromContextMenu,
  failureScreenshots,
  instanceRow,
  pickQuickPickRow,
  runCommand,
  screenshot,
  showInstances,
  startHarness,
  waitFor,
  type Harness,
  explorerRow,
  expandUntil,
} from './workbench';

const NAME = 'kernels-ui';
const CELLS = [
  'print("hello from the instance")',
  '1+1',
  '%matplotlib inline\nimport matplotlib.pyplot as plt\nplt.figure(figsize=(3, 2))\nplt.plot([1, 3, 2, 4])\nplt.title("on the instance")\nplt.show()',
  'name = input("Your name: ")\nprint("Hi", name)',
  'x = 42\n1/0',
  'import time\ntime.sleep(60)',
  'print(x)',
];
const FOLDER = `${NAME} (SageMaker)`;
function notebook(cells: readonly string[]): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: cells.map((source, i) => ({ cell_type: 'code', id: `c${i}`, metadata: {}, execution_count: null, outputs: [], source })),
  });
}

/** The frames of the notebook's output webview that show `text`. */
async function framesShowing(page: Page, text: string | RegExp): Promise<Frame[]> {
  const found: Frame[] = [];
  for (const frame of page.frames()) {
    if (
      await frame
        .getByText(text)
        .first()
        .isVisible()
        .catch(() => false)
    )
      found.push(frame);
  }
  return found;
}

/**
 * Waits for an output showing `text`: VS Code renders only the outputs in view, so the notebook is scrolled to
 * the cell whose source is `cell` (Shift+Enter on the last cell moves the view to a new cell below it), or
 * from the top down step by step.
 */
async function outputShows(page: Page, text: string | RegExp, timeoutMs = 60_000, cell?: string): Promise<void> {
  let tries = 0;
  await waitFor(
    `an output showing ${String(text)}`,
    async () => {
      if ((await framesShowing(page, text)).length > 0) return true;
      const source = cell && page.locator('.cell-editor-container', { hasText: cell }).first();
      if (source && (await source.isVisible().catch(() => false))) {
        await source.scrollIntoViewIfNeeded().catch(() => undefined);
        await page.mouse.move(800, 450);
        await page.mouse.wheel(0, 120); // the output is under its cell
        return false;
      }
      await page.mouse.move(800, 450);
      await page.mouse.wheel(0, ++tries === 1 ? -5000 : 200);
      return false;
    },
    timeoutMs,
  );
}

/** Runs a cell as a user would: a click into it, then Shift+Enter; the cell is brought back into view (on the last cell, VS Code adds one below). */
async function runCell(page: Page, source: string): Promise<void> {
  const editor = await cellEditor(page, source);
  await editor.click();
  await page.keyboard.press('Shift+Enter');
  await editor.scrollIntoViewIfNeeded();
}

/** A cell's editor, scrolling the notebook down until VS Code has rendered it. */
async function cellEditor(page: Page, source: string) {
  const editor = page.locator('.cell-editor-container:visible', { hasText: source }).first();
  await waitFor(
    `the cell "${source}"`,
    async () => {
      if (await editor.isVisible().catch(() => false)) return true;
      await page.mouse.move(800, 450);
      await page.mouse.wheel(0, 200);
      return false;
    },
    30_000,
  );
  await editor.scrollIntoViewIfNeeded();
  return editor;
}

describe('Kernels in VS Code’s notebook editor', function () {
  this.timeout(300_000);
  let jupyter: RunningJupyterLab | undefined;
  let harness: Harness | undefined;
  let root: string | undefined;

  before(async function () {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'kernels-ui-'));
    fs.writeFileSync(path.join(root, 'demo.ipynb'), notebook(CELLS));
    jupyter = await startJupyterLab({ rootFrom: root });
    harness = await startHarness({ seed: [{ name: NAME, status: 'InService', jupyterUpstream: jupyter.url }] }, [DEFAULT_PROFILE], {
      settings: { 'notebook.output.textLineLimit': 30 },
      workspaceFiles: { 'local.ipynb': notebook(['1+1']) },
    });
    await showInstances(harness.workbench.page, [NAME]);
  });

  after(async () => {
    try {
      await harness?.cleanup();
    } finally {
      await jupyter?.stop();
      if (root) fs.rmSync(root, { recursive: true, force: true });
    }
  });

  afterEach(failureScreenshots(() => harness?.workbench, 'kernels'));

  it('a notebook from the instance’s files runs on its preselected kernel: print, 1+1, a matplotlib PNG, input(), an error; interrupt; restart', async () => {
    const page = harness!.workbench.page;
    await runCommand(page, 'SageMaker Notebooks: Open Instance Files');
    await pickQuickPickRow(page, NAME);
    // The first folder added makes the window a multi-root one (VS Code restarts the extension host); code-server
    // may show the new workspace empty once (see files.ui.test.ts), a reload shows its folders.
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
    if (shown === 'empty') await page.reload();
    await explorerRow(page, FOLDER).waitFor({ state: 'visible', timeout: 60_000 });
    await expandUntil(page, FOLDER, 'demo.ipynb');
    await explorerRow(page, 'demo.ipynb').dblclick();

    // The instance's kernel is the notebook's without the kernel picker: the toolbar names it and has our
    // Restart Kernel (shown only when one of our kernels is the notebook's selected kernel).
    const restart = page.getByText('Restart Kernel', { exact: true }).first();
    await waitFor(
      'the instance’s kernel preselected (Restart Kernel in the toolbar)',
      () => restart.isVisible().catch(() => false),
      45_000,
    );
    const kernelLabel = page.locator('.notebook-toolbar-container .kernel-label:visible').first();
    assert.match(await kernelLabel.innerText(), /Python 3/, 'the toolbar names the instance’s kernel');
    assert.ok(!(await page.locator(QUICK_INPUT).isVisible()), 'no kernel picker asked');

    // Run All: the cells run in order; input() asks in an input box; the error stops the run.
    await page.getByText('Run All', { exact: true }).first().click();
    const input = page.locator(`${QUICK_INPUT} input`);
    await waitFor(
      'the input box of input()',
      async () => (await input.isVisible().catch(() => false)) && (await page.locator(QUICK_INPUT).innerText()).includes('Your name'),
      60_000,
    );
    await input.fill('Ada');
    await page.keyboard.press('Enter');
    await outputShows(page, 'hello from the instance');
    await outputShows(page, 'Hi Ada');
    await outputShows(page, 'ZeroDivisionError');
    // Back to the top, where the figure is.
    await page.keyboard.press('Escape');
    await page.mouse.move(800, 450);
    await page.mouse.wheel(0, -5000);
    const png = await waitFor(
      'the matplotlib figure',
      async () => {
        for (const frame of page.frames()) {
          const img = frame.locator('img').first();
          if (await img.isVisible().catch(() => false)) return img;
        }
        return undefined;
      },
      30_000,
    );
    const box = await png.boundingBox();
    assert.ok(box && box.width > 100 && box.height > 60, `the PNG is drawn (${JSON.stringify(box)})`);
    await png.scrollIntoViewIfNeeded();
    await screenshot(page, 'kernels-run-all');

    // Interrupt time.sleep(60) from the notebook toolbar's Interrupt button.
    const started = Date.now();
    await runCell(page, 'time.sleep(60)');
    await waitFor('the kernel busy in the status bar', async () => /busy/.test(await page.locator('.statusbar').innerText()), 30_000);
    const stop = page.locator('.notebook-toolbar-container .action-label[aria-label^="Interrupt"]').first();
    if (await stop.isVisible().catch(() => false)) await stop.click();
    else await runCommand(page, 'Notebook: Interrupt');
    await outputShows(page, 'KeyboardInterrupt', 40_000, 'time.sleep(60)');
    assert.ok(Date.now() - started < 50_000, 'interrupted long before 60 s');

    // Restart Kernel: x is gone.
    await runCommand(page, 'SageMaker Notebooks: Restart Kernel');
    await runCell(page, 'print(x)');
    await outputShows(page, 'NameError', 60_000, 'print(x)');
    await screenshot(page, 'kernels-interrupt-restart');
    // Saved to the instance and closed: the local notebook's outputs are then the only ones in the window.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+S');
    await page.locator('.tabs-container .tab:not(.dirty)', { hasText: 'demo.ipynb' }).waitFor({ timeout: 30_000 });
    await page.keyboard.press('Control+W');
    await page.locator('.tabs-container .tab', { hasText: 'demo.ipynb' }).waitFor({ state: 'detached', timeout: 10_000 });
  });

  it('a local .ipynb runs on the instance after Use Kernels in VS Code', async () => {
    const page = harness!.workbench.page;
    await showInstances(page, [NAME]);
    await chooseFromContextMenu(page, instanceRow(page, NAME), 'Use Kernels in VS Code');
    await page.keyboard.press('Control+P');
    await page.waitForSelector(`${QUICK_INPUT} input`, { state: 'visible' });
    await page.fill(`${QUICK_INPUT} input`, 'local.ipynb');
    await pickQuickPickRow(page, 'local.ipynb');
    const tab = page.locator('.tabs-container .tab.active', { hasText: 'local.ipynb' });
    await tab.waitFor({ state: 'visible', timeout: 30_000 });
    const restart = page.getByText('Restart Kernel', { exact: true }).filter({ visible: true }).first();
    // The notebook names the instance's kernelspec: VS Code suggests it; where it is not yet selected, pick it.
    const selected = await waitFor('the instance’s kernel selected', () => restart.isVisible().catch(() => false), 3_000).catch(
      () => false,
    );
    if (!selected) {
      await page.locator('.notebook-toolbar-container .kernel-label:visible').first().click();
      const row = page.locator(`${QUICK_INPUT} .monaco-list-row`, { hasText: 'Python 3' }).first();
      await waitFor('the instance’s kernel in the kernel picker', () => row.isVisible().catch(() => false), 20_000);
      assert.match(await row.innerText(), new RegExp(NAME), 'the picker names the instance');
      await row.click();
      await waitFor('the kernel selected (Restart Kernel in the toolbar)', () => restart.isVisible().catch(() => false), 20_000);
    }
    await runCell(page, '1+1');
    await outputShows(page, /^2$/, 60_000);
    await screenshot(page, 'kernels-local');
  });
});
