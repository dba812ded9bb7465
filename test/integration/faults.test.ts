// The fault matrix: each fault gives a clear message (or is hidden by the SDK's retries where it should be),
// and the tree and commands work again once the fault is gone. Leaks are checked in zz-leaks.test.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startLocalSageMaker, type LocalSageMaker } from '../endpoint/server';
import {
  credentialsFor,
  extensionApi,
  listedInstance,
  releaseEndpoint,
  treeLabels,
  useAwsFiles,
  waitFor,
  type ExtensionApi,
} from './fixtures';

const settings = () => vscode.workspace.getConfiguration('sagemakerNotebooks');
const KEYS = credentialsFor({ default: { key: DEFAULT_ACCESS_KEY_ID, secret: DEFAULT_SECRET_ACCESS_KEY } });

describe('Fault matrix', function () {
  this.timeout(60_000);
  let endpoint: LocalSageMaker;
  let api: ExtensionApi;
  let opened: string[];

  const settle = async () => {
    api.connection.refresh();
    return treeLabels(api);
  };
  const instance = (name: string) => listedInstance(api, name);
  /** Every log file of the window, once the extension's own holds `expected` (lines reach the disk a moment later). */
  const logsOnceOursHolds = (expected: string) =>
    waitFor(`the extension's log to hold "${expected}"`, () => {
      const files = fs
        .readdirSync(api.testing.logsRoot(), { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
      const ours = files.find((f) => /SageMaker Notebooks/.test(path.basename(f)));
      return ours && fs.readFileSync(ours, 'utf8').includes(expected) ? files.map((f) => fs.readFileSync(f, 'utf8')).join('\n') : undefined;
    });

  before(async () => {
    endpoint = await startLocalSageMaker({
      transitionMs: 1000,
      seed: [{ name: 'nb-a' }, { name: 'nb-b' }, { name: 'nb-off', status: 'Stopped' }],
    });
    process.env.AWS_ENDPOINT_URL_SAGEMAKER = endpoint.url;
    process.env.AWS_ENDPOINT_URL_STS = endpoint.url; // an assumed role must never reach AWS's real STS
    api = await extensionApi();
    api.testing.ui.setOpenExternal(async (url) => {
      opened.push(url);
      return true;
    });
    api.testing.ui.setConfirm(async () => true);
  });

  beforeEach(() => {
    opened = [];
    useAwsFiles({ config: '[default]\nregion = us-east-1\n', credentials: KEYS });
    endpoint.clearFaults();
    endpoint.rewriteAuthorizedUrls(undefined);
    endpoint.resetLog();
  });

  after(async () => {
    for (const key of ['profile', 'regions', 'sessionDurationMinutes', 'endpoint'])
      await settings().update(key, undefined, vscode.ConfigurationTarget.Global);
    delete process.env.AWS_ENDPOINT_URL_STS;
    await releaseEndpoint(api, endpoint);
  });

  it('throttling on List, Describe and Presign is retried by the SDK and never shown', async () => {
    endpoint.inject('ListNotebookInstances', { error: 'ThrottlingException', times: 1 });
    assert.deepStrictEqual(await settle(), ['nb-a', 'nb-b', 'nb-off']);
    endpoint.inject('CreatePresignedNotebookInstanceUrl', { error: 'ThrottlingException', times: 1 });
    endpoint.inject('DescribeNotebookInstance', { error: 'ThrottlingException', times: 1 });
    await api.opener.open(await instance('nb-off')); // Describe while waiting for the start, then Presign
    assert.strictEqual(opened.length, 1);
    assert.strictEqual(endpoint.requests.filter((r) => r.statusCode === 400).length, 3, 'each throttled once');
    endpoint.setStatus('nb-off', 'Stopped');
  });

  it('HTTP 503 with an HTML body: retried, then a clear error row, not a parser message', async () => {
    endpoint.inject('ListNotebookInstances', { error: 'http503' });
    const [label] = await settle();
    assert.match(label, /SageMaker answered with an error \(HTTP 503\)/);
    assert.doesNotMatch(label, /token|JSON|Deserialization/i);
    assert.ok(endpoint.count('ListNotebookInstances') >= 2, 'the SDK retried');
    endpoint.clearFaults();
    assert.deepStrictEqual(await settle(), ['nb-a', 'nb-b', 'nb-off']);
  });

  it('AccessDenied on Start names the action and the instance', async () => {
    endpoint.inject('StartNotebookInstance', { error: 'AccessDeniedException', times: 1 });
    await assert.rejects(
      api.opener.startInstance(await instance('nb-off')),
      /Could not start nb-off: Access denied for sagemaker:StartNotebookInstance/,
    );
  });

  it('a refused start (ResourceLimitExceeded) says to stop another instance or raise the quota', async () => {
    endpoint.inject('StartNotebookInstance', { error: 'ResourceLimitExceeded', times: 1 });
    await assert.rejects(api.opener.startInstance(await instance('nb-off')), /Could not start nb-off: .*quota increase/);
    assert.strictEqual((await instance('nb-off')).status, 'Stopped', 'the tree does not pretend it started');
  });

  it('a profile without any credentials says so, and works once keys are added', async () => {
    const files = useAwsFiles({ config: '[default]\nregion = us-east-1\n', credentials: '' });
    assert.deepStrictEqual(await settle(), []);
    assert.strictEqual(api.connection.state.kind, 'noCredentials');
    assert.match(api.connection.state.message ?? '', /has no credentials/);
    require('fs').writeFileSync(files.credentials, KEYS);
    assert.deepStrictEqual(await settle(), ['nb-a', 'nb-b', 'nb-off']);
  });

  it('a credential_process that fails or prints garbage gives the no-credentials state', async () => {
    for (const command of ['/bin/false', '/bin/echo this-is-not-json']) {
      useAwsFiles({ config: `[default]\nregion = us-east-1\ncredential_process = ${command}\n`, credentials: '' });
      assert.deepStrictEqual(await settle(), [], command);
      assert.strictEqual(api.connection.state.kind, 'noCredentials', command);
    }
    assert.strictEqual(endpoint.count(), 0, 'nothing was sent without credentials');
  });

  it('a failing credential_process shows neither its command line nor its output: view, messages, log', async () => {
    // One token only on the command line, one only in what the command prints to stderr.
    const [onCommandLine, onStderr] = ['vault-token-cmdline-7c1e40', 'vault-token-from-stderr-9f3a52'];
    useAwsFiles({
      config: `[default]\nregion = us-east-1\ncredential_process = sh -c 'echo "vault-token-from-$1" >&2; exit 3' sh stderr-9f3a52 --token=${onCommandLine}\n`,
      credentials: '',
    });
    assert.deepStrictEqual(await settle(), []);
    assert.strictEqual(api.connection.state.kind, 'noCredentials');
    // A command reaches the same failure through the SageMaker client's own call for credentials.
    const stopped = {
      name: 'nb-off',
      arn: 'arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/nb-off',
      region: 'us-east-1',
      status: 'Stopped',
    };
    await vscode.commands.executeCommand('sagemakerNotebooks.start', { kind: 'instance', instance: stopped });
    const errors = api.testing.ui.takeCommandErrors();
    assert.deepStrictEqual(
      errors.map((e) => e.command),
      ['sagemakerNotebooks.start'],
    );
    const shown = api.testing.ui.texts().join('\n');
    const places = [
      ['tree state', JSON.stringify(api.connection.state)],
      ['messages shown', shown],
      ['logs', await logsOnceOursHolds('start us-east-1/nb-off failed')],
    ];
    const found = places.flatMap(([where, text]) =>
      [onCommandLine, onStderr, 'sh -c'].filter((s) => text.includes(s)).map((s) => `${where}: ${s}`),
    );
    assert.deepStrictEqual(found, []);
    assert.strictEqual(
      api.connection.state.message,
      'The credential_process of profile "default" failed. Run its command in a terminal to see its output.',
    );
    assert.match(errors[0].message, /Could not start nb-off: The credential_process of profile "default" failed\./);
    assert.strictEqual(endpoint.count(), 0, 'nothing was sent without credentials');
  });

  it('an unreadable config line holding a secret is named by file and line number only: view, log', async () => {
    const secret = 'wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY';
    const files = useAwsFiles({ config: `[default]\nregion = us-east-1\naws_secret_access_key: ${secret}\n`, credentials: KEYS });
    await settings().update('profile', 'work', vscode.ConfigurationTarget.Global);
    try {
      assert.deepStrictEqual(await settle(), []);
      assert.strictEqual(api.connection.state.kind, 'malformedConfig');
      const message = api.connection.state.message ?? '';
      const places = [
        ['tree state', message],
        ['logs', await logsOnceOursHolds(message)],
      ];
      assert.deepStrictEqual(
        places.filter(([, text]) => text.includes(secret.slice(0, 8))).map(([where]) => where),
        [],
        'no part of the secret',
      );
      assert.strictEqual(message, `${files.config} cannot be read at line 3, so profile "work" was not found. Fix the file, then retry.`);
    } finally {
      // The extension refreshes on the change; that listing must be over before the next test counts requests.
      const seen = new Promise<void>((resolve) => {
        const listener = vscode.workspace.onDidChangeConfiguration(
          (e) => e.affectsConfiguration('sagemakerNotebooks.profile') && (listener.dispose(), resolve()),
        );
      });
      await settings().update('profile', undefined, vscode.ConfigurationTarget.Global);
      await seen;
      await treeLabels(api);
    }
  });

  it('a cancelled MFA prompt gives a state that asks again on retry', async () => {
    useAwsFiles({
      config:
        '[default]\nregion = us-east-1\n\n[profile admin]\nrole_arn = arn:aws:iam::111122223333:role/Admin\nsource_profile = default\nmfa_serial = arn:aws:iam::111122223333:mfa/me\nregion = us-east-1\n',
      credentials: KEYS,
    });
    await settings().update('profile', 'admin', vscode.ConfigurationTarget.Global);
    try {
      api.connection.refresh();
      const listing = treeLabels(api);
      let done = false;
      void listing.finally(() => (done = true));
      await waitFor('the MFA prompt to be cancelled', async () => {
        await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
        return done;
      });
      assert.deepStrictEqual(await listing, []);
      assert.strictEqual(api.connection.state.kind, 'mfaCancelled');
      assert.strictEqual(endpoint.count(), 0);
    } finally {
      await settings().update('profile', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a triple click opens once, and Open during a start-and-open joins it', async () => {
    const a = await instance('nb-a');
    await Promise.all([api.opener.open(a), api.opener.open(a), api.opener.open(a)]);
    assert.strictEqual(opened.length, 1);
    const off = await instance('nb-off');
    // The second Open comes once the first has started the instance, while it waits for InService.
    const first = api.opener.open(off);
    await waitFor('the first Open to start nb-off', () => endpoint.count('StartNotebookInstance') === 1 || undefined);
    await Promise.all([first, api.opener.open(off)]);
    assert.strictEqual(endpoint.count('StartNotebookInstance'), 1);
    assert.strictEqual(endpoint.count('CreatePresignedNotebookInstanceUrl'), 2);
    assert.strictEqual(opened.length, 2);
    endpoint.setStatus('nb-off', 'Stopped');
  });

  it('wrongly typed and unusable settings are reported and ignored', async () => {
    await settings().update('regions', 'us-east-1', vscode.ConfigurationTarget.Global);
    await settings().update('endpoint', 'http://sagemaker.example.com', vscode.ConfigurationTarget.Global);
    await settings().update('sessionDurationMinutes', 'sixty', vscode.ConfigurationTarget.Global);
    try {
      assert.deepStrictEqual(await settle(), ['nb-a', 'nb-b', 'nb-off'], 'the profile region and the SDK endpoint are used');
      await api.opener.open(await instance('nb-a'));
      assert.strictEqual(endpoint.requests.at(-1)?.input?.SessionExpirationDurationInSeconds, 43200);
      const shown = api.testing.ui.shownMessages().join('\n');
      assert.match(shown, /sagemakerNotebooks\.regions must be a list/);
      assert.match(shown, /sagemakerNotebooks\.endpoint must be an https URL/);
      assert.match(shown, /sagemakerNotebooks\.sessionDurationMinutes must be a number/);
    } finally {
      for (const key of ['regions', 'endpoint', 'sessionDurationMinutes'])
        await settings().update(key, undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a non-https URL or one for another host is refused and never opened', async () => {
    const a = await instance('nb-a');
    endpoint.rewriteAuthorizedUrls((url) => url.replace(/^http:\/\/127\.0\.0\.1:\d+/, 'https://evil.example.com'));
    await assert.rejects(api.opener.open(a), /evil\.example\.com, which is not a SageMaker notebook host/);
    endpoint.rewriteAuthorizedUrls((url) => url.replace(/^http:\/\/127\.0\.0\.1:\d+/, 'http://nb-a.notebook.us-east-1.sagemaker.aws'));
    await assert.rejects(api.opener.open(a), /only https is opened/);
    // WHATWG reads the SageMaker host; an RFC 3986 parser reads evil.example.com.
    endpoint.rewriteAuthorizedUrls((url) =>
      url.replace(/^http:\/\/127\.0\.0\.1:\d+/, 'https://nb-a.notebook.us-east-1.sagemaker.aws\\@evil.example.com'),
    );
    await assert.rejects(api.opener.open(a), /host could be read two ways/);
    assert.deepStrictEqual(opened, []);
  });

  it('hands on the URL rebuilt from its checked parts, the token unchanged', async () => {
    endpoint.rewriteAuthorizedUrls((url) => `${url.replace(/^http:/, 'HTTP:')}#fragment`);
    await api.opener.open(await instance('nb-a'), { target: 'browser' });
    assert.strictEqual(opened.length, 1);
    const [head, token = ''] = opened[0].split('?authToken=');
    assert.match(head, /^http:\/\/127\.0\.0\.1:\d+\/lab$/, 'lower-case scheme, /lab inserted');
    assert.ok(/^[^#]*[+/][^#]*%2B[^#]*=$/.test(token), 'no fragment, and the token still holds its + / %2B = characters');
  });
});
