// UI test: a person opens the SageMaker view in a real VS Code (code-server, driven by headless Chromium)
// and sees their notebook instances, served by the local SageMaker endpoint. Runs under plain node mocha.
import * as assert from 'assert';
import * as fs from 'fs';
import { startLocalSageMaker, DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, type LocalSageMaker } from '../endpoint/server';
import { launchWorkbench, screenshot, showInstances, writeAwsFiles, type Workbench } from './workbench';

describe('SageMaker view in the workbench', function () {
  this.timeout(180_000);
  let endpoint: LocalSageMaker | undefined;
  let workbench: Workbench | undefined;
  let awsDir: string | undefined;

  before(async function () {
    endpoint = await startLocalSageMaker({
      seed: [
        { name: 'demo-lab', status: 'InService' },
        { name: 'demo-stopped', status: 'Stopped' },
      ],
    });
    const aws = writeAwsFiles([{ name: 'default', accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY, region: 'us-east-1' }], endpoint.url);
    awsDir = aws.dir;
    workbench = await launchWorkbench({ env: aws.env });
  });

  after(async function () {
    try {
      await workbench?.close();
    } finally {
      await endpoint?.stop();
      if (awsDir) fs.rmSync(awsDir, { recursive: true, force: true });
    }
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && workbench) {
      await screenshot(workbench.page, `failed-${this.currentTest.title.replace(/\W+/g, '-')}`, false).catch(() => undefined);
    }
  });

  it('lists every notebook instance as a row when the activity-bar icon is clicked', async function () {
    const page = workbench!.page;
    const labels = await showInstances(page, ['demo-lab', 'demo-stopped']);
    assert.ok(labels.some((l) => l.startsWith('demo-lab, InService')), `rows: ${JSON.stringify(labels)}`);
    assert.ok(labels.some((l) => l.startsWith('demo-stopped, Stopped')), `rows: ${JSON.stringify(labels)}`);
    await screenshot(page, 'tree');
  });
});
