// Managing instances in real VS Code against the local endpoint: the Create wizard (scripted answers through
// the prompter seam, the real quick inputs are walked by the UI test), Update, Delete, the migration to
// Amazon Linux 2023, lifecycle scripts as editable files with diagnostics, and the startup log of a failing
// start, with every refusal the API makes (wrong state, invalid value, permission denied).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { DescribeNotebookInstanceLifecycleConfigCommand } from '@aws-sdk/client-sagemaker';
import { accountIdFor } from '../endpoint/auth';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startLocalSageMaker, type LocalSageMaker } from '../endpoint/server';
import { localClient } from '../endpoint/testClient';
import { BACK, ScriptedPrompter } from '../../src/manage/prompter';
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

const ACCOUNT = accountIdFor(DEFAULT_ACCESS_KEY_ID);
const LAMBDA_ROLE = `arn:aws:iam::${ACCOUNT}:role/service-role/nightly-etl-lambda-role`;
const SAGEMAKER_ROLE = `arn:aws:iam::${ACCOUNT}:role/DataScienceNotebookRole`;
const FAILURE = `Notebook Instance Lifecycle Config 'arn:aws:sagemaker:us-east-1:${ACCOUNT}:notebook-instance-lifecycle-config/install-deps' for Notebook Instance 'arn:aws:sagemaker:us-east-1:${ACCOUNT}:notebook-instance/flaky-start' took longer than 5 minutes. Please check your CloudWatch logs for more details if your Notebook Instance has Internet access.`;

describe('Managing notebook instances (issue 21)', function () {
  this.timeout(60_000);
  let endpoint: LocalSageMaker;
  let api: ExtensionApi;

  before(async () => {
    endpoint = await startLocalSageMaker({
      transitionMs: { start: 2500, stop: 400 },
      seed: [
        { name: 'running-one', status: 'InService', lastModifiedTime: Date.now() - 3 * 3600_000 - 5 * 60_000 },
        { name: 'stopped-one', status: 'Stopped', volumeSizeInGB: 10, platformIdentifier: 'notebook-al2-v3' },
        { name: 'old-gpu', status: 'Stopped', instanceType: 'ml.p3.2xlarge', platformIdentifier: 'notebook-al2-v3' },
        { name: 'yum-user', status: 'InService', platformIdentifier: 'notebook-al2-v2', lifecycleConfigName: 'legacy-yum' },
        { name: 'flaky-start', status: 'Stopped', platformIdentifier: 'notebook-al2023-v1', lifecycleConfigName: 'install-deps' },
        { name: 'to-delete', status: 'Stopped' },
        { name: 'broken', status: 'Failed', failureReason: 'The VPC subnet has no free IP addresses.' },
      ],
      lifecycleConfigs: [
        { name: 'install-deps', onStart: '#!/bin/bash\nset -e\npip install pandas\necho done\n' },
        { name: 'legacy-yum', onStart: '#!/bin/bash\nsudo yum install -y htop\nsudo initctl restart jupyter-server\n' },
      ],
    });
    process.env.AWS_ENDPOINT_URL_SAGEMAKER = endpoint.url;
    process.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS = endpoint.url;
    process.env.AWS_ENDPOINT_URL_IAM = endpoint.url;
    useAwsFiles({
      config: '[default]\nregion = us-east-1\n',
      credentials: credentialsFor({ default: { key: DEFAULT_ACCESS_KEY_ID, secret: DEFAULT_SECRET_ACCESS_KEY } }),
    });
    api = await extensionApi();
    api.connection.refresh();
  });

  after(async () => {
    api.testing.manage.setPrompter(undefined);
    api.testing.ui.setConfirm(undefined);
    delete process.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS;
    delete process.env.AWS_ENDPOINT_URL_IAM;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await releaseEndpoint(api, endpoint);
  });

  beforeEach(() => {
    endpoint.clearFaults();
    endpoint.resetLog();
    api.testing.ui.setConfirm(undefined);
  });

  const status = async (name: string) => (await listedInstance(api, name)).status;
  const errorsTaken = () => api.testing.ui.takeCommandErrors().map((e) => e.message);

  it('creates an instance through the wizard (Back, validation as typed), shows it Pending, then offers to open it', async () => {
    const prompter = new ScriptedPrompter([
      'bad_name',
      'running-one',
      'fresh-one', // refused twice as typed (pattern, taken), then accepted
      'notebook-al2023-v1',
      BACK,
      'notebook-al2023-v1', // back to the platform step, then forward again
      'ml.t3.large',
      'DataScienceNotebookRole',
      '3',
      '20',
      'install-deps',
      'Disabled',
      'Enabled',
      'https://github.com/aws/amazon-sagemaker-examples.git',
    ]);
    api.testing.manage.setPrompter(prompter);
    await vscode.commands.executeCommand('sagemakerNotebooks.create');
    assert.strictEqual(prompter.remaining, 0);
    const nameStep = prompter.shown[0];
    assert.deepStrictEqual(nameStep.messages, [
      'Letters, digits and hyphens only; start and end with a letter or digit.',
      'us-east-1 already has a notebook instance named running-one.',
    ]);
    const typeStep = prompter.shown.find((s) => s.title === 'Create Notebook Instance' && s.labels?.includes('ml.t3.large'));
    assert.ok(typeStep?.labels?.includes('General purpose'), 'instance types are grouped');
    assert.ok(!typeStep?.labels?.includes('ml.p3.2xlarge'), 'AL2023 offers no ml.p3');
    const roleStep = prompter.shown.find((s) => s.labels?.includes('DataScienceNotebookRole'));
    assert.ok(roleStep && !roleStep.labels!.includes('nightly-etl-lambda-role'), 'only roles SageMaker can assume are listed');
    const volume = prompter.shown.find((s) => s.messages?.length && s.messages[0].startsWith('At least'));
    assert.deepStrictEqual(volume?.messages, ['At least 5 GB.']);

    const record = endpoint.getInstance('fresh-one')!;
    assert.deepStrictEqual(
      [
        record.instanceType,
        record.platformIdentifier,
        record.volumeSizeInGB,
        record.details.RoleArn,
        record.details.NotebookInstanceLifecycleConfigName,
        record.details.RootAccess,
        record.details.DefaultCodeRepository,
      ],
      [
        'ml.t3.large',
        'notebook-al2023-v1',
        20,
        SAGEMAKER_ROLE,
        'install-deps',
        'Disabled',
        'https://github.com/aws/amazon-sagemaker-examples.git',
      ],
    );
    assert.strictEqual(
      await waitFor('fresh-one listed', async () => (await api.instances.loadAll()).find((i) => i.name === 'fresh-one')?.status),
      'Pending',
    );
    await waitFor('fresh-one InService', async () => (await status('fresh-one')) === 'InService', 30_000);
    await waitFor('the offer to open', () => api.testing.ui.shownMessages().includes('Notebook instance fresh-one is InService.'));
  });

  it('shows the API refusing a role SageMaker cannot assume, typed as an ARN', async () => {
    const prompter = new ScriptedPrompter([
      'no-role',
      'notebook-al2023-v1',
      'ml.t3.medium',
      'Enter a role ARN…',
      'not-an-arn',
      LAMBDA_ROLE,
      '5',
      'No lifecycle configuration',
      'Enabled',
      'Enabled',
      '',
    ]);
    api.testing.manage.setPrompter(prompter);
    await vscode.commands.executeCommand('sagemakerNotebooks.create');
    const arnStep = prompter.shown.find((s) => s.kind === 'input' && s.messages?.length);
    assert.match(arnStep!.messages![0], /Not an IAM role ARN/);
    const [error] = errorsTaken();
    assert.match(error, /Could not assume role .*nightly-etl-lambda-role/);
    assert.strictEqual(endpoint.getInstance('no-role'), undefined);
  });

  it('asks for a typed role ARN when iam:ListRoles is denied, and names the permission', async () => {
    endpoint.inject('iam:ListRoles', { error: 'AccessDeniedException' });
    const prompter = new ScriptedPrompter([
      'typed-role',
      'notebook-al2023-v1',
      'ml.t3.medium',
      SAGEMAKER_ROLE,
      '5',
      'No lifecycle configuration',
      'Enabled',
      'Enabled',
      '',
    ]);
    api.testing.manage.setPrompter(prompter);
    await vscode.commands.executeCommand('sagemakerNotebooks.create');
    assert.strictEqual(prompter.remaining, 0);
    assert.ok(endpoint.getInstance('typed-role'), 'created with the typed ARN');
    const roleStep = prompter.shown.find((s) => s.kind === 'input' && s.prompt.startsWith('IAM execution role ARN'));
    assert.strictEqual(
      roleStep?.prompt,
      'IAM execution role ARN (iam:ListRoles is not allowed for this profile, so roles cannot be listed.)',
    );
    assert.strictEqual(endpoint.count('iam:ListRoles'), 1);
  });

  it('shows a permission refusal of CreateNotebookInstance with the action named', async () => {
    endpoint.inject('CreateNotebookInstance', { error: 'AccessDeniedException' });
    api.testing.manage.setPrompter(
      new ScriptedPrompter([
        'denied-one',
        'notebook-al2023-v1',
        'ml.t3.medium',
        'DataScienceNotebookRole',
        '5',
        'No lifecycle configuration',
        'Enabled',
        'Enabled',
        '',
      ]),
    );
    await vscode.commands.executeCommand('sagemakerNotebooks.create');
    assert.match(errorsTaken()[0], /Access denied for sagemaker:CreateNotebookInstance/);
  });

  it('updates a stopped instance (type, volume only growing, platform, root access) and shows it Updating', async () => {
    const prompter = new ScriptedPrompter(['notebook-al2023-v1', 'ml.m5.xlarge', '8', '30', 'install-deps', 'Disabled']);
    api.testing.manage.setPrompter(prompter);
    await vscode.commands.executeCommand('sagemakerNotebooks.update', await instanceRow(api, 'stopped-one'));
    assert.deepStrictEqual(prompter.shown[2].messages, ['The volume can only grow: at least 10 GB.']);
    const r = endpoint.getInstance('stopped-one')!;
    assert.deepStrictEqual(
      [r.instanceType, r.volumeSizeInGB, r.platformIdentifier, r.details.RootAccess, r.details.NotebookInstanceLifecycleConfigName],
      ['ml.m5.xlarge', 30, 'notebook-al2023-v1', 'Disabled', 'install-deps'],
    );
    assert.strictEqual((await listedInstance(api, 'stopped-one')).status, 'Updating');
    await waitFor('Stopped again', async () => (await status('stopped-one')) === 'Stopped', 20_000);
  });

  it('refuses to update a running instance, and shows the API refusing a denied update', async () => {
    const stale = { kind: 'instance' as const, instance: { ...(await listedInstance(api, 'running-one')), status: 'Stopped' } };
    await vscode.commands.executeCommand('sagemakerNotebooks.update', stale);
    assert.match(errorsTaken()[0], /running-one is InService: SageMaker updates only stopped instances/);
    endpoint.inject('UpdateNotebookInstance', { error: 'AccessDeniedException' });
    api.testing.manage.setPrompter(
      new ScriptedPrompter(['notebook-al2023-v1', 'ml.t3.medium', '5', 'No lifecycle configuration', 'Disabled']),
    );
    await vscode.commands.executeCommand('sagemakerNotebooks.update', await instanceRow(api, 'to-delete'));
    assert.match(errorsTaken()[0], /Access denied for sagemaker:UpdateNotebookInstance/);
  });

  it('deletes a stopped instance after a modal naming it and its volume; a cancelled modal deletes nothing', async () => {
    const asked: string[] = [];
    api.testing.ui.setConfirm(async (message, detail) => (asked.push(message, detail), false));
    await vscode.commands.executeCommand('sagemakerNotebooks.delete', await instanceRow(api, 'to-delete'));
    assert.strictEqual(endpoint.getInstance('to-delete')?.status, 'Stopped');
    assert.strictEqual(asked[0], 'Delete notebook instance "to-delete" in us-east-1?');
    assert.match(asked[1], /ML storage volume is deleted with it/);
    api.testing.ui.setConfirm(async () => true);
    await vscode.commands.executeCommand('sagemakerNotebooks.delete', await instanceRow(api, 'to-delete'));
    await waitFor('to-delete gone from the tree', async () => !(await api.instances.loadAll()).some((i) => i.name === 'to-delete'), 20_000);
    assert.strictEqual(endpoint.getInstance('to-delete'), undefined);
  });

  it('shows the API refusing to delete an instance that is running (a stale row)', async () => {
    api.testing.ui.setConfirm(async () => true);
    const stale = { kind: 'instance' as const, instance: { ...(await listedInstance(api, 'running-one')), status: 'Stopped' } };
    await vscode.commands.executeCommand('sagemakerNotebooks.delete', stale);
    assert.match(errorsTaken()[0], /Status \(InService\) not in \(\[Stopped, Failed\]\)\. Unable to transition to \(Deleting\)/);
    assert.strictEqual(endpoint.getInstance('running-one')?.status, 'InService');
  });

  it('migrates a running AL2 instance to AL2023, warning about yum and initctl in its lifecycle script', async () => {
    const details: string[] = [];
    api.testing.ui.setConfirm(async (_m, detail) => (details.push(detail), true));
    await vscode.commands.executeCommand('sagemakerNotebooks.migrateToAl2023', await instanceRow(api, 'yum-user'));
    assert.match(details[0], /It is running: it will be stopped, updated to notebook-al2023-v1, and started again/);
    assert.match(details[0], /legacy-yum OnStart, line 2: Amazon Linux 2023 uses dnf/);
    assert.match(details[0], /legacy-yum OnStart, line 3: .*systemctl/);
    assert.strictEqual(endpoint.getInstance('yum-user')?.platformIdentifier, 'notebook-al2023-v1');
    const ops = endpoint.requests.map((r) => r.op).filter((op) => /^(Stop|Update|Start)NotebookInstance$/.test(op));
    assert.deepStrictEqual(ops, ['StopNotebookInstance', 'UpdateNotebookInstance', 'StartNotebookInstance']);
    await waitFor('InService again', async () => (await status('yum-user')) === 'InService', 30_000);
  });

  it('refuses to migrate an instance type Amazon Linux 2023 does not offer', async () => {
    await vscode.commands.executeCommand('sagemakerNotebooks.migrateToAl2023', await instanceRow(api, 'old-gpu'));
    assert.match(errorsTaken()[0], /Cannot migrate old-gpu: ml\.p3\.2xlarge is not available on Amazon Linux 2023/);
    assert.strictEqual(endpoint.getInstance('old-gpu')?.platformIdentifier, 'notebook-al2-v3');
    assert.strictEqual(endpoint.count('UpdateNotebookInstance'), 0);
  });

  it('opens a lifecycle script as a document with diagnostics, and saves it back', async () => {
    const uri = vscode.Uri.parse('sagemaker-lifecycle:/us-east-1/legacy-yum/on-start.sh');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    assert.strictEqual(doc.getText(), '#!/bin/bash\nsudo yum install -y htop\nsudo initctl restart jupyter-server\n');
    const codes = () =>
      vscode.languages
        .getDiagnostics(uri)
        .map((d) => `${typeof d.code === 'object' ? String(d.code.value) : String(d.code)}@${d.range.start.line}`)
        .sort();
    await waitFor('diagnostics of the script', () => codes().length === 3 || undefined);
    assert.deepStrictEqual(codes(), ['foreground@1', 'initctl@2', 'yum@1']);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(
      uri,
      new vscode.Range(0, 0, doc.lineCount, 0),
      'set -e\nnohup sudo dnf install -y htop &\nsudo systemctl restart jupyter-server\n',
    );
    await vscode.workspace.applyEdit(edit);
    await waitFor('only the missing shebang left', () => codes().join() === 'shebang@0' || undefined);
    assert.ok(await doc.save(), 'saved');
    const client = localClient(endpoint);
    try {
      const d = await client.send(
        new DescribeNotebookInstanceLifecycleConfigCommand({ NotebookInstanceLifecycleConfigName: 'legacy-yum' }),
      );
      assert.strictEqual(
        Buffer.from(d.OnStart![0].Content!, 'base64').toString(),
        'set -e\nnohup sudo dnf install -y htop &\nsudo systemctl restart jupyter-server\n',
      );
    } finally {
      client.destroy();
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('lists lifecycle configurations in their view and creates one from the template', async () => {
    const names = async () => (await api.testing.manage.lifecycleTree.getChildren()).map((n) => (n.kind === 'config' ? n.name : n.kind));
    assert.deepStrictEqual(await names(), ['install-deps', 'legacy-yum']);
    api.testing.manage.setPrompter(new ScriptedPrompter(['From-Template']));
    await vscode.commands.executeCommand('sagemakerNotebooks.createLifecycleConfig');
    assert.deepStrictEqual(await names(), ['From-Template', 'install-deps', 'legacy-yum']);
    const editor = await waitFor('the template open', () =>
      vscode.window.activeTextEditor?.document.uri.toString() === 'sagemaker-lifecycle:/us-east-1/From-Template/on-start.sh'
        ? vscode.window.activeTextEditor
        : undefined,
    );
    assert.match(editor.document.getText(), /^#!\/bin\/bash\n/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows the startup log of a failing start: followed live, the failure reason on top, a link to the script', async () => {
    endpoint.failNextStart('flaky-start', FAILURE);
    await vscode.commands.executeCommand('sagemakerNotebooks.start', await instanceRow(api, 'flaky-start'));
    await vscode.commands.executeCommand('sagemakerNotebooks.showStartupLog', await instanceRow(api, 'flaky-start'));
    const uri = vscode.Uri.parse('sagemaker-startup-log:/us-east-1/flaky-start.log');
    const doc = await waitFor('the log open', () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()));
    assert.match(doc.getText(), /^Startup log of notebook instance flaky-start \(us-east-1\) — Pending/);
    assert.match(doc.getText(), /following the log while the instance starts/);
    const final = await waitFor('the failure', () => (/— Failed/.test(doc.getText()) ? doc.getText() : undefined), 30_000);
    const reason = final.split('\n\n')[1];
    assert.strictEqual(reason.replace(/\n\s+/g, ' '), `Failure reason: ${FAILURE}`, 'the failure reason on top, wrapped');
    assert.strictEqual((await listedInstance(api, 'flaky-start')).status, 'Failed', 'the row learnt it from the log at once');
    assert.match(final, /OnStart script: {2}sagemaker-lifecycle:\/us-east-1\/install-deps\/on-start\.sh/);
    assert.match(final, /\+ pip install pandas/);
    assert.match(final, /OnStart script exited with code 1/);
    assert.match(final, /\(end of log\)/);
    assert.strictEqual(
      api.testing.manage.startupLogs.isFollowing('us-east-1', 'flaky-start'),
      false,
      'following stops when the start has ended',
    );
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', uri);
    assert.ok(
      links.some((l) => l.target?.toString() === 'sagemaker-lifecycle:/us-east-1/install-deps/on-start.sh'),
      'the script is a link',
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('names the missing permission when the log cannot be read', async () => {
    endpoint.inject('logs:GetLogEvents', { error: 'AccessDeniedException' });
    await vscode.commands.executeCommand('sagemakerNotebooks.showStartupLog', await instanceRow(api, 'broken'));
    const doc = await waitFor('the log open', () => vscode.workspace.textDocuments.find((d) => d.uri.path === '/us-east-1/broken.log'));
    assert.match(doc.getText(), /Failure reason: The VPC subnet has no free IP addresses\./);
    assert.match(doc.getText(), /No lifecycle configuration is attached/);
    assert.match(doc.getText(), /lacks the permission logs:GetLogEvents on log group \/aws\/sagemaker\/NotebookInstances/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows how long an InService instance has run, and the platform (AL2 marked) once described', async () => {
    const row = await instanceRow(api, 'running-one');
    assert.match(String(api.tree.getTreeItem(row).description), /up 3 h \d+ min$/);
    const node = await instanceRow(api, 'old-gpu');
    const item = api.testing.manage.treeItem(api.tree.getTreeItem(node), node);
    assert.strictEqual(item.tooltip, undefined, 'left for VS Code to resolve on hover');
    const resolved = await api.testing.manage.resolveTreeItem(item, node, new vscode.CancellationTokenSource().token);
    assert.match((resolved.tooltip as vscode.MarkdownString).value, /notebook-al2-v3 ⚠ Amazon Linux 2/);
    const redrawn = api.testing.manage.treeItem(api.tree.getTreeItem(node), node);
    assert.match(String(redrawn.description), /AL2$/, 'the next redraw marks the row');
    assert.match((redrawn.tooltip as vscode.MarkdownString).value, /notebook-al2-v3/);
  });
});
