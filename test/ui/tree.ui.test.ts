// UI test: a person opens the SageMaker view in a real VS Code (code-server, driven by headless Chromium)
// and sees their notebook instances, served by the local SageMaker endpoint. Runs under plain node mocha.
import * as assert from 'assert';
import {
  QUICK_INPUT,
  failureScreenshots,
  pickQuickPickRow,
  runCommand,
  screenshot,
  showInstances,
  startHarness,
  waitFor,
  waitForRows,
  type Harness,
  type Workbench,
} from './workbench';

describe('SageMaker view in the workbench', function () {
  this.timeout(180_000);
  let harness: Harness | undefined;
  let workbench: Workbench | undefined;

  before(async function () {
    harness = await startHarness({
      seed: [
        { name: 'demo-lab', status: 'InService' },
        { name: 'demo-stopped', status: 'Stopped' },
        { name: 'demo-updating', status: 'Updating', instanceType: 'ml.g4dn.xlarge' },
        { name: 'demo-training-pending', status: 'Pending', instanceType: 'ml.g4dn.xlarge' },
      ],
    });
    ({ workbench } = harness);
  });

  after(() => harness?.cleanup());

  afterEach(failureScreenshots(() => workbench, 'tree'));

  it('lists every notebook instance as a row when the activity-bar icon is clicked', async function () {
    const page = workbench!.page;
    const labels = await showInstances(page, ['demo-lab', 'demo-stopped']);
    assert.ok(
      labels.some((l) => l.startsWith('demo-lab, InService')),
      `rows: ${JSON.stringify(labels)}`,
    );
    assert.ok(
      labels.some((l) => l.startsWith('demo-stopped, Stopped')),
      `rows: ${JSON.stringify(labels)}`,
    );
    await screenshot(page, 'tree');
  });

  it('fits its title, the profile and the rows into a default-width sidebar, and names an active filter in words', async function () {
    const page = workbench!.page;
    await showInstances(page, ['demo-lab', 'demo-updating', 'demo-training-pending']);
    const sidebar = page.locator('.part.sidebar');
    // Whatever the workbench cuts with an ellipsis is wider than its box.
    const cut = () =>
      sidebar.evaluate((root) =>
        [...root.querySelectorAll('.title-label h2, .monaco-list-row .monaco-icon-label-container')]
          .filter((el) => el.scrollWidth > el.clientWidth + 1)
          .map((el) => el.textContent),
      );
    // Where a long name leaves too little room, the status still shows: it comes first in the description.
    const statusShown = (name: string, status: string) =>
      sidebar.evaluate(
        (root, [n, st]) => {
          const row = root.querySelector(`.monaco-list-row[aria-label^="${n}, "]`);
          const description = row?.querySelector('.label-description');
          const box = row?.querySelector('.monaco-icon-label-container')?.getBoundingClientRect();
          if (!description?.firstChild || !box || !description.textContent?.startsWith(st)) return false;
          const range = root.ownerDocument.createRange();
          range.setStart(description.firstChild, 0);
          range.setEnd(description.firstChild, st.length);
          return range.getBoundingClientRect().right <= box.right;
        },
        [name, status],
      );
    const title = await sidebar.locator('.composite.title .title-label').innerText();
    assert.match(title, /^SAGEMAKER NOTEBOOKS/, `title: ${title}`);
    const row = await page.locator('.monaco-list-row[aria-label^="demo-updating, "] .label-description').innerText();
    assert.strictEqual(row, 'Updating · g4dn.xlarge');
    await screenshot(page, 'tree-default-width');
    assert.deepStrictEqual(
      await cut(),
      ['demo-training-pendingPending · g4dn.xlarge'],
      `sidebar width ${(await sidebar.boundingBox())?.width}`,
    );
    assert.ok(await statusShown('demo-training-pending', 'Pending'), 'the status of a long-named row is not cut');

    await runCommand(page, 'SageMaker Notebooks: Filter…');
    await page.locator(`${QUICK_INPUT} .quick-input-title`, { hasText: '(1/2)' }).waitFor({ timeout: 10_000 });
    await page.fill(`${QUICK_INPUT} .quick-input-box input`, 'lab');
    await page.keyboard.press('Enter');
    await pickQuickPickRow(page, 'Any status');
    const message = page.locator(
      '[id="workbench.view.extension.sagemakerNotebooks"] .tree-explorer-viewlet-tree-view-message, [id="workbench.view.extension.sagemakerNotebooks"] .message',
    );
    await waitFor(
      'the filter named above the rows',
      async () =>
        /Filtered: names containing "lab"/.test(
          await message
            .first()
            .innerText()
            .catch(() => ''),
        ),
      10_000,
      () => sidebar.innerText(),
    );
    await screenshot(page, 'tree-filtered');
    const names = (rows: string[]) => rows.map((r) => r.split(',')[0]);
    await waitForRows(page, (rows) => names(rows).join() === 'demo-lab', 10_000);

    // The prompt opens with the filter in force; a status narrows the rows to that status.
    await runCommand(page, 'SageMaker Notebooks: Filter…');
    const input = page.locator(`${QUICK_INPUT} .quick-input-box input`);
    await page.locator(`${QUICK_INPUT} .quick-input-title`, { hasText: '(1/2)' }).waitFor({ timeout: 10_000 });
    assert.strictEqual(await input.inputValue(), 'lab');
    await input.fill('demo');
    await page.keyboard.press('Enter');
    await pickQuickPickRow(page, 'Stopped');
    await waitForRows(page, (rows) => names(rows).join() === 'demo-stopped', 10_000);

    await runCommand(page, 'SageMaker Notebooks: Clear Filter');
    await waitForRows(page, (rows) => names(rows).includes('demo-lab') && names(rows).includes('demo-stopped'), 10_000);
  });
});
