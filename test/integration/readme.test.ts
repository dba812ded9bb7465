// What the README promises of the view's smaller commands, in real VS Code: Open in AWS Console on every
// partition's console host, Sign In with AWS SSO in a terminal, Open AWS Config File, Show Log, the no-region
// state, and a profile's endpoint_url.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startLocalSageMaker, type LocalSageMaker } from '../endpoint/server';
import type { NotebookInstance } from '../../src/shared/instance';
import { credentialsFor, extensionApi, treeLabels, useAwsFiles, waitFor, type ExtensionApi } from './fixtures';

const settings = () => vscode.workspace.getConfiguration('sagemakerNotebooks');
const CREDENTIALS = credentialsFor({ default: { key: DEFAULT_ACCESS_KEY_ID, secret: DEFAULT_SECRET_ACCESS_KEY } });

describe("README's commands", function () {
  this.timeout(60_000);
  let endpoint: LocalSageMaker;
  let api: ExtensionApi;
  let opened: string[];

  before(async () => {
    endpoint = await startLocalSageMaker({ seed: [{ name: 'here' }] });
    api = await extensionApi();
    await vscode.commands.executeCommand('workbench.view.extension.sagemakerNotebooks');
  });

  beforeEach(() => {
    process.env.AWS_ENDPOINT_URL_SAGEMAKER = endpoint.url;
    useAwsFiles({ config: '[default]\nregion = us-east-1\n', credentials: CREDENTIALS });
    opened = [];
    api.testing.ui.setOpenExternal(async (url) => {
      opened.push(url);
      return true;
    });
    endpoint.resetLog();
  });

  after(async () => {
    delete process.env.AWS_ENDPOINT_URL_SAGEMAKER;
    api.connection.refresh();
    await endpoint.stop();
  });

  describe('Open in AWS Console', () => {
    const instance = (name: string, region: string): { kind: 'instance'; instance: NotebookInstance } => ({
      kind: 'instance',
      instance: { name, region, arn: `arn:aws:sagemaker:${region}:111122223333:notebook-instance/${name}`, status: 'InService' },
    });

    it("opens the instance's page on its partition's console host: commercial, GovCloud and China", async () => {
      for (const [region, host] of [
        ['us-east-1', 'us-east-1.console.aws.amazon.com'],
        ['us-gov-west-1', 'console.amazonaws-us-gov.com'],
        ['cn-north-1', 'console.amazonaws.cn'],
      ]) {
        opened = [];
        await vscode.commands.executeCommand('sagemakerNotebooks.openInConsole', instance('nb-1', region));
        assert.deepStrictEqual(opened, [`https://${host}/sagemaker/home?region=${region}#/notebook-instances/nb-1`], region);
      }
    });

    it("from a region's row, that region's list of instances", async () => {
      await vscode.commands.executeCommand('sagemakerNotebooks.openInConsole', { kind: 'region', region: 'cn-northwest-1' });
      assert.deepStrictEqual(opened, ['https://console.amazonaws.cn/sagemaker/home?region=cn-northwest-1#/notebook-instances']);
    });
  });

  describe('Sign In with AWS SSO', () => {
    let bin: string;

    afterEach(async () => {
      for (const t of vscode.window.terminals) if (t.name.startsWith('AWS SSO login')) t.dispose();
      await vscode.workspace.getConfiguration('terminal.integrated').update('env.linux', undefined, vscode.ConfigurationTarget.Global);
      fs.rmSync(bin, { recursive: true, force: true });
    });

    it('runs `aws sso login --profile <profile>` in a terminal named for it', async () => {
      // An `aws` first on the terminal's PATH that writes down how it was called.
      bin = fs.mkdtempSync(path.join(os.tmpdir(), 'smn-aws-cli-'));
      const calls = path.join(bin, 'calls');
      fs.writeFileSync(path.join(bin, 'aws'), `#!/bin/sh\necho "$@" >> '${calls}'\n`, { mode: 0o755 });
      await vscode.workspace
        .getConfiguration('terminal.integrated')
        .update('env.linux', { PATH: `${bin}:\${env:PATH}` }, vscode.ConfigurationTarget.Global);

      const terminalOpened = new Promise<vscode.Terminal>((resolve) => {
        const d = vscode.window.onDidOpenTerminal((t) => {
          d.dispose();
          resolve(t);
        });
      });
      await vscode.commands.executeCommand('sagemakerNotebooks.ssoLogin');
      const terminal = await terminalOpened;
      assert.strictEqual(terminal.name, 'AWS SSO login (default)');
      const text = await waitFor(
        'the aws command to run in the terminal',
        () => fs.existsSync(calls) && fs.readFileSync(calls, 'utf8'),
        20_000,
      );
      assert.strictEqual(text, 'sso login --profile default\n');
    });
  });

  describe('Open AWS Config File', () => {
    afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

    it('opens the file AWS_CONFIG_FILE names', async () => {
      const files = useAwsFiles({ config: '[default]\nregion = eu-west-1\n', credentials: CREDENTIALS });
      await vscode.commands.executeCommand('sagemakerNotebooks.openConfigFile');
      const editor = vscode.window.activeTextEditor;
      assert.strictEqual(editor?.document.uri.fsPath, files.config);
      assert.strictEqual(editor.document.getText(), '[default]\nregion = eu-west-1\n', 'left as it was');
    });

    it('creates it with a default profile when there is none', async () => {
      const files = useAwsFiles({});
      process.env.AWS_CONFIG_FILE = path.join(files.dir, 'nested', 'config');
      await vscode.commands.executeCommand('sagemakerNotebooks.openConfigFile');
      assert.strictEqual(vscode.window.activeTextEditor?.document.uri.fsPath, process.env.AWS_CONFIG_FILE);
      assert.strictEqual(fs.readFileSync(process.env.AWS_CONFIG_FILE, 'utf8'), '[default]\nregion = us-east-1\n');
    });
  });

  it("Show Log shows the extension's log channel", async () => {
    await vscode.commands.executeCommand('workbench.action.closePanel');
    const shown = () =>
      vscode.window.visibleTextEditors.find(
        (e) => e.document.uri.scheme === 'output' && /SageMaker Notebooks/.test(decodeURIComponent(e.document.uri.toString())),
      );
    assert.strictEqual(shown(), undefined, 'not shown before');
    await vscode.commands.executeCommand('sagemakerNotebooks.showLog');
    const editor = await waitFor('the log channel in the Output view', shown);
    assert.match(editor.document.getText(), /Using profile "default"/);
  });

  it('a profile with no region and no regions setting shows the no-region state and lists nothing', async () => {
    for (const v of ['AWS_REGION', 'AWS_DEFAULT_REGION']) assert.strictEqual(process.env[v], undefined, `${v} is not set for the tests`);
    useAwsFiles({ config: '[default]\noutput = json\n', credentials: CREDENTIALS });
    api.connection.refresh();
    assert.deepStrictEqual(await treeLabels(api), []);
    assert.strictEqual(api.connection.state.kind, 'noRegion');
    assert.strictEqual(api.connection.state.message, 'Profile "default" has no region. Choose the regions to list.');
    assert.strictEqual(endpoint.count(), 0, 'no SageMaker call without a region');

    await settings().update('regionsByProfile', { default: ['us-east-1'] }, vscode.ConfigurationTarget.Global);
    try {
      assert.deepStrictEqual(
        await waitFor('the instances', async () => {
          const l = await treeLabels(api);
          return l.length ? l : undefined;
        }),
        ['here'],
      );
    } finally {
      await settings().update('regionsByProfile', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it("a profile's endpoint_url is where the SDK sends its requests", async () => {
    delete process.env.AWS_ENDPOINT_URL_SAGEMAKER;
    useAwsFiles({ config: `[default]\nregion = us-east-1\nendpoint_url = ${endpoint.url}\n`, credentials: CREDENTIALS });
    api.connection.refresh();
    assert.deepStrictEqual(await treeLabels(api), ['here']);
    assert.ok(endpoint.count('ListNotebookInstances') >= 1);
  });
});
