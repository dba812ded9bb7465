// UI test: after a person opens a notebook, the status bar counts down its session; a click on the timer
// lists the sessions, and the timer is still there after the window reloads (sessions live in globalState).
import * as assert from 'assert';
import type { Page } from 'playwright-core';
import type { LocalSageMaker } from '../endpoint/server';
import { DEFAULT_PROFILE, failureScreenshots, instanceRow, runCommand, screenshot, showInstances, startHarness, waitFor, waitForQuickPick, QUICK_INPUT, type Harness, type Workbench } from './workbench';

// The default session is 720 minutes: 12h 0m, or 11h 59m once the first minute has begun to pass.
const TIMER_TEXT = /^demo-lab (12h 0m|11h 59m)$/;
const TIMER_LABEL = /^Notebook session demo-lab, (12 hours|11 hours 59 minutes) left$/;

/** The status bar entry of the session timer: its visible text and its accessible name. */
async function sessionTimer(page: Page): Promise<{ text: string; label: string } | undefined> {
  const items = await page.$$eval('.statusbar-item', (els) =>
    els.map((el) => ({
      text: (el.textContent ?? '').replace(/\s+/g, ' ').trim(),
      label: el.querySelector('[aria-label]')?.getAttribute('aria-label') ?? el.getAttribute('aria-label') ?? '',
    })),
  );
  return items.find((i) => i.label.startsWith('Notebook session ') || i.text.startsWith('demo-lab '));
}

async function waitForTimer(page: Page, timeoutMs: number): Promise<{ text: string; label: string }> {
  let last: unknown;
  return waitFor('the session timer in the status bar', async () => {
    last = await sessionTimer(page);
    const t = last as { text: string; label: string } | undefined;
    return t && TIMER_TEXT.test(t.text) && t;
  }, timeoutMs, () => last);
}

describe('Notebook session timer in the status bar', function () {
  this.timeout(180_000);
  let harness: Harness | undefined;
  let endpoint: LocalSageMaker | undefined;
  let workbench: Workbench | undefined;

  before(async function () {
    harness = await startHarness({ seed: [{ name: 'demo-lab', status: 'InService' }] }, [DEFAULT_PROFILE], {
      env: { VSCODE_PROXY_URI: '' }, // no localhost rewrite, as in open.ui.test.ts: the notebook page really opens
    });
    ({ endpoint, workbench } = harness);
  });


  after(() => harness?.cleanup());


  afterEach(failureScreenshots(() => workbench, 'sessions'));


  it('shows the timer after an open, and a click on it lists the session', async function () {
    const page = workbench!.page;
    await showInstances(page, ['demo-lab']);
    assert.strictEqual(await sessionTimer(page), undefined, 'no timer before any notebook is opened');

    const opened = workbench!.context.waitForEvent('page', { timeout: 30_000 });
    await instanceRow(page, 'demo-lab').click();
    await (await opened).close();

    const timer = await waitForTimer(page, 15_000);
    assert.match(timer.label, TIMER_LABEL);
    assert.strictEqual(endpoint!.count('CreatePresignedNotebookInstanceUrl'), 1);
    // The "Opening demo-lab…" notification lingers a moment after the open; the picture is clearer without it.
    await page.locator('.notification-toast', { hasText: 'Opening demo-lab' }).waitFor({ state: 'hidden', timeout: 10_000 });

    await page.click('.statusbar-item:has([aria-label^="Notebook session demo-lab"])');
    const rows = await waitForQuickPick(page, 'the sessions quick pick', (r) => r.some((row) => row.label === 'demo-lab'));
    assert.strictEqual(rows.length, 1, `rows: ${JSON.stringify(rows)}`);
    assert.match(rows[0].description, /^(12h 0m|11h 59m) left · in the browser · default · us-east-1$/, `rows: ${JSON.stringify(rows)}`);
    assert.match((await page.textContent(`${QUICK_INPUT} .quick-input-title`)) ?? '', /Notebook Sessions/);
    await screenshot(page, 'sessions-status-bar-and-quick-pick', false);
    await page.keyboard.press('Escape');
    await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: 5_000 });
  });

  it('keeps the timer after "Developer: Reload Window", without opening the notebook again', async function () {
    const page = workbench!.page;
    await waitForTimer(page, 5_000); // left by the test above
    const presigned = endpoint!.count('CreatePresignedNotebookInstanceUrl');
    // A mark on the old page's window: gone once the page has really reloaded.
    await page.evaluate('window.__smnBeforeReload = true');
    const reloaded = page.waitForEvent('load', { timeout: 60_000 });
    await runCommand(page, 'Developer: Reload Window');
    await reloaded;
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    assert.strictEqual(await page.evaluate('window.__smnBeforeReload'), undefined, 'the window did not reload');

    const timer = await waitForTimer(page, 30_000);
    assert.match(timer.label, TIMER_LABEL);
    assert.strictEqual(endpoint!.count('CreatePresignedNotebookInstanceUrl'), presigned, 'the timer came back without a new open');
    await screenshot(page, 'sessions-after-reload');
  });
});
