// UI test: a person creates a notebook instance through the Create wizard's real quick inputs (typing a
// name it refuses, going Back, choosing a grouped instance type and a listed role) and sees it Pending in the
// tree; and opens the startup log of an instance whose lifecycle script fails, as it fails.
import * as assert from 'assert';
import { StartNotebookInstanceCommand } from '@aws-sdk/client-sagemaker';
import { accountIdFor } from '../endpoint/auth';
import { DEFAULT_ACCESS_KEY_ID } from '../endpoint/server';
import { localClient } from '../endpoint/testClient';
import {
  QUICK_INPUT,
  chooseFromContextMenu,
  moveMouseAway,
  failureScreenshots,
  instanceRow,
  pickQuickPickRow,
  runCommand,
  screenshot,
  showInstances,
  startHarness,
  waitFor,
  waitForQuickPick,
  waitForRows,
  type Harness,
  type Workbench,
} from './workbench';

const INPUT = `${QUICK_INPUT} .quick-input-box input`;
const ACCOUNT = accountIdFor(DEFAULT_ACCESS_KEY_ID);

describe('Managing instances in the workbench', function () {
  this.timeout(240_000);
  let harness: Harness | undefined;
  let workbench: Workbench | undefined;

  before(async function () {
    harness = await startHarness({
      transitionMs: { start: 20_000, stop: 500 },
      seed: [
        { name: 'demo-lab', status: 'InService' },
        { name: 'ui-flaky', status: 'Stopped', platformIdentifier: 'notebook-al2023-v1', lifecycleConfigName: 'install-deps' },
      ],
      lifecycleConfigs: [
        { name: 'install-deps', onStart: '#!/bin/bash\nset -e\npip install pandas\npython3 -c "import missing_module"\n' },
      ],
    });
    ({ workbench } = harness);
  });

  after(() => harness?.cleanup());

  afterEach(failureScreenshots(() => workbench, 'manage'));

  const title = async () =>
    (
      await workbench!.page
        .locator(`${QUICK_INPUT} .quick-input-title`)
        .innerText()
        .catch(() => '')
    ).trim();
  const atStep = (n: number) => waitFor(`step ${n} of the wizard`, async () => (await title()).includes(`(${n}/9)`), 20_000, title);

  it('walks the Create wizard and sees the new instance Pending in the tree', async function () {
    const page = workbench!.page;
    await showInstances(page, ['demo-lab']);
    await runCommand(page, 'SageMaker Notebooks: Create Notebook Instance…');
    await atStep(1);
    await page.fill(INPUT, 'bad_name');
    const message = page.locator(`${QUICK_INPUT} .quick-input-message`);
    await waitFor(
      'the name refused as typed',
      async () => /Letters, digits and hyphens only/.test(await message.innerText().catch(() => '')),
      10_000,
    );
    await screenshot(page, 'manage-create-name-refused', false);
    await page.keyboard.press('Enter'); // refused: stays on the name step
    await page.fill(INPUT, 'ui-created');
    await waitFor('the name accepted', async () => !/Letters/.test(await message.innerText().catch(() => '')), 10_000);
    await page.keyboard.press('Enter');
    await atStep(2);
    await pickQuickPickRow(page, 'notebook-al2023-v1');
    await atStep(3);
    const rows = await waitForQuickPick(page, 'the instance types', (r) => r.some((x) => x.label === 'ml.t3.medium'));
    assert.ok(!rows.some((r) => r.label.startsWith('ml.p3')), 'no ml.p3 on AL2023');
    await screenshot(page, 'manage-create-instance-types', false);
    await page.fill(INPUT, 't3.large');
    await pickQuickPickRow(page, 'ml.t3.large');
    await atStep(4);
    // Back to the instance types, then forward again.
    await page.locator(`${QUICK_INPUT} .codicon-quick-input-back`).click();
    await atStep(3);
    await page.fill(INPUT, 't3.medium');
    await pickQuickPickRow(page, 'ml.t3.medium');
    await atStep(4);
    await waitForQuickPick(page, 'the roles SageMaker can assume', (r) => r.some((x) => x.label === 'DataScienceNotebookRole'));
    await screenshot(page, 'manage-create-roles', false);
    await pickQuickPickRow(page, 'DataScienceNotebookRole');
    await atStep(5);
    await page.keyboard.press('Enter'); // 5 GB
    await atStep(6);
    await pickQuickPickRow(page, 'No lifecycle configuration');
    await atStep(7);
    await pickQuickPickRow(page, 'Enabled');
    await atStep(8);
    await pickQuickPickRow(page, 'Enabled');
    await atStep(9);
    await page.keyboard.press('Enter');
    const labels = await waitForRows(page, (r) => r.some((l) => l.startsWith('ui-created, Pending')), 30_000);
    assert.ok(
      labels.some((l) => l === 'ui-created, Pending, ml.t3.medium'),
      JSON.stringify(labels),
    );
    await screenshot(page, 'manage-created-pending');
    const record = harness!.endpoint.getInstance('ui-created')!;
    assert.deepStrictEqual(
      [record.instanceType, record.platformIdentifier, record.details.RoleArn],
      ['ml.t3.medium', 'notebook-al2023-v1', `arn:aws:iam::${ACCOUNT}:role/DataScienceNotebookRole`],
    );
  });

  it('opens the startup log of an instance whose lifecycle script fails, and sees the failure on top', async function () {
    const page = workbench!.page;
    const endpoint = harness!.endpoint;
    endpoint.failNextStart(
      'ui-flaky',
      `Notebook Instance Lifecycle Config 'arn:aws:sagemaker:us-east-1:${ACCOUNT}:notebook-instance-lifecycle-config/install-deps' for Notebook Instance 'arn:aws:sagemaker:us-east-1:${ACCOUNT}:notebook-instance/ui-flaky' took longer than 5 minutes. Please check your CloudWatch logs for more details if your Notebook Instance has Internet access.`,
    );
    const client = localClient(endpoint);
    await client.send(new StartNotebookInstanceCommand({ NotebookInstanceName: 'ui-flaky' }));
    client.destroy();
    await runCommand(page, 'SageMaker Notebooks: Refresh');
    await waitForRows(page, (r) => r.some((l) => l.startsWith('ui-flaky, Pending')), 20_000);
    await chooseFromContextMenu(page, instanceRow(page, 'ui-flaky'), 'Show Startup Log');
    // Monaco renders spaces as no-break spaces.
    const view = page.locator('.editor-instance .view-lines');
    const editor = { innerText: async () => (await view.innerText()).replace(/\u00a0/g, ' ') };
    await waitFor('the log following the start', async () => /following the log/.test(await editor.innerText().catch(() => '')), 20_000);
    await screenshot(page, 'manage-startup-log-following');
    await waitFor(
      'the failure in the log',
      async () => /Failure reason: Notebook Instance Lifecycle Config/.test(await editor.innerText().catch(() => '')),
      60_000,
      () => editor.innerText(),
    );
    const text = await editor.innerText();
    assert.match(text, /Startup log of notebook instance ui-flaky \(us-east-1\) — Failed/);
    assert.match(text, /\+ pip install pandas/);
    assert.match(text, /exited with code 1/);
    await screenshot(page, 'manage-startup-log-failed');
    await waitForRows(page, (r) => r.some((l) => l.startsWith('ui-flaky, Failed')), 30_000);
  });

  it("shows the platform in a row's tooltip on hover, and marks an Amazon Linux 2 row", async function () {
    const page = workbench!.page;
    await instanceRow(page, 'demo-lab').hover();
    const hover = page.locator('.workbench-hover-container, .monaco-hover:not(.hidden)').filter({ visible: true });
    const text = async () =>
      (
        await hover
          .first()
          .innerText()
          .catch(() => '')
      ).replace(/\u00a0/g, ' ');
    await waitFor('the tooltip with the platform', async () => /notebook-al2-v3 ⚠ Amazon Linux 2/.test(await text()), 20_000, text);
    assert.match(await text(), /Running for/);
    await screenshot(page, 'manage-tooltip-platform', false);
    // Its next redraw (here a refresh) marks the row.
    await moveMouseAway(page, 1000, 450);
    await runCommand(page, 'SageMaker Notebooks: Refresh');
    await waitFor(
      'the row marked AL2',
      async () => /AL2/.test(await instanceRow(page, 'demo-lab').locator('.label-description').innerText()),
      20_000,
    );
  });
});
