import * as assert from 'assert';
import * as vscode from 'vscode';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startLocalSageMaker, type LocalSageMaker } from '../endpoint/server';
import type { NotebookSession } from '../../src/session/session';
import {
  credentialsFor,
  extensionApi,
  instanceRow,
  listedInstance,
  releaseEndpoint,
  useAwsFiles,
  waitFor,
  type ExtensionApi,
} from './fixtures';

const settings = () => vscode.workspace.getConfiguration('sagemakerNotebooks');

/** Visits the URL like a browser's first request: the gateway must accept the token as issued. */
async function gatewayAccepts(url: string): Promise<{ status: number; location: string | null; cookie: boolean }> {
  const res = await fetch(url, { redirect: 'manual' });
  return { status: res.status, location: res.headers.get('location'), cookie: !!res.headers.get('set-cookie') };
}

describe('Open a notebook', function () {
  this.timeout(60_000);
  let endpoint: LocalSageMaker;
  let api: ExtensionApi;
  let opened: string[];
  let sessions: NotebookSession[];
  let answers: boolean[];
  let asked: string[];

  const instance = (name: string) => listedInstance(api, name);
  const node = (name: string) => instanceRow(api, name);

  before(async () => {
    endpoint = await startLocalSageMaker({
      transitionMs: { start: 1200, stop: 1200 },
      seed: [
        { name: 'lab-ready', status: 'InService' },
        { name: 'sleepy', status: 'Stopped' },
        { name: 'broken', status: 'Failed', failureReason: 'Lifecycle configuration failed' },
        { name: 'vanishing', status: 'InService' },
        { name: 'winding-down', status: 'InService' },
        { name: 'upgrading', status: 'Stopped' },
        { name: 'bad-lifecycle', status: 'Stopped' },
        { name: 'maintained', status: 'InMaintenance' },
      ],
    });
    process.env.AWS_ENDPOINT_URL_SAGEMAKER = endpoint.url;
    useAwsFiles({
      config: '[default]\nregion = us-east-1\n',
      credentials: credentialsFor({ default: { key: DEFAULT_ACCESS_KEY_ID, secret: DEFAULT_SECRET_ACCESS_KEY } }),
    });
    api = await extensionApi();
    api.connection.refresh();
    api.testing.ui.setOpenExternal(async (url) => {
      opened.push(url);
      return true;
    });
    api.testing.ui.setConfirm(async (message) => {
      asked.push(message);
      return answers.shift() ?? false;
    });
    api.testing.onSessionStarted((s) => sessions.push(s));
  });

  beforeEach(() => {
    opened = [];
    sessions = [];
    answers = [];
    asked = [];
    endpoint.clearFaults();
    endpoint.resetLog();
  });

  after(async () => {
    await settings().update('interface', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('sessionDurationMinutes', undefined, vscode.ConfigurationTarget.Global);
    await releaseEndpoint(api, endpoint);
  });

  it('opens an InService instance with one request, /lab inserted and the token unchanged', async () => {
    const row = await node('lab-ready');
    endpoint.resetLog();
    await vscode.commands.executeCommand('sagemakerNotebooks.open', row);
    assert.strictEqual(opened.length, 1);
    assert.deepStrictEqual(
      endpoint.requests.map((r) => r.op),
      ['CreatePresignedNotebookInstanceUrl'],
    );
    assert.strictEqual(endpoint.requests[0].input?.SessionExpirationDurationInSeconds, 43200);
    const url = new URL(opened[0]);
    assert.strictEqual(url.pathname, '/lab');
    assert.match(opened[0], /\?authToken=[^&]*[+/][^&]*%2B[^&]*=$/, 'the token still holds its + / %2B = characters');
    const visit = await gatewayAccepts(opened[0]);
    assert.strictEqual(visit.status, 302, 'the gateway accepted the token as issued');
    assert.ok(visit.cookie);
    assert.strictEqual((await gatewayAccepts(opened[0])).status, 403, 'the token is single-use');
    assert.strictEqual(sessions.length, 1);
    assert.strictEqual(sessions[0].expiresAt - sessions[0].startedAt, 43200 * 1000);
    assert.ok(!JSON.stringify(sessions[0]).includes('authToken'), 'the session holds no URL');
  });

  it('classic Jupyter gets /tree and the configured duration reaches the API', async () => {
    await settings().update('interface', 'jupyter', vscode.ConfigurationTarget.Global);
    await settings().update('sessionDurationMinutes', 60, vscode.ConfigurationTarget.Global);
    try {
      await vscode.commands.executeCommand('sagemakerNotebooks.open', await node('lab-ready'));
      assert.strictEqual(new URL(opened[0]).pathname, '/tree');
      assert.strictEqual(endpoint.requests.at(-1)?.input?.SessionExpirationDurationInSeconds, 3600);
      assert.strictEqual((await gatewayAccepts(opened[0])).location, '/tree');
    } finally {
      await settings().update('interface', undefined, vscode.ConfigurationTarget.Global);
      await settings().update('sessionDurationMinutes', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('an out-of-range duration is clamped', async () => {
    await settings().update('sessionDurationMinutes', 5, vscode.ConfigurationTarget.Global);
    try {
      await vscode.commands.executeCommand('sagemakerNotebooks.openInJupyterLab', await node('lab-ready'));
      assert.strictEqual(endpoint.requests.at(-1)?.input?.SessionExpirationDurationInSeconds, 1800);
    } finally {
      await settings().update('sessionDurationMinutes', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a double click opens once', async () => {
    const row = await node('lab-ready');
    endpoint.resetLog();
    await Promise.all([
      vscode.commands.executeCommand('sagemakerNotebooks.open', row),
      vscode.commands.executeCommand('sagemakerNotebooks.open', row),
    ]);
    assert.strictEqual(opened.length, 1);
    assert.strictEqual(endpoint.count('CreatePresignedNotebookInstanceUrl'), 1);
  });

  it('start and open: asks, starts, waits through Pending, then opens', async () => {
    answers = [true];
    const row = await node('sleepy');
    await vscode.commands.executeCommand('sagemakerNotebooks.open', row);
    assert.match(asked[0], /sleepy is stopped\. Start it and open it/);
    assert.strictEqual(endpoint.count('StartNotebookInstance'), 1);
    assert.ok(endpoint.count('DescribeNotebookInstance') >= 2, 'waited through Pending');
    assert.strictEqual(opened.length, 1);
    assert.strictEqual((await gatewayAccepts(opened[0])).status, 302);
    assert.strictEqual((await instance('sleepy')).status, 'InService', 'the tree shows the new status');
  });

  it('a click on a Stopped row asks to start it, and when accepted starts it and opens it', async () => {
    endpoint.setStatus('sleepy', 'Stopped');
    api.connection.refresh();
    answers = [true];
    const row = await node('sleepy');
    // A click runs the tree item's command with its arguments, exactly so.
    const click = api.tree.getTreeItem(row).command;
    assert.ok(click, 'a Stopped row has a click command');
    await vscode.commands.executeCommand(click.command, ...(click.arguments ?? []));
    assert.strictEqual(asked.length, 1);
    assert.match(asked[0], /sleepy is stopped\. Start it and open it/);
    assert.strictEqual(endpoint.count('StartNotebookInstance'), 1);
    assert.strictEqual(opened.length, 1);
    assert.strictEqual((await gatewayAccepts(opened[0])).status, 302);
    assert.strictEqual((await instance('sleepy')).status, 'InService');
  });

  it('a click on a Stopped row that is declined starts nothing and opens nothing', async () => {
    endpoint.setStatus('sleepy', 'Stopped');
    api.connection.refresh();
    answers = [false];
    const click = api.tree.getTreeItem(await node('sleepy')).command!;
    await vscode.commands.executeCommand(click.command, ...(click.arguments ?? []));
    assert.strictEqual(asked.length, 1);
    assert.match(asked[0], /sleepy is stopped\. Start it and open it/);
    assert.strictEqual(endpoint.count('StartNotebookInstance'), 0);
    assert.deepStrictEqual(opened, []);
  });

  it('declining to start does nothing', async () => {
    answers = [false];
    endpoint.setStatus('sleepy', 'Stopped');
    api.connection.refresh();
    await vscode.commands.executeCommand('sagemakerNotebooks.open', await node('sleepy'));
    assert.deepStrictEqual(asked.length, 1, 'the question was asked');
    assert.match(asked[0], /sleepy is stopped\. Start it and open it when it is ready\?/);
    assert.deepStrictEqual(api.testing.ui.commandOutcomes().at(-1), { command: 'sagemakerNotebooks.open', outcome: { kind: 'ok' } });
    assert.strictEqual(endpoint.count('StartNotebookInstance'), 0);
    assert.deepStrictEqual(opened, []);
  });

  it('stop asks first, then the tree shows Stopping at once', async () => {
    endpoint.setStatus('sleepy', 'InService');
    api.connection.refresh();
    answers = [true];
    await vscode.commands.executeCommand('sagemakerNotebooks.stop', await node('sleepy'));
    assert.match(asked[0], /Stop notebook instance sleepy\?/);
    assert.strictEqual(endpoint.count('StopNotebookInstance'), 1);
    assert.strictEqual(api.instances.knownInstances().find((i) => i.name === 'sleepy')?.status, 'Stopping');
    await waitFor('sleepy to stop', () => api.instances.knownInstances().find((i) => i.name === 'sleepy')?.status === 'Stopped', 20_000);
  });

  it('a failed instance is explained, not opened', async () => {
    const before = api.testing.ui.shown().length;
    await vscode.commands.executeCommand('sagemakerNotebooks.open', await node('broken'));
    assert.deepStrictEqual(
      api.testing.ui.shown().slice(before),
      [{ kind: 'error', texts: ['broken has failed: Lifecycle configuration failed', 'Open AWS Console'] }],
      'the reason is shown, with the console a click away',
    );
    assert.deepStrictEqual(opened, []);
    assert.strictEqual(endpoint.count('CreatePresignedNotebookInstanceUrl'), 0);
  });

  it('names the denied IAM action and the instance, with the IP-policy hint', async () => {
    endpoint.inject('CreatePresignedNotebookInstanceUrl', { error: 'AccessDeniedException', times: 1 });
    await assert.rejects(api.opener.open(await instance('lab-ready')), (e: Error) => {
      assert.match(e.message, /Could not open lab-ready: Access denied for sagemaker:CreatePresignedNotebookInstanceUrl/);
      assert.match(e.message, /IP addresses/);
      return true;
    });
    assert.deepStrictEqual(opened, []);
  });

  it('an instance deleted since listing is dropped from the tree with a message', async () => {
    const target = await instance('vanishing');
    endpoint.removeInstance('vanishing');
    await assert.rejects(api.opener.open(target), /vanishing no longer exists in us-east-1/);
    assert.ok(!api.instances.knownInstances().some((i) => i.name === 'vanishing'));
  });

  /** The endpoint moves an instance on by itself after a while, as SageMaker does. */
  const later = (ms: number, fn: () => void) => setTimeout(fn, ms);

  it('opening while Stopping asks once up front, waits for Stopped, starts and opens', async () => {
    endpoint.setStatus('winding-down', 'Stopping');
    api.connection.refresh();
    const row = await node('winding-down');
    assert.strictEqual(row.instance.status, 'Stopping');
    answers = [true];
    later(1500, () => endpoint.setStatus('winding-down', 'Stopped'));
    await vscode.commands.executeCommand('sagemakerNotebooks.open', row);
    assert.deepStrictEqual(asked.length, 1, asked.join(' | '));
    assert.match(asked[0], /winding-down is stopping\. Start it again when it has stopped, and open it\?/);
    assert.strictEqual(endpoint.count('StartNotebookInstance'), 1);
    assert.strictEqual(opened.length, 1);
    assert.strictEqual((await gatewayAccepts(opened[0])).status, 302);
  });

  it('opening while Updating asks once, and declining neither waits nor starts', async () => {
    endpoint.setStatus('upgrading', 'Updating');
    api.connection.refresh();
    answers = [false];
    await vscode.commands.executeCommand('sagemakerNotebooks.open', await node('upgrading'));
    assert.strictEqual(asked.length, 1);
    assert.match(asked[0], /upgrading is being updated\. Start it when the update is done, and open it\?/);
    assert.deepStrictEqual(api.testing.ui.commandOutcomes().at(-1), { command: 'sagemakerNotebooks.open', outcome: { kind: 'ok' } });
    assert.strictEqual(endpoint.count('StartNotebookInstance'), 0);
    assert.deepStrictEqual(opened, []);
  });

  it('opening while Updating and agreeing starts it when the update is done and opens', async () => {
    endpoint.setStatus('upgrading', 'Updating');
    api.connection.refresh();
    answers = [true];
    later(1500, () => endpoint.setStatus('upgrading', 'Stopped'));
    await vscode.commands.executeCommand('sagemakerNotebooks.open', await node('upgrading'));
    assert.strictEqual(asked.length, 1, 'no second question once the update is done');
    assert.strictEqual(endpoint.count('StartNotebookInstance'), 1);
    assert.strictEqual(opened.length, 1);
  });

  it('start and open that ends in Failed shows the reason and where the lifecycle log is, and opens nothing', async () => {
    endpoint.setStatus('bad-lifecycle', 'Stopped');
    endpoint.failNextStart(
      'bad-lifecycle',
      "Notebook Instance Lifecycle Config 'arn:aws:sagemaker:us-east-1:123456789012:notebook-instance-lifecycle-config/setup-conda' for Notebook Instance 'arn:aws:sagemaker:us-east-1:123456789012:notebook-instance/bad-lifecycle' took longer than 5 minutes. Please check your CloudWatch logs for more details if your Notebook Instance has Internet access.",
    );
    api.connection.refresh();
    answers = [true];
    const before = api.testing.ui.shownMessages().length;
    await vscode.commands.executeCommand('sagemakerNotebooks.open', await node('bad-lifecycle'));
    const [error, ...more] = api.testing.ui.takeCommandErrors();
    assert.deepStrictEqual(more, []);
    assert.strictEqual(error?.command, 'sagemakerNotebooks.open');
    assert.match(error.message, /bad-lifecycle could not start: Notebook Instance Lifecycle Config .* took longer than 5 minutes/);
    assert.match(error.message, /stream bad-lifecycle\/LifecycleConfigOnStart.*start it again/);
    assert.deepStrictEqual(api.testing.ui.shownMessages().slice(before), [error.message], 'the command ended in that message, shown once');
    assert.strictEqual(asked.length, 1, 'asked to start once, not again after the failure');
    assert.deepStrictEqual(opened, []);
    assert.strictEqual((await instance('bad-lifecycle')).status, 'Failed', 'the tree shows the failure');
  });

  it('an instance in maintenance is explained, not started or presigned, and the tree watches it', async () => {
    const row = await node('maintained');
    assert.strictEqual(api.tree.getTreeItem(row).contextValue, 'notebook.inMaintenance');
    await assert.rejects(
      api.opener.open(row.instance),
      /maintained is under maintenance by SageMaker \(InMaintenance\) and cannot be opened/,
    );
    assert.strictEqual(endpoint.count('CreatePresignedNotebookInstanceUrl'), 0);
    assert.strictEqual(endpoint.count('StartNotebookInstance'), 0);
    endpoint.setStatus('maintained', 'InService');
    await waitFor(
      'the tree to see the maintenance end by itself',
      () => api.instances.knownInstances().find((i) => i.name === 'maintained')?.status === 'InService',
      30_000,
    );
  });
});
