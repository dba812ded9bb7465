// UI test: after a person opens a notebook, the status bar counts down its session; a click on the timer
// lists the sessions, and the timer is still there after the window reloads (sessions live in globalState).
// Then the warning a person sees (30-minute sessions, a 60-minute warning: at once), Renew and Dismiss on
// its notification, and each action of the session list, clicked.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { BrowserContext, Page } from 'playwright-core';
import type { LocalSageMaker } from '../endpoint/server';
import {
  DEFAULT_PROFILE,
  failureScreenshots,
  instanceRow,
  pickQuickPickRow,
  runCommand,
  screenshot,
  showInstances,
  startHarness,
  waitFor,
  waitForQuickPick,
  QUICK_INPUT,
  type Harness,
  type Workbench,
} from './workbench';

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
  return waitFor(
    'the session timer in the status bar',
    async () => {
      last = await sessionTimer(page);
      const t = last as { text: string; label: string } | undefined;
      return t && TIMER_TEXT.test(t.text) && t;
    },
    timeoutMs,
    () => last,
  );
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

/** The session timer's text, accessible name and background kind (`warning-kind`, `error-kind`, or none). */
async function timerItem(page: Page, name: string): Promise<{ text: string; label: string; kind: string } | undefined> {
  const items = await page.$$eval('.statusbar-item', (els) =>
    els.map((el) => ({
      text: (el.textContent ?? '').replace(/\s+/g, ' ').trim(),
      label: el.querySelector('[aria-label]')?.getAttribute('aria-label') ?? el.getAttribute('aria-label') ?? '',
      kind: ['warning-kind', 'error-kind'].filter((k) => el.classList.contains(k)).join(' '),
    })),
  );
  return items.find((i) => i.label.startsWith(`Notebook session ${name}`));
}

async function waitForTimerItem(
  page: Page,
  name: string,
  done: (t: { text: string; kind: string }) => boolean,
): Promise<{ text: string; label: string; kind: string }> {
  let last: Awaited<ReturnType<typeof timerItem>>;
  return waitFor(
    `the session timer of ${name}`,
    async () => {
      last = await timerItem(page, name);
      return last && done(last) && last;
    },
    20_000,
    () => last,
  );
}

/** Every notification of the window, from the notification center (toasts hide after a while; it keeps them). */
async function notifications(page: Page): Promise<{ message: string; buttons: string[] }[]> {
  await page.keyboard.press('Escape');
  await runCommand(page, 'Notifications: Show Notifications');
  const center = page.locator('.notifications-center');
  await center.waitFor({ state: 'visible', timeout: 10_000 });
  const all = await center.locator('.notification-list-item').evaluateAll((els) =>
    els.map((el) => ({
      message: (el.querySelector('.notification-list-item-message')?.textContent ?? '').trim(),
      buttons: [...el.querySelectorAll('.monaco-button')].map((b) => (b.textContent ?? '').trim()).filter(Boolean),
    })),
  );
  await page.keyboard.press('Escape');
  await center.waitFor({ state: 'hidden', timeout: 10_000 });
  return all;
}

/** Runs `gesture`, waits for the browser page it opens (a presigned URL) and closes that page. */
async function closesOpenedPage(context: BrowserContext, gesture: () => Promise<unknown>): Promise<void> {
  const opened = context.waitForEvent('page', { timeout: 30_000 });
  await gesture();
  await (await opened).close();
}

describe('Notebook session timer: the warning, Renew, Dismiss and the session list, clicked', function () {
  this.timeout(180_000);
  let harness: Harness | undefined;
  let workspace: string;
  let titles = 0;

  /**
   * Rewrites the workspace's settings, and waits until the window has read them: `window.title` changes in
   * the same file, and the page's title shows it.
   */
  async function useSettings(settings: Record<string, unknown>): Promise<void> {
    const title = `smn-settings-${++titles}`;
    fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ ...settings, 'window.title': title }));
    const page = harness!.workbench.page;
    await waitFor(
      'the new settings',
      async () => (await page.title()).includes(title),
      20_000,
      () => page.title(),
    );
  }

  const presigns = () => harness!.endpoint.count('CreatePresignedNotebookInstanceUrl');

  before(async function () {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'smn-ui-sessions-'));
    fs.mkdirSync(path.join(workspace, '.vscode'));
    fs.writeFileSync(
      path.join(workspace, '.vscode', 'settings.json'),
      JSON.stringify({
        'sagemakerNotebooks.sessionDurationMinutes': 30,
        'sagemakerNotebooks.expiryWarningMinutes': 60,
      }),
    );
    harness = await startHarness({ seed: [{ name: 'demo-lab' }, { name: 'demo-other' }] }, [DEFAULT_PROFILE], {
      env: { VSCODE_PROXY_URI: '' },
      workspace,
    });
  });

  after(async () => {
    await harness?.cleanup();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  afterEach(failureScreenshots(() => harness?.workbench, 'sessions-warning'));

  it('warns at once: warning background and one notification with Renew and Dismiss', async function () {
    const { workbench } = harness!;
    const page = workbench.page;
    await showInstances(page, ['demo-lab', 'demo-other']);
    await closesOpenedPage(workbench.context, () => instanceRow(page, 'demo-lab').click());
    const timer = await waitForTimerItem(page, 'demo-lab', (t) => /^demo-lab (30m|29m)$/.test(t.text));
    assert.strictEqual(timer.kind, 'warning-kind');
    const toast = page.locator('.notification-toast', { hasText: 'The notebook session of demo-lab ends in' });
    await toast.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(
      (await toast.locator('.notification-list-item-message').textContent()) ?? '',
      /^The notebook session of demo-lab ends in (30|29) minutes\.$/,
    );
    assert.deepStrictEqual(await toast.locator('.monaco-button').allTextContents(), ['Renew', 'Dismiss']);
    await screenshot(page, 'sessions-warning', false);
    const warnings = (await notifications(page)).filter((n) => n.message.startsWith('The notebook session of demo-lab'));
    assert.strictEqual(warnings.length, 1, JSON.stringify(warnings));
  });

  it('Renew on the warning: one presign, a full new session, and the item back to normal', async function () {
    const { workbench } = harness!;
    const page = workbench.page;
    await useSettings({ 'sagemakerNotebooks.sessionDurationMinutes': 120, 'sagemakerNotebooks.expiryWarningMinutes': 60 });
    const before = presigns();
    await runCommand(page, 'Notifications: Show Notifications');
    const item = page.locator('.notifications-center .notification-list-item', { hasText: 'The notebook session of demo-lab ends in' });
    await closesOpenedPage(workbench.context, () => item.locator('.monaco-button', { hasText: /^\s*Renew\s*$/ }).click());
    const timer = await waitForTimerItem(page, 'demo-lab', (t) => /^demo-lab (2h 0m|1h 59m)$/.test(t.text));
    assert.strictEqual(timer.kind, '', 'no warning or error background');
    assert.strictEqual(presigns(), before + 1);
    assert.deepStrictEqual(
      (await notifications(page)).filter((n) => n.message.startsWith('The notebook session of demo-lab')),
      [],
      'the warning is gone and no new one came',
    );
  });

  it('Dismiss on the warning: no second notification for that session', async function () {
    const { workbench } = harness!;
    const page = workbench.page;
    await useSettings({ 'sagemakerNotebooks.sessionDurationMinutes': 30, 'sagemakerNotebooks.expiryWarningMinutes': 60 });
    await closesOpenedPage(workbench.context, () => instanceRow(page, 'demo-lab').click());
    await waitForTimerItem(page, 'demo-lab', (t) => t.kind === 'warning-kind');
    const toast = page.locator('.notification-toast', { hasText: 'The notebook session of demo-lab ends in' });
    await toast.waitFor({ state: 'visible', timeout: 10_000 });
    await toast.locator('.monaco-button', { hasText: /^\s*Dismiss\s*$/ }).click();
    await toast.waitFor({ state: 'hidden', timeout: 10_000 });
    // Another open updates the timer for every session: demo-other is warned about, demo-lab not again.
    await closesOpenedPage(workbench.context, () => instanceRow(page, 'demo-other').click());
    await waitForTimerItem(page, 'demo-lab', (t) => /\+1$/.test(t.text));
    const all = await notifications(page);
    assert.strictEqual(
      all.filter((n) => n.message.startsWith('The notebook session of demo-other ends in')).length,
      1,
      JSON.stringify(all),
    );
    assert.deepStrictEqual(
      all.filter((n) => n.message.startsWith('The notebook session of demo-lab')),
      [],
      'no second warning for demo-lab',
    );
  });

  /** Clicks the timer, the session, then the action. */
  async function sessionAction(page: Page, session: string, action: string): Promise<void> {
    await page.click('.statusbar-item:has([aria-label^="Notebook session "])');
    await pickQuickPickRow(page, session);
    await waitForQuickPick(page, 'the actions', (rows) => rows.some((r) => r.label === 'Stop Tracking'));
    await pickQuickPickRow(page, action);
  }

  it("the session list's Reopen and Renew each open the notebook with one presign; Renew starts a full session", async function () {
    const { workbench } = harness!;
    const page = workbench.page;
    await useSettings({ 'sagemakerNotebooks.sessionDurationMinutes': 120, 'sagemakerNotebooks.expiryWarningMinutes': 60 });
    let before = presigns();
    await closesOpenedPage(workbench.context, () => sessionAction(page, 'demo-lab', 'Reopen'));
    assert.strictEqual(presigns(), before + 1);
    before = presigns();
    await closesOpenedPage(workbench.context, () => sessionAction(page, 'demo-other', 'Renew (new full-length session)'));
    assert.strictEqual(presigns(), before + 1);
    const rows = await (async () => {
      await page.click('.statusbar-item:has([aria-label^="Notebook session "])');
      return waitForQuickPick(page, 'the sessions', (r) =>
        r.some((row) => row.label === 'demo-other' && /^(2h 0m|1h 59m) left/.test(row.description)),
      );
    })();
    assert.strictEqual(rows.length, 2, JSON.stringify(rows));
    await page.keyboard.press('Escape');
  });

  it("the session list's Stop Tracking forgets a session, and Stop Instance… asks, stops it and ends its session", async function () {
    const { workbench, endpoint } = harness!;
    const page = workbench.page;
    await sessionAction(page, 'demo-other', 'Stop Tracking');
    await waitFor(
      'demo-other to be forgotten',
      async () => {
        const t = await timerItem(page, 'demo-lab');
        return t && !/\+1$/.test(t.text);
      },
      10_000,
      () => timerItem(page, 'demo-lab'),
    );
    assert.strictEqual(endpoint.count('StopNotebookInstance'), 0);

    await sessionAction(page, 'demo-lab', 'Stop Instance…');
    const dialog = page.locator('.monaco-dialog-box', { hasText: 'Stop notebook instance demo-lab?' });
    await dialog.waitFor({ state: 'visible', timeout: 10_000 });
    await dialog.locator('.monaco-button', { hasText: /^\s*Stop\s*$/ }).click();
    await waitFor('the timer to go', async () => (await timerItem(page, 'demo-lab')) === undefined, 20_000);
    assert.strictEqual(endpoint.count('StopNotebookInstance'), 1);
    assert.strictEqual(endpoint.getInstance('demo-other')?.status, 'InService', 'Stop Tracking stopped nothing');
  });
});
