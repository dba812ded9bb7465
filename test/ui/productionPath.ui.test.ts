// UI test of the production path: no endpoint override anywhere. The extension calls SageMaker and STS at
// their real https host names through VS Code's http.proxy, and the browser opens SageMaker's real
// https://<name>.notebook.<region>.sagemaker.aws URL through its own --proxy-server: the same
// TLS-intercepting proxy on 127.0.0.1, with certificates from a CA made for this run. The extension trusts
// that CA only through AWS_CA_BUNDLE; Chromium only through --ignore-certificate-errors-spki-list with the
// CA's key hash. A person types the MFA code of an assumed role into the input box and clicks the row.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startLocalSageMaker, type LocalSageMaker } from '../endpoint/server';
import { startInterceptingProxy, type InterceptingProxy } from '../endpoint/interceptingProxy';
import { createTestCa, type TestCa } from '../endpoint/testCa';
import {
  QUICK_INPUT,
  failureScreenshots,
  instanceRow,
  launchWorkbench,
  redact,
  screenshot,
  showInstances,
  waitFor,
  type Workbench,
} from './workbench';

const MFA_CODE = '314159';
const NOTEBOOK_HOST = 'prod-lab.notebook.us-east-1.sagemaker.aws';

describe('Production path in the workbench: real host names, a TLS-intercepting proxy, MFA typed in', function () {
  this.timeout(180_000);
  let endpoint: LocalSageMaker;
  let ca: TestCa;
  let proxy: InterceptingProxy;
  let workbench: Workbench | undefined;
  let awsDir: string;

  before(async () => {
    endpoint = await startLocalSageMaker({
      awsHostNames: true,
      mfaCode: MFA_CODE,
      seed: [{ name: 'prod-lab' }, { name: 'prod-idle', status: 'Stopped' }],
    });
    ca = createTestCa();
    proxy = await startInterceptingProxy(ca, (host) => endpoint.route(host));
    awsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'smn-ui-prod-aws-'));
    fs.writeFileSync(
      path.join(awsDir, 'config'),
      '[default]\nregion = us-east-1\n\n[profile admin]\nrole_arn = arn:aws:iam::111122223333:role/Admin\nsource_profile = default\nmfa_serial = arn:aws:iam::111122223333:mfa/me\nregion = us-east-1\n',
    );
    fs.writeFileSync(
      path.join(awsDir, 'credentials'),
      `[default]\naws_access_key_id = ${DEFAULT_ACCESS_KEY_ID}\naws_secret_access_key = ${DEFAULT_SECRET_ACCESS_KEY}\n`,
    );
    workbench = await launchWorkbench({
      // No AWS_ENDPOINT_URL*: code-server passes no AWS_* variable of this process on, only these.
      env: {
        AWS_CONFIG_FILE: path.join(awsDir, 'config'),
        AWS_SHARED_CREDENTIALS_FILE: path.join(awsDir, 'credentials'),
        AWS_CA_BUNDLE: ca.certFile,
        AWS_PROFILE: 'admin',
      },
      settings: { 'http.proxy': proxy.url },
      // Chromium goes straight to code-server (loopback bypasses a proxy) and through the proxy to AWS.
      browserArgs: [`--proxy-server=${proxy.url}`, `--ignore-certificate-errors-spki-list=${ca.spkiSha256}`],
    });
  });

  afterEach(failureScreenshots(() => workbench, 'production-path'));

  after(async () => {
    try {
      await workbench?.close();
    } finally {
      await endpoint.stop();
      await proxy.close();
      ca.dispose();
      fs.rmSync(awsDir, { recursive: true, force: true });
    }
  });

  it('asks for the MFA code, lists through the proxy, and opens the real https notebook URL in the browser through it', async () => {
    const { page, context } = workbench!;
    const box = page.locator(`${QUICK_INPUT} .quick-input-box input`);
    void page.click('.activitybar [aria-label^="SageMaker Notebooks"]', { timeout: 30_000 }).catch(() => undefined);
    await box.waitFor({ state: 'visible', timeout: 60_000 });
    assert.match((await page.textContent(QUICK_INPUT)) ?? '', /MFA code for profile admin/);
    await box.fill(MFA_CODE);
    await page.keyboard.press('Enter');
    await showInstances(page, ['prod-lab', 'prod-idle']);
    assert.strictEqual(endpoint.count('sts:AssumeRole'), 1, 'the role was assumed once, with the code typed');
    assert.ok(
      proxy.handshakes.includes('api.sagemaker.us-east-1.amazonaws.com'),
      `the extension went through the proxy: ${proxy.handshakes.join(', ')}`,
    );

    const opened = context.waitForEvent('page', { timeout: 30_000 });
    await instanceRow(page, 'prod-lab').click();
    // code-server asks before opening an outside site; a person says Open.
    const openSite = page.locator('.dialog-buttons .monaco-button', { hasText: /^Open$/ });
    void openSite.click({ timeout: 15_000 }).catch(() => undefined);
    const notebook = await opened;
    await waitFor(
      "JupyterLab at the notebook's real host",
      async () => (await notebook.title()) === 'JupyterLab · prod-lab',
      30_000,
      async () => ({ title: await notebook.title().catch(() => ''), url: redact(notebook.url()) }),
    );
    const url = new URL(notebook.url());
    assert.strictEqual(url.origin, `https://${NOTEBOOK_HOST}`, redact(notebook.url()));
    assert.strictEqual(url.pathname, '/lab');
    assert.ok(!url.search.includes('authToken'), 'the token left the address bar with the sign-in redirect');
    assert.ok(proxy.handshakes.includes(NOTEBOOK_HOST), 'Chromium reached the notebook through the proxy, trusting the test CA');
    const visits = endpoint.gatewayVisits.filter((v) => v.instance === 'prod-lab').map((v) => `${v.path} ${v.outcome}`);
    assert.deepStrictEqual(
      visits.filter((v) => v.startsWith('/lab ')),
      ['/lab token-accepted', '/lab page'],
      visits.join(', '),
    );
    await screenshot(notebook, 'production-path-notebook', false);
  });
});
