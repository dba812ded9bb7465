// UI test: a local .ipynb runs on the instance's kernel in VS Code's own notebook editor after "Use Kernels in
// VS Code" (code-server's workbench in Chromium, the local gateway in front of Debian's real Jupyter): print,
// 1+1, a matplotlib figure (its PNG visible in the screenshot), input() through an input box, an error with its
// traceback, an interrupted time.sleep(60), and a restart that loses the state.
import * as assert from 'assert';
import type { Frame, Page } from 'playwright-core';
import { startJupyter, type RunningJupyter } from '../support/jupyter';
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
const NOTEBOOK = JSON.stringify({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
  cells: CELLS.map((source, i) => ({ cell_type: 'code', id: `c${i}`, metadata: {}, execution_count: null, outputs: [], source })),
});

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
 * down step by step.
 */
async function outputShows(page: Page, text: string | RegExp, timeoutMs = 60_000, cell?: string): Promise<void> {
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
      await page.mouse.wheel(0, 200);
      return false;
    },
    timeoutMs,
  );
}

/** Runs a cell as a user would: a click into it, then Shift+Enter (run, select the next cell). */
async function runCell(page: Page, source: string): Promise<void> {
  const editor = await cellEditor(page, source);
  await editor.click();
  await page.keyboard.press('Shift+Enter');
}

/** A cell's editor, scrolling the notebook down until VS Code has rendered it. */
async function cellEditor(page: Page, source: string) {
  const editor = page.locator('.cell-editor-container', { hasText: source }).first();
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
  let jupyter: RunningJupyter | undefined;
  let harness: Harness | undefined;

  before(async function () {
    jupyter = await startJupyter();
    harness = await startHarness({ seed: [{ name: NAME, status: 'InService', jupyterUpstream: jupyter.url }] }, [DEFAULT_PROFILE], {
      settings: { 'sagemakerNotebooks.interface': 'jupyter', 'notebook.output.textLineLimit': 30 },
      workspaceFiles: { 'demo.ipynb': NOTEBOOK },
    });
    await showInstances(harness.workbench.page, [NAME]);
  });

  after(async () => {
    try {
      await harness?.cleanup();
    } finally {
      await jupyter?.stop();
    }
  });

  afterEach(failureScreenshots(() => harness?.workbench, 'kernels'));

  it('runs a local notebook on the instance: print, 1+1, a matplotlib PNG, input(), an error; interrupt; restart', async () => {
    const page = harness!.workbench.page;
    await chooseFromContextMenu(page, instanceRow(page, NAME), 'Use Kernels in VS Code');
    await waitFor(
      'the kernels to come',
      async () => (await page.locator('.statusbar').innerText()).includes('kernel picker'),
      30_000,
    ).catch(() => undefined);

    // Open the local notebook (Quick Open), then pick the instance's kernel where VS Code did not already.
    await page.keyboard.press('Control+P');
    await page.waitForSelector(`${QUICK_INPUT} input`, { state: 'visible' });
    await page.fill(`${QUICK_INPUT} input`, 'demo.ipynb');
    await pickQuickPickRow(page, 'demo.ipynb');
    const kernelButton = page
      .locator('.notebook-toolbar-container .kernel-label, [id="workbench.parts.editor"] .action-label[aria-label*="Kernel"]')
      .first();
    await waitFor('the notebook toolbar', () => kernelButton.isVisible().catch(() => false), 30_000);
    // Our kernel is the notebook's once the toolbar has its Restart Kernel (shown for our controllers only).
    const restart = page.getByText('Restart Kernel', { exact: true }).first();
    const selected = await waitFor('the instance’s kernel preselected', () => restart.isVisible().catch(() => false), 10_000).catch(
      () => false,
    );
    if (!selected) {
      await kernelButton.click();
      const row = page.locator(`${QUICK_INPUT} .monaco-list-row`, { hasText: 'Python 3' }).first();
      await waitFor('the instance’s kernel in the kernel picker', () => row.isVisible().catch(() => false), 20_000);
      assert.match(await row.innerText(), new RegExp(NAME), 'the picker names the instance');
      await row.click();
    }
    await waitFor('the kernel selected (Restart Kernel in the toolbar)', () => restart.isVisible().catch(() => false), 20_000);

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
    await page
      .locator('.cell-editor-container', { hasText: 'hello from the instance' })
      .first()
      .click()
      .catch(async () => {
        await page.mouse.move(800, 450);
        await page.mouse.wheel(0, -5000);
      });
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
  });
});
