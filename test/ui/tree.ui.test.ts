// UI test: a person opens the SageMaker view in a real VS Code (code-server, driven by headless Chromium)
// and sees their notebook instances, served by the local SageMaker endpoint. Runs under plain node mocha.
import * as assert from 'assert';
import { failureScreenshots, screenshot, showInstances, startHarness, type Harness, type Workbench } from './workbench';

describe('SageMaker view in the workbench', function () {
  this.timeout(180_000);
  let harness: Harness | undefined;
  let workbench: Workbench | undefined;

  before(async function () {
    harness = await startHarness({
      seed: [
        { name: 'demo-lab', status: 'InService' },
        { name: 'demo-stopped', status: 'Stopped' },
      ],
    });
    ({ workbench } = harness);
  });


  after(() => harness?.cleanup());


  afterEach(failureScreenshots(() => workbench, 'tree'));


  it('lists every notebook instance as a row when the activity-bar icon is clicked', async function () {
    const page = workbench!.page;
    const labels = await showInstances(page, ['demo-lab', 'demo-stopped']);
    assert.ok(labels.some((l) => l.startsWith('demo-lab, InService')), `rows: ${JSON.stringify(labels)}`);
    assert.ok(labels.some((l) => l.startsWith('demo-stopped, Stopped')), `rows: ${JSON.stringify(labels)}`);
    await screenshot(page, 'tree');
  });
});
