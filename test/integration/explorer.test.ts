import * as assert from 'assert';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { StartNotebookInstanceCommand } from '@aws-sdk/client-sagemaker';
import {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_SECRET_ACCESS_KEY,
  TEAM_ACCESS_KEY_ID,
  startLocalSageMaker,
  type LocalSageMaker,
} from '../endpoint/server';
import { localClient } from '../endpoint/testClient';
import { TEST_SECRETS, credentialsFor, extensionApi, treeLabels, useAwsFiles, waitFor, type ExtensionApi } from './fixtures';

const TEAM_SECRET = TEST_SECRETS.teamSecret;
const settings = () => vscode.workspace.getConfiguration('sagemakerNotebooks');

async function settle(api: ExtensionApi): Promise<string[]> {
  api.connection.refresh();
  return treeLabels(api);
}

describe('Explorer: profiles, regions, paging, polling, states', function () {
  this.timeout(60_000);
  let endpoint: LocalSageMaker;
  let api: ExtensionApi;
  /**
   * The endpoint serves one region per listener, as SageMaker does (AWS_ENDPOINT_URL_SAGEMAKER names the
   * us-east-1 one): a test listing other regions names each region's listener in the endpoint setting, as a
   * user with VPC endpoints does.
   */
  const useRegionEndpoints = () =>
    settings().update(
      'endpoint',
      Object.fromEntries(['us-east-1', 'eu-west-1', 'ap-south-1'].map((r) => [r, endpoint.regionUrl(r)])),
      vscode.ConfigurationTarget.Global,
    );

  before(async () => {
    endpoint = await startLocalSageMaker({
      regions: ['eu-west-1', 'ap-south-1'],
      transitionMs: { start: 1500, stop: 1500 },
      accounts: [
        { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY },
        { accessKeyId: TEAM_ACCESS_KEY_ID, secretAccessKey: TEAM_SECRET },
      ],
      seed: [
        { name: 'mine-1' },
        { name: 'mine-2', status: 'Stopped' },
        { name: 'mine-eu', region: 'eu-west-1' },
        { name: 'team-1', accessKeyId: TEAM_ACCESS_KEY_ID },
        { name: 'team-2', accessKeyId: TEAM_ACCESS_KEY_ID },
      ],
    });
    process.env.AWS_ENDPOINT_URL_SAGEMAKER = endpoint.url;
    // Guards: nothing in these tests may reach AWS's real SSO or STS hosts.
    process.env.AWS_ENDPOINT_URL_SSO = endpoint.url;
    process.env.AWS_ENDPOINT_URL_SSO_OIDC = endpoint.url;
    process.env.AWS_ENDPOINT_URL_STS = endpoint.url;
    api = await extensionApi();
    await vscode.commands.executeCommand('workbench.view.extension.sagemakerNotebooks');
  });

  beforeEach(() => {
    useAwsFiles({
      config: '[default]\nregion = us-east-1\n\n[profile team]\nregion = us-east-1\n',
      credentials: credentialsFor({
        default: { key: DEFAULT_ACCESS_KEY_ID, secret: DEFAULT_SECRET_ACCESS_KEY },
        team: { key: TEAM_ACCESS_KEY_ID, secret: TEAM_SECRET },
      }),
    });
    endpoint.clearFaults();
    endpoint.resetLog();
  });

  afterEach(async () => {
    await settings().update('profile', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('regions', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('regionsByProfile', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('endpoint', undefined, vscode.ConfigurationTarget.Global);
    api.tree.setFilter({});
    // Let the refreshes those changes cause finish, so the next test's request counts start quiet.
    await settle(api);
  });

  after(async () => {
    for (const v of ['AWS_ENDPOINT_URL_SAGEMAKER', 'AWS_ENDPOINT_URL_SSO', 'AWS_ENDPOINT_URL_SSO_OIDC', 'AWS_ENDPOINT_URL_STS'])
      delete process.env[v];
    api.connection.refresh();
    await endpoint.stop();
  });

  it("switching profile shows the other profile's instances and none of the first", async () => {
    assert.deepStrictEqual(await settle(api), ['mine-1', 'mine-2']);
    await settings().update('profile', 'team', vscode.ConfigurationTarget.Global);
    const labels = await waitFor('the team instances', async () => {
      const l = await treeLabels(api);
      return l.includes('team-1') ? l : undefined;
    });
    assert.deepStrictEqual(labels, ['team-1', 'team-2']);
    const keys = new Set(endpoint.requests.filter((r) => r.op === 'ListNotebookInstances').map((r) => r.accessKeyId));
    assert.ok(keys.has(TEAM_ACCESS_KEY_ID), 'the switch signed with the team key');
    assert.strictEqual(api.connection.state.profile, 'team');
    assert.strictEqual(api.profileItem.text, '$(account) team · us-east-1', 'the status bar names the active profile');
  });

  it("remembers regions per profile: team's choice leaves default in its own region, and the older list still applies to all", async () => {
    const regionsOf = async (profile: string) => {
      await settings().update('profile', profile, vscode.ConfigurationTarget.Global);
      await waitFor(
        `profile ${profile} listed`,
        async () => (await settle(api)) && api.connection.state.kind === 'ready' && api.connection.state.profile === profile,
      );
      return api.connection.state.regions;
    };
    await useRegionEndpoints();
    await settings().update('regionsByProfile', { team: ['eu-west-1'] }, vscode.ConfigurationTarget.Global);
    assert.deepStrictEqual(await regionsOf('team'), ['eu-west-1']);
    assert.deepStrictEqual(await regionsOf('default'), ['us-east-1'], "default keeps its profile's region");
    assert.deepStrictEqual(await settle(api), ['mine-1', 'mine-2']);

    // The older plain list is every profile's default; a profile's own entry wins over it.
    await settings().update('regions', ['eu-west-1'], vscode.ConfigurationTarget.Global);
    assert.deepStrictEqual(await regionsOf('default'), ['eu-west-1']);
    assert.deepStrictEqual(await settle(api), ['mine-eu']);
    await settings().update('regionsByProfile', { team: ['eu-west-1'], default: [] }, vscode.ConfigurationTarget.Global);
    assert.deepStrictEqual(await regionsOf('default'), ['us-east-1'], "an empty own list means the profile's region");
  });

  it("Select Regions… writes the active profile's entry only", async () => {
    await settings().update('regionsByProfile', { other: ['ap-south-1'] }, vscode.ConfigurationTarget.Global);
    await settings().update('profile', 'team', vscode.ConfigurationTarget.Global);
    await waitFor('profile team listed', async () => (await settle(api)) && api.connection.state.profile === 'team');
    let finished = false;
    const done = Promise.resolve(vscode.commands.executeCommand('sagemakerNotebooks.selectRegions')).finally(() => (finished = true));
    // The quick pick opens with team's regions picked; accepting before it is open does nothing, so accept
    // until the command has finished.
    await waitFor('Select Regions… to be accepted', async () => {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return finished;
    });
    await done;
    assert.deepStrictEqual(settings().inspect('regionsByProfile')?.globalValue, { other: ['ap-south-1'], team: ['us-east-1'] });
    assert.strictEqual(settings().inspect('regions')?.globalValue, undefined, 'the shared list is left alone');
  });

  it('lists every page: 250 instances in API order with three requests', async () => {
    const added = endpoint.addMany(250, { region: 'ap-south-1', prefix: 'bulk' });
    await useRegionEndpoints();
    await settings().update('regions', ['ap-south-1'], vscode.ConfigurationTarget.Global);
    await settle(api);
    // Count on a refresh of its own: the settings change above refreshes too, and may abort a page.
    endpoint.resetLog();
    const labels = await settle(api);
    assert.strictEqual(labels.length, 250);
    assert.deepStrictEqual(labels, added.map((r) => r.name).sort(), 'sorted by name, as requested from the API');
    assert.strictEqual(endpoint.count('ListNotebookInstances'), 3);
    assert.deepStrictEqual(
      endpoint.requests.map((r) => r.input?.MaxResults),
      [100, 100, 100],
    );
  });

  it('fetches several regions in parallel, one node per region', async () => {
    await useRegionEndpoints();
    endpoint.inject('ListNotebookInstances', { latencyMs: 400 });
    await settings().update('regions', ['us-east-1', 'eu-west-1'], vscode.ConfigurationTarget.Global);
    const labels = await settle(api);
    assert.deepStrictEqual(labels, ['us-east-1', '  mine-1', '  mine-2', 'eu-west-1', '  mine-eu']);
    // The last two answered lists made the tree shown; earlier ones may come from the view reacting to the
    // previous settings.
    const [a, b] = endpoint.requests.filter((r) => r.op === 'ListNotebookInstances' && r.statusCode === 200).slice(-2);
    assert.deepStrictEqual(new Set([a?.region, b?.region]), new Set(['us-east-1', 'eu-west-1']));
    const timeline = endpoint.requests
      .map(
        (r) =>
          `${r.op} ${r.region} +${r.startedAt - endpoint.requests[0].startedAt}..${(r.endedAt ?? 0) - endpoint.requests[0].startedAt} ${r.statusCode}`,
      )
      .join('; ');
    assert.ok(a && b, `two list requests: ${timeline}`);
    assert.ok(
      b.startedAt < a.endedAt!,
      `requests overlap (second started ${b.startedAt - a.startedAt} ms after the first, first took ${a.endedAt! - a.startedAt} ms): ${timeline}`,
    );
  });

  it('follows a started instance from Pending to InService without a manual refresh, then stops polling', async () => {
    await settle(api);
    await localClient(endpoint).send(new StartNotebookInstanceCommand({ NotebookInstanceName: 'mine-2' }));
    assert.ok((await settle(api)).includes('mine-2'));
    const row = () => api.instances.knownInstances().find((i) => i.name === 'mine-2')?.status;
    assert.strictEqual(row(), 'Pending');
    assert.strictEqual(api.instances.pollerState.scheduled, true);
    await waitFor('mine-2 to be InService', () => row() === 'InService', 20_000);
    assert.deepStrictEqual(api.instances.pollerState, { watching: 0, scheduled: false });
    const describes = endpoint.count('DescribeNotebookInstance');
    assert.ok(describes >= 1);
    // The point is that nothing happens: longer than the poller's intervals, no Describe goes out.
    await new Promise((r) => setTimeout(r, 3500));
    assert.strictEqual(endpoint.count('DescribeNotebookInstance'), describes, 'no polling once settled');
    assert.strictEqual(endpoint.count('ListNotebookInstances'), 2, 'only the two explicit refreshes listed');
  });

  it('filters by name and status, and clears', async () => {
    endpoint.setStatus('mine-2', 'Stopped');
    await settle(api);
    api.tree.setFilter({ text: 'MINE' });
    assert.deepStrictEqual(await treeLabels(api), ['mine-1', 'mine-2']);
    api.tree.setFilter({ status: 'Stopped' });
    assert.deepStrictEqual(await treeLabels(api), ['mine-2']);
    api.tree.setFilter({ text: 'zzz' });
    assert.deepStrictEqual(await treeLabels(api), ['No instances match the filter']);
    await vscode.commands.executeCommand('sagemakerNotebooks.clearFilter');
    assert.deepStrictEqual(await treeLabels(api), ['mine-1', 'mine-2']);
    assert.strictEqual(endpoint.count('ListNotebookInstances'), 1, 'filtering needs no request');
  });

  it('copies name and ARN from a row', async () => {
    await settle(api);
    const [node] = await api.tree.getChildren();
    await vscode.commands.executeCommand('sagemakerNotebooks.copyArn', node);
    assert.match(await vscode.env.clipboard.readText(), /^arn:aws:sagemaker:us-east-1:\d{12}:notebook-instance\/mine-1$/);
    await vscode.commands.executeCommand('sagemakerNotebooks.copyName', node);
    assert.strictEqual(await vscode.env.clipboard.readText(), 'mine-1');
  });

  describe('states that say what to do, and recovery', () => {
    it('unknown profile', async () => {
      await settings().update('profile', 'nope', vscode.ConfigurationTarget.Global);
      assert.deepStrictEqual(await settle(api), []);
      assert.strictEqual(api.connection.state.kind, 'unknownProfile');
      await settings().update('profile', undefined, vscode.ConfigurationTarget.Global);
      assert.deepStrictEqual(await settle(api), ['mine-1', 'mine-2']);
    });

    it('malformed config file names the bad line', async () => {
      const files = useAwsFiles({ config: '[default\nregion = us-east-1\n', credentials: '' });
      assert.deepStrictEqual(await settle(api), []);
      assert.strictEqual(api.connection.state.kind, 'malformedConfig');
      assert.match(api.connection.state.message ?? '', /cannot be read at line 1, so profile "default" was not found/);
      fs.writeFileSync(files.config, '[default]\nregion = us-east-1\n');
      fs.writeFileSync(files.credentials, credentialsFor({ default: { key: DEFAULT_ACCESS_KEY_ID, secret: DEFAULT_SECRET_ACCESS_KEY } }));
      assert.deepStrictEqual(await settle(api), ['mine-1', 'mine-2']);
    });

    it('no config files at all', async () => {
      useAwsFiles({});
      assert.deepStrictEqual(await settle(api), []);
      assert.strictEqual(api.connection.state.kind, 'noConfig');
    });

    it('expired SSO token offers aws sso login', async () => {
      const cache = path.join(os.homedir(), '.aws', 'sso', 'cache');
      fs.mkdirSync(cache, { recursive: true });
      const tokenFile = path.join(cache, `${createHash('sha1').update('corp').digest('hex')}.json`);
      fs.writeFileSync(
        tokenFile,
        JSON.stringify({
          accessToken: TEST_SECRETS.ssoAccessToken,
          expiresAt: '2020-01-01T00:00:00Z',
          region: 'us-east-1',
          startUrl: 'https://example.awsapps.com/start',
        }),
      );
      try {
        useAwsFiles({
          config:
            '[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = DataScientist\nregion = us-east-1\n\n[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n',
          credentials: '',
        });
        await settings().update('profile', 'dev', vscode.ConfigurationTarget.Global);
        assert.deepStrictEqual(await settle(api), []);
        assert.strictEqual(api.connection.state.kind, 'ssoExpired');
        assert.match(api.connection.state.message ?? '', /aws sso login --profile dev/);
        assert.strictEqual(endpoint.count(), 0, 'no SageMaker call without credentials');
      } finally {
        fs.rmSync(tokenFile, { force: true });
      }
    });

    it('endpoint down gives an error row, and the tree works again once it is back', async () => {
      process.env.AWS_ENDPOINT_URL_SAGEMAKER = 'http://127.0.0.1:9'; // discard port: connection refused
      try {
        const [label] = await settle(api);
        assert.match(label, /Could not reach SageMaker/);
      } finally {
        process.env.AWS_ENDPOINT_URL_SAGEMAKER = endpoint.url;
      }
      await vscode.commands.executeCommand('sagemakerNotebooks.refresh');
      assert.deepStrictEqual(await treeLabels(api), ['mine-1', 'mine-2']);
    });

    it('invalid region names are ignored with a warning', async () => {
      await settings().update('regions', ['us-east-1', 'not a region'], vscode.ConfigurationTarget.Global);
      assert.deepStrictEqual(await settle(api), ['mine-1', 'mine-2']);
      assert.ok(
        api.testing.ui.shownMessages().includes('Ignoring invalid region names in the setting sagemakerNotebooks.regions: not a region'),
        `the warning was shown: ${api.testing.ui.shownMessages().join(' | ')}`,
      );
    });
  });
});
