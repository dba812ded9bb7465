// An endpoint per region in real VS Code: the local endpoint serves one region per listener and refuses a
// signature for another, as SageMaker does.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startLocalSageMaker, type LocalSageMaker } from '../endpoint/server';
import { credentialsFor, extensionApi, releaseEndpoint, treeLabels, useAwsFiles, type ExtensionApi } from './fixtures';

describe('Endpoint per region', function () {
  this.timeout(60_000);
  let endpoint: LocalSageMaker;
  let api: ExtensionApi;
  const settings = () => vscode.workspace.getConfiguration('sagemakerNotebooks');

  before(async () => {
    endpoint = await startLocalSageMaker({
      regions: ['us-east-1', 'eu-west-1'],
      seed: [
        { name: 'virginia', region: 'us-east-1' },
        { name: 'ireland', region: 'eu-west-1' },
      ],
    });
    delete process.env.AWS_ENDPOINT_URL_SAGEMAKER;
    useAwsFiles({
      config: '[default]\nregion = us-east-1\n',
      credentials: credentialsFor({ default: { key: DEFAULT_ACCESS_KEY_ID, secret: DEFAULT_SECRET_ACCESS_KEY } }),
    });
    api = await extensionApi();
    await settings().update('regions', ['us-east-1', 'eu-west-1'], vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    for (const key of ['regions', 'endpoint']) await settings().update(key, undefined, vscode.ConfigurationTarget.Global);
    await releaseEndpoint(api, endpoint);
  });

  it('a map of endpoints lists each region at its own endpoint', async () => {
    await settings().update(
      'endpoint',
      { 'us-east-1': endpoint.regionUrl('us-east-1'), 'eu-west-1': endpoint.regionUrl('eu-west-1') },
      vscode.ConfigurationTarget.Global,
    );
    api.connection.refresh();
    const labels = await treeLabels(api);
    assert.ok(labels.includes('  virginia') && labels.includes('  ireland'), labels.join(' | '));
  });

  it("one plain endpoint for two regions: the other region's row says so, and nothing is sent for it", async () => {
    await settings().update('endpoint', endpoint.regionUrl('us-east-1'), vscode.ConfigurationTarget.Global);
    endpoint.resetLog();
    api.connection.refresh();
    const labels = await treeLabels(api);
    assert.ok(labels.includes('  virginia'), labels.join(' | '));
    assert.ok(
      labels.some((l) => /serves us-east-1 only, so eu-west-1 is not listed/.test(l)),
      labels.join(' | '),
    );
    assert.ok(!labels.includes('  ireland'));
    assert.deepStrictEqual([...new Set(endpoint.requests.map((r) => r.region))], ['us-east-1']);
  });
});
