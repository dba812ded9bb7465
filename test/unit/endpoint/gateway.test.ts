// The notebook gateway behind CreatePresignedNotebookInstanceUrl: token exchange, cookies, expiry and pages.
import assert from 'node:assert/strict';
import { CreatePresignedNotebookInstanceUrlCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import { startLocalSageMaker, type LocalSageMaker } from '../../endpoint/server';
import { localClient } from '../../endpoint/testClient';

const CSP = "frame-ancestors 'self'";

describe('local SageMaker: notebook gateway', () => {
  let server: LocalSageMaker;
  let client: SageMakerClient;
  let now: number;

  beforeEach(async () => {
    now = Date.parse('2025-01-21T09:00:00Z');
    server = await startLocalSageMaker({ seed: [{ name: 'My-Notebook' }], clock: () => now });
    client = localClient(server);
  });
  afterEach(async () => {
    client.destroy();
    await server.stop();
  });

  const presign = async (seconds?: number) =>
    (
      await client.send(
        new CreatePresignedNotebookInstanceUrlCommand({ NotebookInstanceName: 'My-Notebook', SessionExpirationDurationInSeconds: seconds }),
      )
    ).AuthorizedUrl!;
  const visit = (url: string, cookie?: string) => fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  /** Logs in through `path` inserted before the query and returns the cookie pair the browser would keep. */
  const login = async (path = '/lab', seconds?: number) => {
    const res = await visit((await presign(seconds)).replace('?', `${path}?`));
    assert.equal(res.status, 302);
    return res.headers.getSetCookie()[0].split(';')[0];
  };

  it('issues a URL in the real form, with a token full of characters that need care', async () => {
    const url = await presign();
    const match = /^http:\/\/127\.0\.0\.1:(\d+)\?authToken=(.+)$/.exec(url);
    assert.ok(match, url);
    const token = match[2];
    assert.ok(token.includes('+') && token.includes('/') && token.includes('%2B') && token.endsWith('='), token);
  });

  it('trades the token for a session cookie, then serves JupyterLab with a frame-ancestors CSP', async () => {
    const res = await visit((await presign(1800)).replace('?', '/lab?'));
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), '/lab');
    const [cookie] = res.headers.getSetCookie();
    assert.match(cookie, /^sagemaker-notebook-session-\d+=[0-9a-f]+; Max-Age=1800; Path=\/; HttpOnly; SameSite=Lax$/);
    const page = await visit(new URL('/lab', res.url).href, cookie.split(';')[0]);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('content-security-policy'), CSP);
    const html = await page.text();
    assert.match(html, /<title>JupyterLab · My-Notebook<\/title>/);
    assert.match(html, /<h1>[^<]*My-Notebook<\/h1>/);
  });

  it('sends /tree logins to classic Jupyter and path-less ones to /lab', async () => {
    const tree = await visit((await presign()).replace('?', '/tree?'));
    assert.equal(tree.headers.get('location'), '/tree');
    const page = await visit(new URL('/tree', tree.url).href, tree.headers.getSetCookie()[0].split(';')[0]);
    assert.match(await page.text(), /<title>Jupyter · My-Notebook<\/title>/);
    const bare = await visit(await presign());
    assert.deepEqual([bare.status, bare.headers.get('location')], [302, '/lab']);
  });

  it('accepts a token only once and never echoes it', async () => {
    const url = (await presign()).replace('?', '/lab?');
    assert.equal((await visit(url)).status, 302);
    const again = await visit(url);
    assert.equal(again.status, 403);
    assert.equal(again.headers.get('content-security-policy'), CSP);
    const html = await again.text();
    assert.match(html, /Invalid or expired authentication token/);
    const token = url.split('authToken=')[1];
    assert.ok(!html.includes(token) && !JSON.stringify(server.gatewayVisits).includes(token));
    assert.deepEqual(
      server.gatewayVisits.map((v) => [v.path, v.outcome]),
      [
        ['/lab', 'token-accepted'],
        ['/lab', 'token-rejected'],
      ],
    );
  });

  it('rejects a re-encoded token, while the untouched one still works', async () => {
    const url = await presign();
    assert.equal((await visit(url.replace('%2B', '%252B'))).status, 403);
    assert.equal((await visit(url.replace('+', '%20'))).status, 403);
    const parsed = new URL(url);
    parsed.searchParams.set('authToken', parsed.searchParams.get('authToken')!); // the classic mistake
    assert.equal((await visit(parsed.href)).status, 403);
    assert.equal((await visit(url)).status, 302);
  });

  it('expires an unused token after 5 minutes', async () => {
    const url = await presign();
    now += 5 * 60 * 1000;
    assert.equal((await visit(url)).status, 403);
  });

  it('ends the session when its duration is over, even if the cookie is kept', async () => {
    const cookie = await login('/lab', 1800);
    const origin = new URL(await presign()).origin;
    now += 1799 * 1000;
    assert.equal((await visit(`${origin}/lab`, cookie)).status, 200);
    now += 1000;
    const expired = await visit(`${origin}/lab`, cookie);
    assert.equal(expired.status, 403);
    assert.equal(expired.headers.get('content-security-policy'), CSP);
  });

  it('turns away a visit without a session cookie', async () => {
    const origin = new URL(await presign()).origin;
    assert.equal((await visit(`${origin}/lab`)).status, 403);
    assert.equal((await visit(`${origin}/lab`, 'sagemaker-notebook-session-1=forged')).status, 403);
  });

  it('runs one gateway per instance and closes it when the instance is removed', async () => {
    server.addInstance({ name: 'other' });
    const other = (await client.send(new CreatePresignedNotebookInstanceUrlCommand({ NotebookInstanceName: 'other' }))).AuthorizedUrl!;
    const mine = await presign();
    assert.notEqual(new URL(other).port, new URL(mine).port);
    assert.equal(new URL(await presign()).port, new URL(mine).port, 'the gateway is reused');
    server.removeInstance('other');
    // The gateway closes as the instance goes (asynchronously): its address soon refuses connections.
    const refused = async () =>
      visit(other).then(
        () => false,
        () => true,
      );
    for (const deadline = Date.now() + 5_000; !(await refused());) {
      if (Date.now() > deadline) assert.fail("the removed instance's gateway still answers");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
});
