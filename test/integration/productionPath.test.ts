// The production path in real VS Code, with no endpoint override at all: the SDK calls SageMaker, STS and the
// SSO portal at their real host names over https, presigned URLs are SageMaker's real
// https://<name>.notebook.<region>.sagemaker.aws ones, and VS Code's http.proxy is a TLS-intercepting forward
// proxy that routes those names to the local endpoint and its notebook gateways on 127.0.0.1, with
// certificates from a CA made for this run and trusted only through AWS_CA_BUNDLE or the profile's ca_bundle.
import * as assert from 'assert';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startLocalSageMaker, type LocalSageMaker } from '../endpoint/server';
import { startInterceptingProxy, type InterceptingProxy } from '../endpoint/interceptingProxy';
import { createTestCa, type TestCa } from '../endpoint/testCa';
import {
  credentialsFor,
  extensionApi,
  instanceRow,
  listedInstance,
  releaseEndpoint,
  treeLabels,
  useAwsFiles,
  waitFor,
  type ExtensionApi,
} from './fixtures';

const API_HOST = 'api.sagemaker.us-east-1.amazonaws.com';
const NOTEBOOK_HOST = 'prod-nb.notebook.us-east-1.sagemaker.aws';
const MFA_CODE = '424242';
const PROCESS_KEY = { key: 'AKIALOCALPROCESS0001', secret: 'secretOfTheCredentialProcessOnly' };
const SSO_PRINCIPAL = 'AKIALOCALSSOUSER0001';
const ROLE = 'role_arn = arn:aws:iam::111122223333:role/NotebookUser\nsource_profile = default\nregion = us-east-1\n';
const SSO_SESSION =
  '[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n';
const SSO_PROFILE = '[profile sso]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = NotebookUser\nregion = us-east-1\n';

const settings = () => vscode.workspace.getConfiguration('sagemakerNotebooks');
const http = () => vscode.workspace.getConfiguration('http');

/**
 * Answers the MFA prompt as a person does: the extension's own input box is shown (with its validation),
 * holding `code`, and accepted as Enter would. The extension host gives this test and the extension the same
 * `vscode` API object, so the input box the extension asks for passes here first.
 */
function answerMfaWith(code: string): { prompts: vscode.InputBoxOptions[]; restore(): void } {
  const window = vscode.window as { showInputBox: typeof vscode.window.showInputBox };
  const real = window.showInputBox;
  const prompts: vscode.InputBoxOptions[] = [];
  window.showInputBox = (options, token) => {
    prompts.push(options ?? {});
    let answered = false;
    const shown = real({ ...options, value: code }, token).then((value) => ((answered = true), value));
    void (async () => {
      while (!answered) {
        await new Promise((r) => setTimeout(r, 200));
        if (!answered) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      }
    })();
    return shown;
  };
  return { prompts, restore: () => (window.showInputBox = real) };
}

describe('Production path: real AWS host names through a TLS-intercepting proxy', function () {
  this.timeout(60_000);
  let endpoint: LocalSageMaker;
  let ca: TestCa;
  let proxy: InterceptingProxy;
  let api: ExtensionApi;
  let opened: string[];
  let skewMs = 0;
  const saved = { ...process.env };
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'smn-prod-home-'));

  /** Selects the profile; resolves once the extension has seen the change, with the time it did. */
  const useProfile = async (profile: string | undefined): Promise<number> => {
    const seen = new Promise<void>((resolve) => {
      const listener = vscode.workspace.onDidChangeConfiguration(
        (e) => e.affectsConfiguration('sagemakerNotebooks.profile') && (listener.dispose(), resolve()),
      );
    });
    await settings().update('profile', profile, vscode.ConfigurationTarget.Global);
    await seen;
    const switched = Date.now();
    api.connection.refresh();
    return switched;
  };
  const listed = async () => {
    api.connection.refresh();
    return treeLabels(api);
  };
  /** What `aws sso login` leaves for the sso-session "corp": its access token, until `expiresAt`. */
  const cacheSsoToken = (accessToken: string, expiresAt: Date) => {
    const dir = path.join(home, '.aws', 'sso', 'cache');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${createHash('sha1').update('corp').digest('hex')}.json`);
    fs.writeFileSync(
      file,
      JSON.stringify({ startUrl: 'https://corp.awsapps.com/start', region: 'us-east-1', accessToken, expiresAt: expiresAt.toISOString() }),
    );
  };

  before(async () => {
    endpoint = await startLocalSageMaker({
      awsHostNames: true,
      mfaCode: MFA_CODE,
      clock: () => Date.now() + skewMs,
      accounts: [{ accessKeyId: PROCESS_KEY.key, secretAccessKey: PROCESS_KEY.secret }],
      seed: [
        { name: 'prod-nb' },
        { name: 'prod-other', status: 'Stopped' },
        { name: 'process-nb', accessKeyId: PROCESS_KEY.key },
        { name: 'sso-nb', accessKeyId: SSO_PRINCIPAL },
      ],
    });
    ca = createTestCa();
    proxy = await startInterceptingProxy(ca, (host) => endpoint.route(host));
    for (const key of Object.keys(process.env)) if (/^AWS_ENDPOINT_URL|^AWS_PROFILE$|^HTTPS?_PROXY$/i.test(key)) delete process.env[key];
    process.env.AWS_CA_BUNDLE = ca.certFile;
    process.env.HOME = home; // the SSO token cache (~/.aws/sso/cache) of this test, never the real one
    api = await extensionApi();
    api.testing.ui.setOpenExternal(async (url) => (opened.push(url), true));
    await settings().update('endpoint', undefined, vscode.ConfigurationTarget.Global);
    await http().update('proxy', proxy.url, vscode.ConfigurationTarget.Global);
  });

  beforeEach(async () => {
    await settings().update('profile', undefined, vscode.ConfigurationTarget.Global);
    opened = [];
    skewMs = 0;
    endpoint.setCredentialSeconds(undefined);
    endpoint.resetLog();
    useAwsFiles({
      config: `[default]\nregion = us-east-1\n\n[profile role]\n${ROLE}\n[profile admin]\n${ROLE}mfa_serial = arn:aws:iam::111122223333:mfa/me\n\n${SSO_PROFILE}\n${SSO_SESSION}`,
      credentials: credentialsFor({ default: { key: DEFAULT_ACCESS_KEY_ID, secret: DEFAULT_SECRET_ACCESS_KEY } }),
    });
  });

  after(async () => {
    for (const key of ['proxy', 'proxyStrictSSL', 'proxySupport']) await http().update(key, undefined, vscode.ConfigurationTarget.Global);
    await settings().update('profile', undefined, vscode.ConfigurationTarget.Global);
    for (const key of ['AWS_CA_BUNDLE', 'HOME']) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    await releaseEndpoint(api, endpoint);
    await proxy.close();
    ca.dispose();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it("lists SageMaker at its real https host through the proxy's CONNECT tunnel, trusting the CA by AWS_CA_BUNDLE", async () => {
    for (const support of ['override', 'off']) {
      await http().update('proxySupport', support, vscode.ConfigurationTarget.Global);
      proxy.handshakes.length = 0;
      assert.deepStrictEqual(await listed(), ['prod-nb', 'prod-other'], `${support}: ${JSON.stringify(api.connection.state)}`);
      assert.ok(proxy.handshakes.includes(API_HOST), `${support}: TLS to ${API_HOST} inside the tunnel`);
      assert.ok(
        endpoint.requests.every((r) => r.region === 'us-east-1' && r.statusCode === 200),
        'signed for the region of the host, verified',
      );
    }
    await http().update('proxySupport', undefined, vscode.ConfigurationTarget.Global);
  });

  it('opens the real https notebook URL, checked without the loopback exception, and the gateway signs in with it', async () => {
    await api.opener.open(await listedInstance(api, 'prod-nb'), { target: 'browser' });
    assert.strictEqual(opened.length, 1);
    assert.match(opened[0], /^https:\/\/prod-nb\.notebook\.us-east-1\.sagemaker\.aws\/lab\?authToken=[^&#]+$/);
    // Open in VS Code: the notebook proxy reaches the notebook's real host through the same tunnel and CA.
    const { instance } = await instanceRow(api, 'prod-nb');
    proxy.handshakes.length = 0;
    await vscode.commands.executeCommand('sagemakerNotebooks.openInEditor', { kind: 'instance', instance });
    try {
      assert.ok(api.panels.inspect(instance.arn), 'a panel is open');
      await waitFor('the notebook proxy to sign in', () =>
        endpoint.gatewayVisits.some((v) => v.instance === 'prod-nb' && v.outcome === 'token-accepted'),
      );
      assert.ok(proxy.handshakes.includes(NOTEBOOK_HOST), `TLS to ${NOTEBOOK_HOST} through the proxy; saw ${proxy.handshakes.join(', ')}`);
    } finally {
      api.panels.close(instance.arn);
    }
  });

  // Without the CA the certificate is refused, with a message saying what to do; http.proxyStrictSSL: false
  // accepts it under both proxy support settings (each request carries it, as VS Code's agent, which replaces
  // the extension's under `override`, does not take it from that agent: src/shared/agentTls.ts), for the API
  // and for Open in VS Code's connection to the notebook's own host.
  it("trusts the CA through the profile's ca_bundle; without it the certificate is refused unless http.proxyStrictSSL is off (both proxySupport settings, API and notebook)", async () => {
    delete process.env.AWS_CA_BUNDLE;
    try {
      const files = useAwsFiles({
        config: `[default]\nregion = us-east-1\nca_bundle = ${ca.certFile}\n`,
        credentials: credentialsFor({ default: { key: DEFAULT_ACCESS_KEY_ID, secret: DEFAULT_SECRET_ACCESS_KEY } }),
      });
      assert.deepStrictEqual(await listed(), ['prod-nb', 'prod-other'], JSON.stringify(api.connection.state));

      fs.writeFileSync(files.config, '[default]\nregion = us-east-1\n');
      endpoint.resetLog();
      const rows = await listed();
      assert.strictEqual(rows.length, 1, `an error row, not a listing: ${rows.join(' | ')}`);
      assert.match(
        rows[0],
        /^The TLS certificate of SageMaker in us-east-1 is not trusted \(SELF_SIGNED_CERT_IN_CHAIN\)\. .*AWS_CA_BUNDLE.*http\.proxyStrictSSL/,
        rows[0],
      );
      assert.strictEqual(endpoint.count('ListNotebookInstances'), 0, 'nothing reached SageMaker');

      await http().update('proxyStrictSSL', false, vscode.ConfigurationTarget.Global);
      for (const support of ['override', 'off']) {
        await http().update('proxySupport', support, vscode.ConfigurationTarget.Global);
        assert.deepStrictEqual(await listed(), ['prod-nb', 'prod-other'], `${support}: http.proxyStrictSSL false accepts any certificate`);
        const { instance } = await instanceRow(api, 'prod-nb');
        const signIns = () => endpoint.gatewayVisits.filter((v) => v.instance === 'prod-nb' && v.outcome === 'token-accepted').length;
        const before = signIns();
        await vscode.commands.executeCommand('sagemakerNotebooks.openInEditor', { kind: 'instance', instance });
        try {
          assert.ok(api.panels.inspect(instance.arn), `${support}: a panel is open`);
          await waitFor(
            `${support}: the notebook proxy to sign in at ${NOTEBOOK_HOST}, its certificate unchecked`,
            () => signIns() > before,
          );
        } finally {
          api.panels.close(instance.arn);
        }
      }
    } finally {
      for (const key of ['proxyStrictSSL', 'proxySupport']) await http().update(key, undefined, vscode.ConfigurationTarget.Global);
      process.env.AWS_CA_BUNDLE = ca.certFile;
    }
  });

  it("assumes a role through source_profile at STS's real host, and lists with the role's keys", async () => {
    const switched = await useProfile('role');
    assert.deepStrictEqual(await treeLabels(api), ['prod-nb', 'prod-other'], JSON.stringify(api.connection.state));
    assert.strictEqual(endpoint.count('sts:AssumeRole'), 1);
    assert.ok(
      proxy.handshakes.some((h) => /^sts\.([a-z0-9-]+\.)?amazonaws\.com$/.test(h)),
      `STS through the proxy; saw ${proxy.handshakes.join(', ')}`,
    );
    // A listing the previous test's settings started may still end after the switch: only the role's count.
    const listing = endpoint.requests.filter((r) => r.op === 'ListNotebookInstances' && r.startedAt >= switched);
    assert.ok(listing.length && listing.every((r) => r.accessKeyId?.startsWith('ASIA')), 'listed with the temporary keys of the role');
  });

  it('asks for the MFA code in an input box and assumes the role with it; a wrong code is refused once and the view asks for a new one', async () => {
    let mfa = answerMfaWith(MFA_CODE);
    try {
      await useProfile('admin');
      assert.deepStrictEqual(await treeLabels(api), ['prod-nb', 'prod-other'], JSON.stringify(api.connection.state));
      assert.strictEqual(mfa.prompts.length, 1, 'asked once');
      assert.match(String(mfa.prompts[0].prompt), /arn:aws:iam::111122223333:mfa\/me/);
    } finally {
      mfa.restore();
    }
    mfa = answerMfaWith('000000');
    endpoint.resetLog();
    try {
      assert.deepStrictEqual(await listed(), [], 'no rows: the view asks for a code');
      assert.strictEqual(mfa.prompts.length, 1, 'a refused code is not asked for again at once, nor once per region');
      assert.strictEqual(api.connection.state.kind, 'mfaCancelled', JSON.stringify(api.connection.state));
      assert.strictEqual(
        api.connection.state.message,
        'The MFA code for profile "admin" was not accepted. Enter a new code from your MFA device.',
      );
      assert.strictEqual(endpoint.count('ListNotebookInstances'), 0, 'nothing listed without the role');
    } finally {
      mfa.restore();
    }
  });

  it('uses the keys a credential_process prints', async () => {
    const file = path.join(home, 'process-credentials.json');
    fs.writeFileSync(file, JSON.stringify({ Version: 1, AccessKeyId: PROCESS_KEY.key, SecretAccessKey: PROCESS_KEY.secret }));
    useAwsFiles({ config: `[default]\nregion = us-east-1\ncredential_process = cat ${file}\n`, credentials: '' });
    assert.deepStrictEqual(await listed(), ['process-nb'], JSON.stringify(api.connection.state));
  });

  it("trades a cached SSO token at the portal's real host for role credentials; an expired token asks for aws sso login", async () => {
    cacheSsoToken(endpoint.issueSsoToken({ accessKeyId: SSO_PRINCIPAL }), new Date(Date.now() + 3600_000));
    await useProfile('sso');
    assert.deepStrictEqual(await treeLabels(api), ['sso-nb'], JSON.stringify(api.connection.state));
    assert.strictEqual(endpoint.count('sso:GetRoleCredentials'), 1);
    assert.ok(proxy.handshakes.includes('portal.sso.us-east-1.amazonaws.com'));

    endpoint.resetLog();
    cacheSsoToken(endpoint.issueSsoToken({ accessKeyId: SSO_PRINCIPAL }), new Date(Date.now() - 60_000));
    assert.deepStrictEqual(await listed(), []);
    assert.strictEqual(api.connection.state.kind, 'ssoExpired');
    assert.match(api.connection.state.message ?? '', /aws sso login --profile sso/);
    assert.strictEqual(endpoint.count(), 0, 'nothing sent with an expired token');
  });

  it('refreshes temporary credentials before they expire, without the user noticing', async () => {
    endpoint.setCredentialSeconds(302); // within the SDK's five-minute refresh window two seconds after issue
    await useProfile('role');
    assert.deepStrictEqual(await treeLabels(api), ['prod-nb', 'prod-other']);
    const first = endpoint.requests.find((r) => r.op === 'ListNotebookInstances')?.accessKeyId;
    // The point is that time passes on the SDK's own clock (which no test can move): two seconds after issue the
    // 302-second credentials are inside its five-minute refresh window.
    await new Promise((r) => setTimeout(r, 2500));
    skewMs = 300_000; // five minutes on: the first role session has expired for SageMaker
    const shownBefore = api.testing.ui.shownMessages().length;
    await api.opener.open(await listedInstance(api, 'prod-nb'), { target: 'browser' });
    assert.strictEqual(opened.length, 1, 'opened');
    assert.strictEqual(endpoint.count('sts:AssumeRole'), 2, 'the role was assumed again');
    const presign = endpoint.requests.find((r) => r.op === 'CreatePresignedNotebookInstanceUrl');
    assert.ok(presign?.accessKeyId && presign.accessKeyId !== first, 'the open used the new keys');
    assert.deepStrictEqual(api.testing.ui.shownMessages().slice(shownBefore), [], 'nothing shown');
  });

  it('ExpiredTokenException from SageMaker is reported, and a retry takes fresh credentials', async () => {
    await useProfile('role');
    assert.deepStrictEqual(await treeLabels(api), ['prod-nb', 'prod-other']);
    endpoint.expireTemporaryCredentials(); // the role session ended early, as AWS may end one
    await assert.rejects(
      api.opener.open(await listedInstance(api, 'prod-nb'), { target: 'browser' }),
      /rejected the credentials of profile "role" \(ExpiredTokenException\)/,
    );
    assert.deepStrictEqual(opened, []);
    assert.deepStrictEqual(await listed(), ['prod-nb', 'prod-other'], 'a retry assumes the role again');
  });
});
