// UI test: a terminal on the instance in code-server's real terminal panel, clicked and typed as a person would,
// with a real jupyter_server and terminado behind the local gateway. "Open Terminal on Instance" from the
// palette asks which instance (labels = instance names), opens a terminal named after it, and what is typed into
// xterm.js runs on the instance: the file it writes is on the server's disk. "New Terminal ▸ SageMaker
// instance…" (the terminal profile) does the same from the terminal panel's own menu, also as the first thing
// done in a fresh window, which proves that choosing the profile activates the extension.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';
import { startJupyterServer, type RunningJupyterServer } from '../support/jupyterServer';
import {
  DEFAULT_PROFILE,
  failureScreenshots,
  pickQuickPickRow,
  runCommand,
  screenshot,
  showInstances,
  startHarness,
  waitFor,
  waitForQuickPick,
  type Harness,
} from './workbench';

const NAME = 'term-ui-nb';

/** The terminal panel's tab (or single-terminal title) named `name`. */
async function terminalNamed(page: Page, name: string): Promise<void> {
  await waitFor(
    `a terminal named ${name} in the panel`,
    async () => {
      const labels = await page.$$eval('.terminal-tabs-entry .monaco-icon-label, .single-terminal-tab, .terminal-tab', (els) =>
        els.map((e) => (e.textContent ?? '').trim()),
      );
      return labels.some((l) => l.includes(name));
    },
    30_000,
  );
}

/** The terminal tabs' labels, in the panel's order. */
function tabLabels(page: Page): Promise<string[]> {
  return page.$$eval('.terminal-tabs-entry', (els) => els.map((e) => (e.textContent ?? '').trim()));
}

/**
 * Whether the keyboard focus is in the terminal the panel shows (xterm.js's input textarea in the active
 * terminal): what is typed now goes to that terminal's shell.
 */
function focusInShownTerminal(page: Page): Promise<boolean> {
  return page.evaluate<boolean>(
    `(() => { const e = document.activeElement; return !!e && e.classList.contains('xterm-helper-textarea') && !!e.closest('.terminal-wrapper.active .xterm'); })()`,
  );
}

/** What has the focus, for a failure message. */
function describeFocus(page: Page): Promise<string> {
  return page.evaluate<string>(`(() => {
    const e = document.activeElement;
    if (!e) return 'nothing';
    const wrapper = e.closest('.terminal-wrapper');
    const where = wrapper ? (wrapper.classList.contains('active') ? ' in the shown terminal' : ' in a terminal not shown') : '';
    return e.tagName.toLowerCase() + '.' + [...e.classList].join('.') + where;
  })()`);
}

/** The visible terminal's rows, as xterm.js renders them for screen readers (its accessibility tree is off; the DOM rows are not). */
async function terminalText(page: Page): Promise<string> {
  return page.$$eval('.terminal-wrapper.active .xterm-rows > div', (rows) => rows.map((r) => r.textContent ?? '').join('\n'));
}

describe('A terminal on the instance, in the terminal panel', function () {
  this.timeout(180_000);
  let jupyter: RunningJupyterServer | undefined;
  let harness: Harness | undefined;

  before(async function () {
    jupyter = await startJupyterServer();
    harness = await startHarness({ seed: [{ name: NAME, status: 'InService', jupyterUpstream: jupyter.url }] }, [DEFAULT_PROFILE], {
      // xterm.js's DOM renderer, so the test can read the rows it drew (the GPU renderer draws on a canvas).
      settings: { 'terminal.integrated.gpuAcceleration': 'off' },
    });
    await showInstances(harness.workbench.page, [NAME]);
  });

  after(async function () {
    try {
      await harness?.cleanup();
    } finally {
      await jupyter?.stop();
    }
  });

  afterEach(failureScreenshots(() => harness?.workbench, 'terminal'));

  it('Open Terminal on Instance: the palette asks which instance, and `echo $((6*7)) > file` typed into the terminal writes 42 on the server', async function () {
    const page = harness!.workbench.page;
    await runCommand(page, 'SageMaker Notebooks: Open Terminal on Instance');
    const rows = await waitForQuickPick(page, 'the instance pick', (r) => r.some((row) => row.label === NAME));
    assert.deepStrictEqual(
      rows.map((r) => r.label),
      [NAME],
    );
    await pickQuickPickRow(page, NAME);
    await terminalNamed(page, NAME);
    await waitFor(
      'the shell prompt',
      async () => /\$ *$/m.test(await terminalText(page)),
      30_000,
      () => terminalText(page),
    );

    // No click into it: the new terminal has the keyboard focus, as one opened by VS Code's own commands has.
    await waitFor(
      'the keyboard focus in the new terminal',
      () => focusInShownTerminal(page),
      15_000,
      () => describeFocus(page),
    );
    await page.keyboard.type('echo $((6*7)) > answer.txt; echo done-$((40+2))');
    await page.keyboard.press('Enter');
    const file = path.join(jupyter!.root, 'answer.txt');
    await waitFor(
      'answer.txt on the server',
      () => fs.existsSync(file) && fs.readFileSync(file, 'utf8').trim() === '42',
      30_000,
      () => terminalText(page),
    );
    await waitFor(
      "the command's own output in the terminal",
      async () => (await terminalText(page)).includes('done-42'),
      10_000,
      () => terminalText(page),
    );
    const shot = await screenshot(page, 'terminal-open');
    assert.ok(fs.statSync(shot).size > 10_000, `${shot} is a real picture`);
  });

  it('New Terminal ▸ SageMaker instance… with a terminal open: the new terminal gets the focus, and what is typed reaches its shell only', async function () {
    const page = harness!.workbench.page;
    // The panel's "+ ∨" menu lists the terminal profiles, ours among them.
    await page.locator('[aria-label^="Launch Profile"]').first().click();
    const item = page.locator('.monaco-menu .action-item', { hasText: 'SageMaker instance…' }).first();
    await item.waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(page, 'terminal-profile-menu', false);
    await item.hover();
    await item.click();
    await page.locator('.monaco-menu').first().waitFor({ state: 'hidden', timeout: 10_000 });
    // Chosen with the keyboard, as most do: Enter on the one row.
    await waitForQuickPick(page, 'the instance pick', (r) => r.some((row) => row.label === NAME));
    await page.keyboard.press('Enter');
    await waitFor(
      'a second terminal named after the instance',
      async () => (await tabLabels(page)).filter((l) => l.includes(NAME)).length >= 2 || undefined,
      30_000,
      () => tabLabels(page),
    );
    // No click anywhere: the panel shows the new terminal, on its own Jupyter terminal (a fresh shell, none of
    // the first one's output), and the keys go to it.
    await waitFor(
      "the new shell's prompt",
      async () => {
        const text = await terminalText(page);
        return /\$ *$/m.test(text) && !text.includes('done-42');
      },
      30_000,
      () => terminalText(page),
    );
    await waitFor(
      'the keyboard focus in the new terminal',
      () => focusInShownTerminal(page),
      15_000,
      () => describeFocus(page),
    );
    await page.keyboard.type('echo profile-$((3*7)) > second.txt; pwd');
    await page.keyboard.press('Enter');
    const file = path.join(jupyter!.root, 'second.txt');
    await waitFor(
      'second.txt on the server',
      () => fs.existsSync(file) && fs.readFileSync(file, 'utf8').trim() === 'profile-21',
      30_000,
      () => terminalText(page),
    );
    await waitFor(
      'the command and its pwd in the new terminal',
      async () => {
        const text = await terminalText(page);
        return text.includes('second.txt') && text.includes(jupyter!.root) && !text.includes('done-42');
      },
      15_000,
      () => terminalText(page),
    );
    await screenshot(page, 'terminal-profile');
    // The terminal that had the focus before got none of it.
    await page.locator('.terminal-tabs-entry').first().click();
    await waitFor(
      'the first terminal shown',
      async () => (await terminalText(page)).includes('done-42'),
      10_000,
      () => terminalText(page),
    );
    assert.ok(!(await terminalText(page)).includes('second.txt'), `the first terminal got the keys:\n${await terminalText(page)}`);
    await screenshot(page, 'terminal-profile-previous');
  });
});

describe('The terminal profile before anything else of the extension ran', function () {
  this.timeout(180_000);
  let jupyter: RunningJupyterServer | undefined;
  let harness: Harness | undefined;

  before(async function () {
    jupyter = await startJupyterServer();
    harness = await startHarness({ seed: [{ name: NAME, status: 'InService', jupyterUpstream: jupyter.url }] }, [DEFAULT_PROFILE], {
      settings: { 'terminal.integrated.gpuAcceleration': 'off' },
    });
  });

  after(async function () {
    try {
      await harness?.cleanup();
    } finally {
      await jupyter?.stop();
    }
  });

  afterEach(failureScreenshots(() => harness?.workbench, 'terminal-first'));

  it('New Terminal ▸ SageMaker instance… activates the extension, asks which instance and opens a shell on it', async function () {
    const page = harness!.workbench.page;
    // The panel with a local shell (the view of the extension was never shown, none of its commands ran).
    await page.keyboard.press('Control+Backquote');
    await waitFor(
      'a prompt in the local shell',
      async () => (await terminalText(page)).includes('#') || (await terminalText(page)).includes('$'),
      20_000,
    );
    // The menu lists the extensions' profiles only once the extension host has registered them, which takes a
    // while in a fresh window on a loaded machine, and it is drawn again (its items replaced) when they arrive:
    // open the menu afresh and choose ours until a choice has closed it.
    const item = page.locator('.monaco-menu .action-item', { hasText: 'SageMaker instance…' }).first();
    const menu = page.locator('.monaco-menu').first();
    await waitFor(
      'SageMaker instance… chosen in the profile menu',
      async () => {
        try {
          if (!(await item.isVisible())) {
            if (await menu.isVisible()) await page.keyboard.press('Escape');
            await page.locator('[aria-label^="Launch Profile"]').first().click();
            await item.waitFor({ state: 'visible', timeout: 3_000 });
          }
          await item.hover({ timeout: 3_000 });
          await item.click({ timeout: 3_000 });
        } catch {
          return false; // not chosen: try again
        }
        // A choice closes the menu at once; a menu still open means the click met items being redrawn and chose
        // nothing (seen in CI): try again. Once it has closed, never a second time.
        return menu.waitFor({ state: 'hidden', timeout: 5_000 }).then(
          () => true,
          () => false,
        );
      },
      90_000,
    );
    await waitForQuickPick(page, 'the instance pick', (r) => r.some((row) => row.label === NAME), 60_000);
    await pickQuickPickRow(page, NAME);
    await waitFor(
      'a terminal named after the instance',
      async () => {
        const labels = await page.$$eval('.terminal-tabs-entry', (els) => els.map((e) => (e.textContent ?? '').trim()));
        return labels.some((l) => l.includes(NAME)) || undefined;
      },
      30_000,
      () => page.$$eval('.terminal-tabs-entry', (els) => els.map((e) => (e.textContent ?? '').trim())),
    );
    // The local shell had the focus; without a click the instance's terminal is shown and has it now.
    await waitFor(
      "the instance shell's prompt",
      async () => /^\$ *$/m.test(await terminalText(page)),
      30_000,
      () => terminalText(page),
    );
    await waitFor(
      'the keyboard focus in the new terminal',
      () => focusInShownTerminal(page),
      15_000,
      () => describeFocus(page),
    );
    await page.keyboard.type('echo on-$((20+1)) > first.txt; pwd');
    await page.keyboard.press('Enter');
    const file = path.join(jupyter!.root, 'first.txt');
    await waitFor(
      'first.txt on the server',
      () => fs.existsSync(file) && fs.readFileSync(file, 'utf8').trim() === 'on-21',
      30_000,
      () => terminalText(page),
    );
    await waitFor(
      'pwd on the server',
      async () => (await terminalText(page)).includes(jupyter!.root),
      15_000,
      () => terminalText(page),
    );
    await screenshot(page, 'terminal-profile-first');
    // The local shell, which had the focus before, got none of it.
    await page.locator('.terminal-tabs-entry').filter({ hasNotText: NAME }).first().click();
    await waitFor(
      'the local shell shown',
      async () => !(await terminalText(page)).includes(jupyter!.root),
      10_000,
      () => terminalText(page),
    );
    assert.ok(!(await terminalText(page)).includes('first.txt'), `the local shell got the keys:\n${await terminalText(page)}`);
  });
});
