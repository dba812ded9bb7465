// Runs last (files run in name order), while sessions of its own are live (one in the browser, one in a
// VS Code tab): reads everything the extension shows or wrote during the whole suite, with the log at trace
// (index.ts), and fails if any form of any secret is in it: presigned-URL tokens, the notebook's session
// cookies, the in-editor proxy's host name and access secret, the test keys, session and SSO tokens.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_SECRET_ACCESS_KEY,
  TEAM_SECRET_ACCESS_KEY,
  issuedSecrets,
  startLocalSageMaker,
  type LocalSageMaker,
} from '../endpoint/server';
import type { ExplorerNode } from '../../src/notebooks/instancesTree';
import { filePlaces, filesBelow, findLeaks, presignedUrls, withoutVsCodeProxyLog, type Place, type Secret } from '../support/leakScan';
import { TEST_SECRETS, extensionApi, instanceRow, releaseEndpoint, useAwsFiles, waitFor, type ExtensionApi } from './fixtures';

/** Label, description and tooltip of every row, walking region rows. */
async function treeTexts(api: ExtensionApi, parent?: ExplorerNode): Promise<string[]> {
  const texts: string[] = [];
  for (const node of await api.tree.getChildren(parent)) {
    const item = api.tree.getTreeItem(node);
    const tooltip = typeof item.tooltip === 'string' ? item.tooltip : item.tooltip?.value;
    const label = typeof item.label === 'string' ? item.label : item.label?.label;
    texts.push(...[label, typeof item.description === 'string' ? item.description : undefined, tooltip].filter((t): t is string => !!t));
    if (node.kind === 'region') texts.push(...(await treeTexts(api, node)));
  }
  return texts;
}

/** Everything code-server keeps for this window: user data (settings, storage, logs) and its home and XDG folders. */
function storageFolders(api: ExtensionApi): { dirs: string[]; except: string[] } {
  const userData = api.testing.userDataDir();
  const root = path.dirname(userData);
  const workspaces = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
  // code-server as scripts/vscode/codeServer.mjs starts it: one private root. Its tmp folder is left out: the
  // tests write their AWS files (with the test keys) there on purpose.
  const codeServer =
    path.basename(userData) === 'user-data' ? ['home', 'xdg-config', 'xdg-data', 'xdg-cache'].map((d) => path.join(root, d)) : [];
  return { dirs: [userData, ...workspaces, ...codeServer], except: [path.join(root, 'tmp')] };
}

describe('Nothing leaks', function () {
  this.timeout(60_000);
  let endpoint: LocalSageMaker;
  let api: ExtensionApi;

  before(async () => {
    endpoint = await startLocalSageMaker({ seed: [{ name: 'leak-browser' }, { name: 'leak-editor' }] });
    process.env.AWS_ENDPOINT_URL_SAGEMAKER = endpoint.url;
    useAwsFiles({
      config: '[default]\nregion = us-east-1\n',
      credentials: `[default]\naws_access_key_id = ${DEFAULT_ACCESS_KEY_ID}\naws_secret_access_key = ${DEFAULT_SECRET_ACCESS_KEY}\naws_session_token = ${TEST_SECRETS.sessionToken}\n`,
    });
    api = await extensionApi();
    api.connection.refresh();
  });

  after(async () => {
    for (const s of api.sessions.sessions()) api.panels.close(s.arn);
    await releaseEndpoint(api, endpoint);
  });

  it('no form of any secret in messages, quick picks, prompts, progress, status bar, tree, webview, logs, settings, globalState or storage', async () => {
    // Live sessions: the browser's (its URL visited as a browser would, which issues a session cookie) and a tab's.
    const opened: string[] = [];
    api.testing.ui.setOpenExternal(async (url) => {
      opened.push(url);
      assert.strictEqual((await fetch(url, { redirect: 'manual' })).status, 302, 'the gateway took the token');
      return true;
    });
    await vscode.commands.executeCommand('sagemakerNotebooks.openInBrowser', await instanceRow(api, 'leak-browser'));
    const editor = await instanceRow(api, 'leak-editor');
    await vscode.commands.executeCommand('sagemakerNotebooks.openInEditor', editor);
    assert.deepStrictEqual(api.testing.ui.takeCommandErrors(), [], 'both opened');
    assert.strictEqual(opened.length, 1, 'the browser got its URL');
    const panel = api.panels.inspect(editor.instance.arn);
    assert.ok(panel, 'the tab is open');
    assert.deepStrictEqual(
      api.sessions
        .sessions()
        .map((s) => `${s.name} ${s.target}`)
        .sort(),
      ['leak-browser browser', 'leak-editor editor'],
      'both sessions are live',
    );
    const proxySecrets = [...new Set(panel.html.match(/[0-9a-f]{40}/g) ?? [])];
    assert.strictEqual(proxySecrets.length, 2, "the tab's entry URL holds the proxy's host name label and its access secret");

    assert.strictEqual(api.testing.logLevel(), vscode.LogLevel.Trace, 'the log is at trace for this run');
    const logs = await waitFor("the log to hold this test's open and a debug line", () => {
      const files = filesBelow(api.testing.logsRoot());
      const ours = files.find((f) => /SageMaker Notebooks/.test(path.basename(f)));
      const text = ours ? fs.readFileSync(ours, 'utf8') : '';
      return /Opened us-east-1\/leak-editor/.test(text) && /\[debug\] ListNotebookInstances/.test(text) ? files : undefined;
    });

    const secrets: Secret[] = [
      ...issuedSecrets.map((value, i) => ({ name: `token, session cookie or STS key issued #${i}`, value })),
      ...proxySecrets.map((value, i) => ({ name: `in-editor proxy secret #${i}`, value })),
      { name: 'default secret key', value: DEFAULT_SECRET_ACCESS_KEY },
      { name: 'team secret key', value: TEAM_SECRET_ACCESS_KEY },
      ...Object.entries(TEST_SECRETS).map(([name, value]) => ({ name, value })),
    ];
    assert.ok(
      issuedSecrets.length >= 3,
      `this test's token and the two sessions it opened are among the secrets (${issuedSecrets.length})`,
    );

    const shown = api.testing.ui.texts();
    assert.ok(
      shown.some((t) => t.startsWith('$(watch) ')),
      'the session timer is among the texts read',
    );
    assert.ok(
      shown.some((t) => t.startsWith('Opening leak-editor')),
      'progress titles are among the texts read',
    );
    const tree = await treeTexts(api);
    assert.ok(tree.includes('leak-browser'), 'the tree is among the texts read');
    const { dirs, except } = storageFolders(api);
    const files = [...new Set([...logs, ...dirs.flatMap((d) => filesBelow(d, except))])];
    assert.ok(
      files.some((f) => path.basename(f) === 'settings.json' && f.includes(`${path.sep}User${path.sep}`)),
      'the user settings file is read',
    );
    // (globalState itself is kept by the browser in code-server, so it is read above as the extension holds it.)
    assert.ok(
      files.some((f) => f.includes(`${path.sep}workspaceStorage${path.sep}`)),
      "code-server's storage folders are read",
    );

    const places: Place[] = [
      { where: 'shown (messages, questions, quick picks, input boxes, progress, status bar)', text: shown.join('\n') },
      { where: 'tree rows', text: tree.join('\n') },
      // The page of the tab holds its own proxy's address; anything else in it is a leak.
      { where: 'webview of the open tab', text: panel.html, allowed: proxySecrets },
      { where: 'globalState', text: api.testing.globalStateJson() },
      // VS Code's own debug lines of the URLs its proxy support resolves are left out: see withoutVsCodeProxyLog.
      ...filePlaces(files).map((p) => ({ ...p, text: withoutVsCodeProxyLog(p.text) })),
    ];
    const leaks = findLeaks(places, secrets);
    assert.deepStrictEqual(leaks, []);
    assert.deepStrictEqual(presignedUrls(places), [], 'no presigned URL with its token');
  });
});
