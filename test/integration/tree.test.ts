import * as assert from 'assert';
import * as vscode from 'vscode';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startLocalSageMaker, type LocalSageMaker } from '../endpoint/server';
import { credentialsFor, extensionApi, treeLabels, useAwsFiles, waitFor } from './fixtures';

describe('Notebook instances tree', () => {
  let endpoint: LocalSageMaker;

  before(async () => {
    endpoint = await startLocalSageMaker({
      regions: ['ap-south-1'], // one listener per region, as SageMaker has an endpoint per region
      seed: [
        { name: 'alpha-lab', status: 'InService', instanceType: 'ml.t3.medium' },
        { name: 'beta-stopped', status: 'Stopped', instanceType: 'ml.m5.xlarge' },
        { name: 'gamma-failed', status: 'Failed', failureReason: 'Lifecycle configuration failed' },
        { name: 'elsewhere', region: 'eu-west-1' },
      ],
    });
    process.env.AWS_ENDPOINT_URL_SAGEMAKER = endpoint.url;
    useAwsFiles({
      config: '[default]\nregion = us-east-1\n',
      credentials: credentialsFor({ default: { key: DEFAULT_ACCESS_KEY_ID, secret: DEFAULT_SECRET_ACCESS_KEY } }),
    });
    await vscode.commands.executeCommand('workbench.view.extension.sagemakerNotebooks');
  });

  after(async () => {
    delete process.env.AWS_ENDPOINT_URL_SAGEMAKER;
    await endpoint.stop();
  });

  beforeEach(async () => {
    endpoint.clearFaults();
    (await extensionApi()).connection.refresh();
    endpoint.resetLog();
  });

  it('lists the instances of the profile region through the real SDK', async () => {
    const api = await extensionApi();
    const labels = await treeLabels(api);
    assert.deepStrictEqual(labels, ['alpha-lab', 'beta-stopped', 'gamma-failed']);
    assert.strictEqual(endpoint.count('ListNotebookInstances'), 1);
  });

  it('gives each row the ARN as id, a status context value and the instance type', async () => {
    const api = await extensionApi();
    const nodes = await api.tree.getChildren();
    const items = nodes.map((n) => api.tree.getTreeItem(n));
    assert.match(String(items[0].id), /^arn:aws:sagemaker:us-east-1:\d{12}:notebook-instance\/alpha-lab$/);
    assert.deepStrictEqual(
      items.map((i) => i.contextValue),
      ['notebook.inService', 'notebook.stopped', 'notebook.failed'],
    );
    assert.strictEqual(items[1].description, 'm5.xlarge');
  });

  it('shows a refusal as a warning row that retries, and recovers once the fault is gone', async () => {
    endpoint.inject('ListNotebookInstances', { error: 'AccessDeniedException' });
    const api = await extensionApi();
    const [row] = await api.tree.getChildren();
    const item = api.tree.getTreeItem(row);
    assert.strictEqual(row.kind, 'error');
    assert.strictEqual(item.contextValue, 'message.error');
    assert.strictEqual((item.iconPath as vscode.ThemeIcon).id, 'warning');
    assert.match(item.label as string, /Access denied for sagemaker:ListNotebookInstances/);
    assert.strictEqual(item.command?.command, 'sagemakerNotebooks.refresh');

    endpoint.clearFaults();
    await vscode.commands.executeCommand('sagemakerNotebooks.refresh');
    const labels = await waitFor('the tree to recover', async () => {
      const l = await treeLabels(api);
      return l.includes('alpha-lab') ? l : undefined;
    });
    assert.strictEqual(labels.length, 3);
  });

  it('shows the empty state for a region without instances', async () => {
    // AWS_ENDPOINT_URL_SAGEMAKER names the us-east-1 listener only: ap-south-1 gets its own, as a user sets it.
    const config = () => vscode.workspace.getConfiguration('sagemakerNotebooks');
    await config().update('endpoint', { 'ap-south-1': endpoint.regionUrl('ap-south-1') }, vscode.ConfigurationTarget.Global);
    await config().update('regions', ['ap-south-1'], vscode.ConfigurationTarget.Global);
    try {
      const api = await extensionApi();
      const labels = await waitFor('the empty row', async () => {
        const l = await treeLabels(api);
        return l[0]?.startsWith('No notebook instances') ? l : undefined;
      });
      assert.deepStrictEqual(labels, ['No notebook instances in ap-south-1']);
    } finally {
      await config().update('regions', undefined, vscode.ConfigurationTarget.Global);
      await config().update('endpoint', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
