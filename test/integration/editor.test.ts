import * as assert from 'assert';
import * as vscode from 'vscode';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startLocalSageMaker, type LocalSageMaker } from '../endpoint/server';
import { credentialsFor, extensionApi, instanceRow, releaseEndpoint, useAwsFiles, waitFor, type ExtensionApi } from './fixtures';

async function refused(origin: string): Promise<boolean> {
  try {
    await fetch(`${origin}/`);
    return false;
  } catch {
    return true;
  }
}

describe('Open in VS Code', function () {
  this.timeout(60_000);
  let endpoint: LocalSageMaker;
  let api: ExtensionApi;

  before(async () => {
    endpoint = await startLocalSageMaker({ seed: [{ name: 'in-editor' }] });
    process.env.AWS_ENDPOINT_URL_SAGEMAKER = endpoint.url;
    useAwsFiles({
      config: '[default]\nregion = us-east-1\n',
      credentials: credentialsFor({ default: { key: DEFAULT_ACCESS_KEY_ID, secret: DEFAULT_SECRET_ACCESS_KEY } }),
    });
    api = await extensionApi();
    api.connection.refresh();
    api.testing.ui.setOpenExternal(async () => assert.fail('nothing may go to the external browser'));
  });

  after(() => releaseEndpoint(api, endpoint));

  it('shows the notebook in a panel through a loopback proxy that signed in with the token', async () => {
    const { instance } = await instanceRow(api, 'in-editor');
    await vscode.commands.executeCommand('sagemakerNotebooks.openInEditor', { kind: 'instance', instance });
    const state = api.panels.inspect(instance.arn);
    assert.ok(state, 'a panel is open');
    assert.match(state.address, /^http:\/\/127\.0\.0\.1:\d+$/);
    // code-server forwards ports under /proxy/<port>/ here, where Jupyter cannot live: the proxy's secret host
    // on this machine is framed. (test/ui/editor.ui.test.ts runs code-server with forwarding by domain.)
    assert.strictEqual(state.frameOrigin, `http://${/[0-9a-f]{40}/.exec(state.html)?.[0]}.localhost:${new URL(state.address).port}`);
    assert.ok(
      endpoint.gatewayVisits.some((v) => v.outcome === 'token-accepted'),
      'the proxy used the token',
    );
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(state.html)?.[1].replace(/&#39;/g, "'");
    assert.ok(csp?.startsWith(`default-src 'none'; frame-src ${state.frameOrigin}; script-src 'nonce-`), csp);
    assert.doesNotMatch(state.html, /authToken/, 'the webview never sees the token');
    const noSecret = await fetch(`${state.address}/lab`);
    assert.strictEqual(noSecret.status, 403, 'the proxy answers nothing at its plain address, only at its secret host');
    assert.strictEqual(api.sessions.sessions()[0]?.target, 'editor');
  });

  it('closing the panel closes the proxy', async () => {
    const { instance } = await instanceRow(api, 'in-editor');
    const origin = api.panels.inspect(instance.arn)!.address;
    api.panels.close(instance.arn);
    assert.strictEqual(api.panels.inspect(instance.arn), undefined);
    await waitFor('the proxy to refuse connections', () => refused(origin));
  });

  it('the end of a session closes its panel', async () => {
    const { instance } = await instanceRow(api, 'in-editor');
    await vscode.commands.executeCommand('sagemakerNotebooks.openInEditor', { kind: 'instance', instance });
    const origin = api.panels.inspect(instance.arn)!.address;
    await api.sessions.stopTracking(api.sessions.sessions()[0]);
    assert.strictEqual(api.panels.inspect(instance.arn), undefined);
    await waitFor('the proxy to refuse connections', () => refused(origin));
  });

  it('Integrated Browser: used where VS Code has it, else a VS Code tab', async () => {
    const { instance } = await instanceRow(api, 'in-editor');
    const has = (await vscode.commands.getCommands(true)).includes('workbench.action.browser.open');
    await vscode.commands.executeCommand('sagemakerNotebooks.openInIntegratedBrowser', { kind: 'instance', instance });
    const session = api.sessions.sessions().find((s) => s.arn === instance.arn);
    assert.strictEqual(session?.target, has ? 'integratedBrowser' : 'editor');
    assert.strictEqual(!!api.panels.inspect(instance.arn), !has);
    api.panels.close(instance.arn);
  });
});
