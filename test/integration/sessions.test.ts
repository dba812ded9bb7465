import * as assert from 'assert';
import * as vscode from 'vscode';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startLocalSageMaker, type LocalSageMaker } from '../endpoint/server';
import { credentialsFor, extensionApi, instanceRow, releaseEndpoint, useAwsFiles, waitFor, type ExtensionApi } from './fixtures';

const settings = () => vscode.workspace.getConfiguration('sagemakerNotebooks');

describe('Session timer', function () {
  this.timeout(60_000);
  let endpoint: LocalSageMaker;
  let api: ExtensionApi;
  let opened: string[];

  before(async () => {
    endpoint = await startLocalSageMaker({ transitionMs: 800, seed: [{ name: 'timed' }, { name: 'other' }] });
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
    api.testing.ui.setConfirm(async () => true);
  });

  beforeEach(async () => {
    opened = [];
    for (const s of api.sessions.sessions()) await api.sessions.stopTracking(s);
    endpoint.resetLog();
  });

  afterEach(async () => {
    await settings().update('sessionDurationMinutes', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('expiryWarningMinutes', undefined, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await releaseEndpoint(api, endpoint);
  });

  it('is hidden without sessions and shows the session after an open', async () => {
    assert.strictEqual(api.sessions.view.visible, false);
    await vscode.commands.executeCommand('sagemakerNotebooks.open', await instanceRow(api, 'timed'));
    const view = api.sessions.view;
    assert.strictEqual(
      view.visible,
      true,
      `shown: ${JSON.stringify(api.testing.ui.shownMessages())}; opened: ${opened.length}; state ${api.testing.globalStateJson()} ${JSON.stringify(api.sessions.sessions())} ${Date.now()}`,
    );
    assert.match(view.text, /^\$\(watch\) timed (12h 0m|11h 59m)$/);
    assert.match(view.tooltip, /timed/);
    assert.match(view.tooltip, /in the browser/);
    assert.strictEqual(view.background, undefined);
  });

  it('shows the session that ends soonest and counts the others', async () => {
    await vscode.commands.executeCommand('sagemakerNotebooks.open', await instanceRow(api, 'timed'));
    await settings().update('sessionDurationMinutes', 30, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('sagemakerNotebooks.open', await instanceRow(api, 'other'));
    assert.match(api.sessions.view.text, /^\$\(watch\) other (30m|29m) \+1$/);
    await settings().update('sessionDurationMinutes', undefined, vscode.ConfigurationTarget.Global);
  });

  it('renew mints one new URL and restarts the countdown at full length', async () => {
    await settings().update('sessionDurationMinutes', 30, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('sagemakerNotebooks.open', await instanceRow(api, 'timed'));
    const before = api.sessions.sessions()[0];
    await settings().update('sessionDurationMinutes', 120, vscode.ConfigurationTarget.Global);
    endpoint.resetLog();
    await vscode.commands.executeCommand('sagemakerNotebooks.renewSession', before);
    assert.strictEqual(endpoint.count('CreatePresignedNotebookInstanceUrl'), 1);
    assert.strictEqual(endpoint.count(), 1);
    const after = api.sessions.sessions();
    assert.strictEqual(after.length, 1, 'the renewed session replaces the old one');
    assert.ok(after[0].expiresAt > before.expiresAt);
    assert.match(api.sessions.view.text, /timed (2h 0m|1h 59m)$/);
    assert.strictEqual(opened.length, 2);
    await settings().update('sessionDurationMinutes', undefined, vscode.ConfigurationTarget.Global);
  });

  it('warns at once when sessions last 30 minutes and the warning comes 60 before the end; a renewal is back to normal', async () => {
    await settings().update('sessionDurationMinutes', 30, vscode.ConfigurationTarget.Global);
    await settings().update('expiryWarningMinutes', 60, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('sagemakerNotebooks.open', await instanceRow(api, 'timed'));
    assert.match(api.sessions.view.text, /^\$\(warning\) timed (30m|29m)$/);
    assert.strictEqual(api.sessions.view.background, 'statusBarItem.warningBackground');

    await settings().update('sessionDurationMinutes', 120, vscode.ConfigurationTarget.Global);
    endpoint.resetLog();
    await vscode.commands.executeCommand('sagemakerNotebooks.renewSession', api.sessions.sessions()[0]);
    assert.strictEqual(endpoint.count('CreatePresignedNotebookInstanceUrl'), 1);
    assert.match(api.sessions.view.text, /^\$\(watch\) timed (2h 0m|1h 59m)$/, 'a full new session, past the warning threshold');
    assert.strictEqual(api.sessions.view.background, undefined);
  });

  it('at its end the item turns red and says ended, the list keeps it, and Renew starts a full session', async () => {
    await vscode.commands.executeCommand('sagemakerNotebooks.open', await instanceRow(api, 'timed'));
    const [open] = api.sessions.sessions();
    // The same session, seen by the extension as ending in a moment (sessions are 30 minutes at least).
    await api.sessions.started({ ...open, expiresAt: Date.now() + 700 });
    assert.strictEqual(api.sessions.view.background, 'statusBarItem.warningBackground');
    await waitFor('the session to end', () => api.sessions.view.background === 'statusBarItem.errorBackground');
    assert.strictEqual(api.sessions.view.text, '$(error) timed ended');
    assert.strictEqual(api.sessions.view.visible, true);
    assert.strictEqual(api.sessions.timeLeft(open.arn), 'Session ended');
    const [ended] = api.sessions.sessions();
    assert.strictEqual(ended.arn, open.arn, 'the ended session stays in the list, to renew');

    endpoint.resetLog();
    await vscode.commands.executeCommand('sagemakerNotebooks.renewSession', ended);
    assert.strictEqual(endpoint.count('CreatePresignedNotebookInstanceUrl'), 1);
    assert.match(api.sessions.view.text, /^\$\(watch\) timed (12h 0m|11h 59m)$/);
    assert.strictEqual(api.sessions.view.background, undefined);
    assert.strictEqual(api.sessions.sessions().length, 1, 'the ended entry gave way to the new session');
  });

  it('ends the session when the tree sees the instance stop', async () => {
    await vscode.commands.executeCommand('sagemakerNotebooks.open', await instanceRow(api, 'timed'));
    assert.strictEqual(api.sessions.sessions().length, 1);
    await vscode.commands.executeCommand('sagemakerNotebooks.stop', await instanceRow(api, 'timed'));
    await waitFor('the session to end', () => api.sessions.sessions().length === 0);
    assert.strictEqual(api.sessions.view.visible, false);
    // Let the endpoint finish Stopping -> Stopped first, or its timer would stop the instance again later.
    await waitFor('the instance to stop', () => endpoint.getInstance('timed')?.status === 'Stopped');
    endpoint.setStatus('timed', 'InService');
    api.connection.refresh();
  });

  it('globalState holds the session but no URL, token or credential', async () => {
    await vscode.commands.executeCommand('sagemakerNotebooks.open', await instanceRow(api, 'timed'));
    const stored = api.testing.globalStateJson();
    assert.match(stored, /timed/);
    const token = new URL(opened[0]).searchParams.get('authToken')!;
    assert.ok(token.length > 10);
    for (const secret of [token, opened[0], encodeURIComponent(token), 'authToken', DEFAULT_SECRET_ACCESS_KEY, DEFAULT_ACCESS_KEY_ID]) {
      assert.ok(!stored.includes(secret), `globalState contains ${secret.slice(0, 12)}…`);
    }
  });
});
