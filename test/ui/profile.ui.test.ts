// UI test: a person with two AWS profiles switches the view from one to the other through the command
// palette. The local endpoint keys its data by access key, so each profile sees its own instances.
import * as assert from 'assert';
import { TEAM_ACCESS_KEY_ID } from '../endpoint/server';
import {
  DEFAULT_PROFILE,
  failureScreenshots,
  pickQuickPickRow,
  runCommand,
  screenshot,
  showInstances,
  startHarness,
  waitForQuickPick,
  waitForRows,
  type Harness,
  type Workbench,
} from './workbench';

describe('Selecting an AWS profile in the workbench', function () {
  this.timeout(180_000);
  let harness: Harness | undefined;
  let workbench: Workbench | undefined;

  before(async function () {
    harness = await startHarness(
      {
        seed: [
          { name: 'demo-lab', status: 'InService' },
          { name: 'demo-stopped', status: 'Stopped' },
          { name: 'team-lab', status: 'InService', accessKeyId: TEAM_ACCESS_KEY_ID, region: 'eu-west-1' },
          { name: 'team-etl', status: 'Stopped', accessKeyId: TEAM_ACCESS_KEY_ID, region: 'eu-west-1' },
        ],
      },
      [
        DEFAULT_PROFILE,
        { name: 'team', accessKeyId: TEAM_ACCESS_KEY_ID, secretAccessKey: 'teamSecretForTheLocalEndpointOnly', region: 'eu-west-1' },
      ],
    );
    ({ workbench } = harness);
  });

  after(() => harness?.cleanup());

  afterEach(failureScreenshots(() => workbench, 'profile'));

  it('lists both profiles with their kind and region, and choosing "team" lists only team instances', async function () {
    const page = workbench!.page;
    await showInstances(page, ['demo-lab', 'demo-stopped']);

    await runCommand(page, 'SageMaker Notebooks: Select AWS Profile…');
    const rows = await waitForQuickPick(page, 'the profile quick pick listing default and team', (r) =>
      ['default', 'team'].every((name) => r.some((row) => row.label === name)),
    );
    const byName = (name: string) => rows.find((r) => r.label === name)!;
    assert.match(byName('default').description, /access keys/, `default row: ${JSON.stringify(byName('default'))}`);
    assert.match(byName('default').description, /us-east-1/, `default row: ${JSON.stringify(byName('default'))}`);
    assert.match(byName('team').description, /access keys/, `team row: ${JSON.stringify(byName('team'))}`);
    assert.match(byName('team').description, /eu-west-1/, `team row: ${JSON.stringify(byName('team'))}`);
    await screenshot(page, 'profile-quick-pick');

    await pickQuickPickRow(page, 'team');
    const labels = await waitForRows(
      page,
      (r) => r.some((l) => l.startsWith('team-lab, ')) && !r.some((l) => l.startsWith('demo-')),
      30_000,
    );
    assert.ok(
      labels.some((l) => l.startsWith('team-lab, InService')),
      `rows: ${JSON.stringify(labels)}`,
    );
    assert.ok(
      labels.some((l) => l.startsWith('team-etl, Stopped')),
      `rows: ${JSON.stringify(labels)}`,
    );
    assert.ok(!labels.some((l) => l.startsWith('demo-')), `default's instances are still listed: ${JSON.stringify(labels)}`);
    await screenshot(page, 'profile-team-rows');
  });
});
