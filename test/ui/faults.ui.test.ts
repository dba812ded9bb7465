// UI tests for what goes wrong around a person, not in the happy path: an endpoint that never answers (and the
// person cancels), a second window on the same VS Code data, and a folder that is not trusted but carries
// settings meant to redirect the extension.
//
// Focus in headless Chromium (measured with code-server 4.100.3): Playwright turns on focus emulation for every
// page, so each page's `document.hasFocus()` stays true whatever `bringToFront()` does, and VS Code's workbench
// never tells the extension host that its window lost or regained focus. The two-window suite therefore turns
// that emulation off (CDP `Emulation.setFocusEmulationEnabled`), after which `bringToFront()` moves real focus
// between the pages and each page gets real `blur`/`focus` events. A second, measured quirk: the first focus
// change after a workbench loads does not reach the extension host (VS Code's window FocusTracker starts out
// "unfocused" while the extension host starts out "focused", so the first blur is dropped and the first focus
// changes nothing), so the suite switches B → A → B → A once before the notebook is opened.
import * as assert from 'assert';
import type { Page } from 'playwright-core';
import { DEFAULT_ACCESS_KEY_ID, TEAM_ACCESS_KEY_ID } from '../endpoint/server';
import {
  DEFAULT_PROFILE,
  failureScreenshots,
  instanceRow,
  pageOpenedBy,
  redact,
  rowLabels,
  runCommand,
  screenshot,
  showInstances,
  startHarness,
  waitFor,
  type Harness,
} from './workbench';

const PRESIGN = 'CreatePresignedNotebookInstanceUrl';

interface Toast {
  text: string;
  severity: 'error' | 'warning' | 'info' | 'none';
}

/** The notification toasts on screen, with the severity their icon shows. */
async function toasts(page: Page): Promise<Toast[]> {
  return page.$$eval('.notification-toast', (els) =>
    els.map((el) => {
      const icon = el.querySelector('.notification-list-item-icon')?.className ?? '';
      const severity = /codicon-error/.test(icon)
        ? 'error'
        : /codicon-warning/.test(icon)
          ? 'warning'
          : /codicon-info/.test(icon)
            ? 'info'
            : 'none';
      return {
        text: (el.querySelector('.notification-list-item-message')?.textContent ?? el.textContent ?? '').trim(),
        severity: severity,
      };
    }),
  );
}

/** The session timer's text and accessible name in this page's status bar, if it shows one. */
async function sessionTimer(page: Page): Promise<{ text: string; label: string } | undefined> {
  const items = await page.$$eval('.statusbar-item', (els) =>
    els.map((el) => ({
      text: (el.textContent ?? '').replace(/\s+/g, ' ').trim(),
      label: el.querySelector('[aria-label]')?.getAttribute('aria-label') ?? el.getAttribute('aria-label') ?? '',
    })),
  );
  return items.find((i) => i.label.startsWith('Notebook session '));
}

async function waitForTimer(page: Page, text: RegExp, timeoutMs: number): Promise<{ text: string; label: string }> {
  let last: { text: string; label: string } | undefined;
  return waitFor(
    `a session timer matching ${text} in the status bar`,
    async () => {
      last = await sessionTimer(page);
      return last && text.test(last.text) && last;
    },
    timeoutMs,
    () => last,
  );
}

describe('Faults: an endpoint that never answers, and Cancel', function () {
  this.timeout(180_000);
  let harness: Harness | undefined;

  before(async function () {
    // No localhost rewrite (see open.ui.test.ts): the presigned URL reaches the gateway as minted.
    harness = await startHarness({ seed: [{ name: 'demo-lab', status: 'InService' }] }, [DEFAULT_PROFILE], {
      env: { VSCODE_PROXY_URI: '' },
    });
    await showInstances(harness.workbench.page, ['demo-lab']);
  });

  after(async function () {
    await harness?.cleanup();
  });

  afterEach(failureScreenshots(() => harness?.workbench, 'faults-hang'));

  it('Cancel on "Opening demo-lab…" while the presign call hangs: the notification goes, nothing opens, no error; the next click opens', async function () {
    const { endpoint, workbench } = harness!;
    const page = workbench.page;
    let opened = 0;
    const countPages = () => void opened++;
    workbench.context.on('page', countPages);
    try {
      endpoint.inject(PRESIGN, { hang: true });
      await instanceRow(page, 'demo-lab').click();

      const title = 'Opening demo-lab…';
      const toast = page.locator('.notification-toast', { hasText: title });
      await page
        .locator('.notification-toast.notification-fade-in-done', { hasText: title })
        .waitFor({ state: 'visible', timeout: 15_000 });
      const cancel = toast.locator('.monaco-button', { hasText: /^\s*Cancel\s*$/ });
      assert.ok(await cancel.isVisible(), 'the progress notification has a Cancel button');
      // The request really is out and unanswered: this is a hang, not a slow start.
      await waitFor(
        'the presign request reaching the endpoint',
        () => endpoint.count(PRESIGN) === 1,
        10_000,
        () => endpoint.requests.map((r) => r.op),
      );
      const hanging = endpoint.requests.find((r) => r.op === PRESIGN)!;
      assert.strictEqual(hanging.endedAt, undefined, 'the presign request is still open while the notification shows');
      await screenshot(page, 'faults-hang-opening-notification-with-cancel', false);

      await cancel.click();
      await toast.waitFor({ state: 'hidden', timeout: 10_000 });
      // Cancel aborts the HTTP request (the endpoint sees the connection close), it does not only hide the toast.
      await waitFor(
        'the hung presign request being closed by the client',
        () => endpoint.requests.find((r) => r.op === PRESIGN)?.endedAt !== undefined,
        10_000,
      );
      // An error notification would follow the abort at once; 2 s more bounds "none came".
      await page.waitForTimeout(2_000);
      assert.deepStrictEqual(await toasts(page), [], 'Cancel is silent: no notification at all is on screen');
      assert.strictEqual(opened, 0, 'no browser page opened');
      assert.strictEqual(endpoint.count(PRESIGN), 1, 'no retry after Cancel');
      assert.strictEqual(endpoint.gatewayVisits.length, 0, 'nothing reached the notebook gateway');
      assert.strictEqual(await sessionTimer(page), undefined, 'no session was recorded for the cancelled open');
      await screenshot(page, 'faults-hang-after-cancel');

      endpoint.clearFaults();
      workbench.context.off('page', countPages);
      const notebook = await pageOpenedBy(workbench.context, () => instanceRow(page, 'demo-lab').click());
      try {
        await waitFor(
          'the page titled "JupyterLab · demo-lab"',
          async () => (await notebook.title()) === 'JupyterLab · demo-lab',
          15_000,
          async () => ({ title: await notebook.title(), url: redact(notebook.url()) }),
        );
        const visits = endpoint.gatewayVisits
          .filter((v) => v.instance === 'demo-lab')
          .map(({ path, outcome, statusCode }) => ({ path, outcome, statusCode }));
        assert.deepStrictEqual(
          visits.filter((v) => v.path === '/lab'),
          [
            { path: '/lab', outcome: 'token-accepted', statusCode: 302 },
            { path: '/lab', outcome: 'page', statusCode: 200 },
          ],
          `gateway visits: ${JSON.stringify(visits)}`,
        );
        assert.strictEqual(endpoint.count(PRESIGN), 2, 'the second click minted one new URL');
        await waitForTimer(page, /^demo-lab (12h 0m|11h 59m)$/, 10_000);
        assert.deepStrictEqual(
          (await toasts(page)).filter((t) => t.severity === 'error'),
          [],
        );
      } finally {
        await notebook.close();
      }
    } finally {
      workbench.context.off('page', countPages);
      endpoint.clearFaults();
    }
  });
});

describe('Faults: two windows on the same VS Code data', function () {
  this.timeout(180_000);
  let harness: Harness | undefined;

  before(async function () {
    harness = await startHarness({ seed: [{ name: 'demo-lab', status: 'InService' }] }, [DEFAULT_PROFILE], {
      env: { VSCODE_PROXY_URI: '' },
    });
  });

  after(async function () {
    await harness?.cleanup();
  });

  afterEach(failureScreenshots(() => harness?.workbench, 'faults-two-windows'));

  it('a notebook opened in window A shows its timer in window B once B has the focus again', async function () {
    const { endpoint, workbench } = harness!;
    const { context } = workbench;
    const a = workbench.page;
    await showInstances(a, ['demo-lab']);
    // Window B: the same workbench URL (same folder, same user data, so the same globalState).
    const b = await context.newPage();
    await b.goto(a.url());
    await b.waitForSelector('.activitybar .action-item', { timeout: 60_000 });
    await showInstances(b, ['demo-lab']); // activates the extension in B's own extension host
    assert.strictEqual(await sessionTimer(a), undefined, 'A: no timer before any open');
    assert.strictEqual(await sessionTimer(b), undefined, 'B: no timer before any open');

    // Real focus (see the top of the file): emulation off, then bringToFront moves the focus.
    for (const page of [a, b]) await (await context.newCDPSession(page)).send('Emulation.setFocusEmulationEnabled', { enabled: false });
    const focusTo = async (page: Page, other: Page) => {
      await page.bringToFront();
      await waitFor(
        'the focus moving to the page brought to front',
        async () => (await page.evaluate('document.hasFocus()')) && !(await other.evaluate('document.hasFocus()')),
        5_000,
      );
      await page.waitForTimeout(300); // VS Code's focus tracker reports a blur on a 0 ms timer
    };
    await focusTo(b, a);
    await focusTo(a, b);
    await focusTo(b, a);
    await focusTo(a, b);

    const notebook = await pageOpenedBy(context, () => instanceRow(a, 'demo-lab').click());
    await notebook.close();
    await focusTo(a, b);
    const timerA = await waitForTimer(a, /^demo-lab (12h 0m|11h 59m)$/, 15_000);
    assert.strictEqual(endpoint.count(PRESIGN), 1);
    await a.waitForTimeout(1_000); // the point is that nothing happens in B while A has the focus
    assert.strictEqual(
      await sessionTimer(b),
      undefined,
      'B shows nothing while it has not had the focus back (so the focus is what updates it)',
    );

    await focusTo(b, a);
    const timerB = await waitForTimer(b, /^demo-lab (12h 0m|11h 59m)$/, 10_000);
    assert.match(timerB.label, /^Notebook session demo-lab, (12 hours|11 hours 59 minutes) left$/);
    assert.strictEqual(timerB.label.split(',')[0], timerA.label.split(',')[0]);
    assert.strictEqual(endpoint.count(PRESIGN), 1, 'B shows the session A opened; nothing was opened again');
    await screenshot(b, 'faults-two-windows-b-shows-a-session');
    await screenshot(a, 'faults-two-windows-a');
  });
});

describe('Faults: an untrusted folder whose settings point elsewhere', function () {
  this.timeout(180_000);
  let harness: Harness | undefined;

  before(async function () {
    harness = await startHarness(
      {
        seed: [
          { name: 'demo-lab', status: 'InService' },
          { name: 'team-lab', status: 'InService', accessKeyId: TEAM_ACCESS_KEY_ID, region: 'eu-west-1' },
          { name: 'team-etl', status: 'Stopped', accessKeyId: TEAM_ACCESS_KEY_ID, region: 'eu-west-1' },
        ],
      },
      [
        DEFAULT_PROFILE,
        { name: 'team', accessKeyId: TEAM_ACCESS_KEY_ID, secretAccessKey: 'teamSecretForTheLocalEndpointOnly', region: 'eu-west-1' },
      ],
      {
        env: { VSCODE_PROXY_URI: '' },
        workspaceTrust: true,
        workspaceFiles: {
          '.vscode/settings.json': JSON.stringify(
            {
              'sagemakerNotebooks.profile': 'team',
              'sagemakerNotebooks.endpoint': 'https://evil.example.com',
              'sagemakerNotebooks.sessionDurationMinutes': 30,
            },
            null,
            2,
          ),
        },
      },
    );
    // VS Code asks at once; "No" is the way into Restricted Mode.
    const page = harness.workbench.page;
    const dialog = page.locator('.monaco-dialog-box', { hasText: 'Do you trust the authors of the files in this folder?' });
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'faults-untrusted-trust-prompt');
    await dialog.locator('.monaco-button', { hasText: "No, I don't trust the authors" }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).waitFor({ state: 'visible', timeout: 10_000 });
  });

  after(async function () {
    await harness?.cleanup();
  });

  afterEach(failureScreenshots(() => harness?.workbench, 'faults-untrusted'));

  it("lists the default profile's instances, not team's, and every request goes to the local endpoint with the default key", async function () {
    const { endpoint, workbench } = harness!;
    const page = workbench.page;
    const rows = await showInstances(page, ['demo-lab']);
    await page.waitForTimeout(1_000); // a late switch to team would replace the rows
    const labels = await rowLabels(page);
    assert.deepStrictEqual(
      labels.map((l) => l.split(',')[0]),
      ['demo-lab'],
      `rows: ${JSON.stringify(labels)} (first seen ${JSON.stringify(rows)})`,
    );
    assert.ok(
      await page.locator('.statusbar-item', { hasText: 'default · us-east-1' }).isVisible(),
      'the status bar names the default profile',
    );
    const keys = [...new Set(endpoint.requests.map((r) => r.accessKeyId))];
    assert.deepStrictEqual(keys, [DEFAULT_ACCESS_KEY_ID], `access keys seen by the endpoint: ${JSON.stringify(keys)}`);
    assert.deepStrictEqual(
      (await toasts(page)).filter((t) => t.severity === 'error'),
      [],
      'no error: nothing tried evil.example.com',
    );
    await screenshot(page, 'faults-untrusted-default-rows');
  });

  it("tells the user that the workspace's profile and endpoint settings are ignored", async function () {
    const page = harness!.workbench.page;
    // The view was shown by the test above, which is when the extension read its settings.
    // Toasts hide after a while; the notification center keeps every notification of the window.
    await runCommand(page, 'Notifications: Show Notifications');
    const messages = async () =>
      page.$$eval('.notifications-center .notification-list-item-message', (els) => els.map((e) => (e.textContent ?? '').trim()));
    let seen: string[] = [];
    await waitFor(
      'the two warnings in the notification center',
      async () => {
        seen = await messages();
        return (
          seen.some((m) => m.startsWith('This workspace is not trusted, so its own sagemakerNotebooks.profile setting is ignored.')) &&
          seen.some((m) => m.startsWith("A workspace's sagemakerNotebooks.endpoint setting is ignored"))
        );
      },
      5_000,
      () => seen,
    ).finally(() => screenshot(page, 'faults-untrusted-notifications'));
  });

  it("still applies the workspace's sessionDurationMinutes (30), which is not a restricted setting", async function () {
    const { endpoint, workbench } = harness!;
    const page = workbench.page;
    await page.keyboard.press('Escape'); // closes the notification center
    const notebook = await pageOpenedBy(workbench.context, () => instanceRow(page, 'demo-lab').click());
    await notebook.close();
    const presign = endpoint.requests.filter((r) => r.op === PRESIGN);
    assert.strictEqual(presign.length, 1);
    assert.strictEqual(presign[0].input?.SessionExpirationDurationInSeconds, 1800, JSON.stringify(presign[0].input));
    assert.strictEqual(presign[0].accessKeyId, DEFAULT_ACCESS_KEY_ID);
    await waitForTimer(page, /^demo-lab (30m|29m)$/, 10_000);
  });
});
