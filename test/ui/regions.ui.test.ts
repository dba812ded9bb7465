// UI test: Select Regions… from the globe in the view's title bar, a second region ticked in the real quick
// pick, accepted. The choice is the active profile's alone: it lands in the user settings'
// sagemakerNotebooks.regionsByProfile under that profile, another profile's entry stays as it was, and the
// tree lists one node per region, each with its own instances.
import * as assert from 'assert';
import * as fs from 'fs';
import { TEAM_ACCESS_KEY_ID } from '../endpoint/server';
import {
  DEFAULT_PROFILE,
  INSTANCE_ROWS,
  QUICK_INPUT,
  failureScreenshots,
  screenshot,
  showInstances,
  startHarness,
  waitFor,
  waitForQuickPick,
  waitForRows,
  type Harness,
} from './workbench';

const TEAM_CHOICE = ['eu-west-1', 'eu-central-1'];

describe("Select Regions… in the view's title bar", function () {
  this.timeout(180_000);
  let harness: Harness | undefined;

  before(async function () {
    harness = await startHarness(
      {
        seed: [
          { name: 'east-lab', status: 'InService' },
          { name: 'west-lab', status: 'Stopped', region: 'us-west-2' },
          { name: 'team-lab', status: 'InService', accessKeyId: TEAM_ACCESS_KEY_ID, region: 'eu-west-1' },
        ],
      },
      [
        DEFAULT_PROFILE,
        { name: 'team', accessKeyId: TEAM_ACCESS_KEY_ID, secretAccessKey: 'teamSecretForTheLocalEndpointOnly', region: 'eu-west-1' },
      ],
      { settings: { 'sagemakerNotebooks.regionsByProfile': { team: TEAM_CHOICE } } },
    );
  });

  after(() => harness?.cleanup());

  afterEach(failureScreenshots(() => harness?.workbench, 'regions'));

  it('ticking us-west-2 saves both regions for the active profile only, and the tree shows one node per region', async () => {
    const { workbench } = harness!;
    const page = workbench.page;
    const rows = await showInstances(page, ['east-lab']);
    assert.ok(!rows.some((r) => r.startsWith('west-lab, ')), `only the profile's region is listed at first: ${JSON.stringify(rows)}`);

    // The globe among the view's title actions. With the Lifecycle Configurations view beside it, they sit in
    // the instances pane's header, shown while the pointer is over the pane.
    await page.locator(INSTANCE_ROWS).first().hover();
    await page.click('.part.sidebar .pane-header .actions .action-label[aria-label^="Select Regions"]');
    await waitForQuickPick(page, 'the region quick pick with us-east-1 ticked first', (r) => r.length > 0 && r[0].label === 'us-east-1');
    const checked = (label: string) =>
      page.locator(`${QUICK_INPUT} .quick-input-list .monaco-list-row`, {
        has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${label}\\s*$`) }),
      });
    assert.strictEqual(await checked('us-east-1').getAttribute('aria-checked'), 'true', 'the listed region starts ticked');

    await page.fill(`${QUICK_INPUT} .quick-input-box input`, 'us-west-2');
    await waitForQuickPick(page, 'the quick pick narrowed to us-west-2', (r) => r.length === 1 && r[0].label === 'us-west-2');
    await checked('us-west-2').locator('.quick-input-list-checkbox, input[type="checkbox"], .monaco-checkbox').first().click();
    await waitFor(
      'us-west-2 ticked',
      async () => (await checked('us-west-2').getAttribute('aria-checked')) === 'true',
      5_000,
      () => checked('us-west-2').getAttribute('aria-checked'),
    );
    await screenshot(page, 'regions-quick-pick', false);
    await page.locator(`${QUICK_INPUT} .monaco-button`, { hasText: /^\s*OK\s*$/ }).click();
    await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: 10_000 });

    const settingsFile = workbench.server.userSettingsFile;
    const saved = await waitFor(
      'regionsByProfile.default in the user settings',
      () => {
        const byProfile = JSON.parse(fs.readFileSync(settingsFile, 'utf8'))['sagemakerNotebooks.regionsByProfile'] as
          Record<string, string[]> | undefined;
        return byProfile?.default && byProfile;
      },
      10_000,
      () => fs.readFileSync(settingsFile, 'utf8'),
    );
    assert.deepStrictEqual([...saved.default].sort(), ['us-east-1', 'us-west-2']);
    assert.deepStrictEqual(saved.team, TEAM_CHOICE, "the other profile's choice is untouched");
    assert.deepStrictEqual(Object.keys(saved).sort(), ['default', 'team']);

    const tree = await waitForRows(
      page,
      (r) => ['us-east-1', 'us-west-2', 'east-lab, ', 'west-lab, '].every((start) => r.some((l) => l.startsWith(start))),
      30_000,
    );
    assert.strictEqual(tree.filter((l) => /^us-(east-1|west-2)\b/.test(l)).length, 2, `one node per region: ${JSON.stringify(tree)}`);
    const at = (start: string) => tree.findIndex((l) => l.startsWith(start));
    assert.ok(
      at('us-east-1') < at('east-lab, ') && at('east-lab, ') < at('us-west-2') && at('us-west-2') < at('west-lab, '),
      `each instance under its region: ${JSON.stringify(tree)}`,
    );
    assert.ok(!tree.some((l) => l.startsWith('team-lab, ')), `rows: ${JSON.stringify(tree)}`);
    await screenshot(page, 'regions-tree');
  });
});
