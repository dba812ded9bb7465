// The notebook proxy against the real thing: the local SageMaker gateway (token → cookie → reverse proxy) in
// front of a real Jupyter server, with a real kernel at the end of a WebSocket.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { CreatePresignedNotebookInstanceUrlCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { Logger } from '../../../src/log';
import { startNotebookProxy, type NotebookProxy } from '../../../src/open/proxy';
import { startLocalSageMaker, type LocalSageMaker } from '../../endpoint/server';
import { localClient } from '../../endpoint/testClient';
import { startJupyter, type RunningJupyter } from '../../support/jupyter';
import { execute, openSocket, rawRequest } from './kernel';

describe('notebook proxy, through the gateway to a real Jupyter', function () {
  this.timeout(20_000);
  let jupyter: RunningJupyter;
  let endpoint: LocalSageMaker;
  let client: SageMakerClient;
  let proxy: NotebookProxy;
  const extraProxies: NotebookProxy[] = [];
  const logs: string[] = [];
  const tokens: string[] = [];
  const logger: Logger = {
    trace: (m) => logs.push(`trace ${m}`),
    debug: (m) => logs.push(`debug ${m}`),
    info: (m) => logs.push(`info ${m}`),
    warn: (m) => logs.push(`warn ${m}`),
    error: (m) => logs.push(`error ${String(m)}`),
  };

  /** A fresh single-use URL with `/tree` inserted as the extension does; its token is kept for the log check. */
  const presign = async () => {
    const url = (await client.send(new CreatePresignedNotebookInstanceUrlCommand({ NotebookInstanceName: 'nb' }))).AuthorizedUrl!;
    tokens.push(url.slice(url.indexOf('authToken=') + 'authToken='.length));
    return url.replace('?', '/tree?');
  };
  const secretOf = (p: NotebookProxy) => p.entryUrl.slice(p.origin.length + 1).split('/')[0];
  const at = (path: string) => `${proxy.origin}/${secretOf(proxy)}${path}`;
  const host = () => new URL(proxy.origin).host;

  before(async () => {
    jupyter = await startJupyter();
    console.log(`      (Jupyter answered after ${jupyter.startupMs} ms)`);
    endpoint = await startLocalSageMaker({ seed: [{ name: 'nb', status: 'InService', jupyterUpstream: jupyter.url }] });
    client = localClient(endpoint);
    proxy = await startNotebookProxy({ authorizedUrl: await presign(), logger });
  });
  after(async () => {
    for (const p of [proxy, ...extraProxies]) await p?.close();
    client?.destroy();
    await endpoint?.stop();
    await jupyter?.stop();
  });

  it('serves Jupyter at entryUrl, framable: no X-Frame-Options, CSP kept without frame-ancestors', async () => {
    assert.match(proxy.entryUrl, /^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{32,}\/tree$/);
    const res = await rawRequest(proxy.entryUrl, { headers: { host: host() } });
    assert.equal(res.status, 200);
    assert.match(res.body, /data-base-url="\/"/); // Jupyter's own tree page, not a stand-in
    assert.equal(res.headers['x-frame-options'], undefined);
    const csp = String(res.headers['content-security-policy']);
    assert.doesNotMatch(csp, /frame-ancestors/);
    assert.match(csp, /report-uri \/api\/security\/csp-report/);
  });

  it('lets no upstream cookie reach the client: the only Set-Cookie is the proxy secret cookie', async () => {
    const res = await rawRequest(proxy.entryUrl, { headers: { host: host() } });
    const cookies = (res.headers['set-cookie'] as string[] | undefined) ?? [];
    assert.equal(cookies.length, 1, cookies.join(' | '));
    assert.match(cookies[0], /^sagemaker-notebook-proxy-\d+=[A-Za-z0-9_-]+; Path=\/; HttpOnly; Secure; SameSite=None; Partitioned$/);
  });

  it('lists the notebook directory through the proxy', async () => {
    const res = await fetch(at('/api/contents'));
    assert.equal(res.status, 200);
    const listing = (await res.json()) as { content: Array<{ name: string }> };
    assert.ok(listing.content.some((entry) => entry.name === 'hello.ipynb'), JSON.stringify(listing));
  });

  it("answers Jupyter's absolute paths from its own pages by the secret cookie, not from other sites", async () => {
    const cookie = `${`sagemaker-notebook-proxy-${new URL(proxy.origin).port}`}=${secretOf(proxy)}`;
    const url = `${proxy.origin}/api/contents`;
    const sameOrigin = await rawRequest(url, { headers: { host: host(), cookie, 'sec-fetch-site': 'same-origin', referer: proxy.entryUrl } });
    assert.equal(sameOrigin.status, 200);
    const crossSite = await rawRequest(url, { headers: { host: host(), cookie, 'sec-fetch-site': 'cross-site' } });
    assert.equal(crossSite.status, 403);
    const foreignOrigin = await rawRequest(url, { headers: { host: host(), cookie, origin: 'http://127.0.0.1:1' } });
    assert.equal(foreignOrigin.status, 403);
    const wrongCookie = await rawRequest(url, { headers: { host: host(), cookie: cookie.replace(/=.*/, '=x'.repeat(16)) } });
    assert.equal(wrongCookie.status, 403);
  });

  it('creates a notebook (a POST Jupyter checks _xsrf on), which fails without the proxy', async () => {
    const res = await fetch(at('/api/contents'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: proxy.origin },
      body: JSON.stringify({ type: 'notebook' }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    assert.match(((await res.json()) as { name: string }).name, /^Untitled\d*\.ipynb$/);

    // The control: the same POST with a valid gateway session but no X-XSRFToken is refused by Jupyter.
    const login = await fetch(await presign(), { redirect: 'manual' });
    const session = login.headers.getSetCookie()[0].split(';')[0];
    const direct = await fetch(new URL('/api/contents', login.url).href, {
      method: 'POST',
      headers: { cookie: session, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'notebook' }),
    });
    assert.equal(direct.status, 403);
    assert.match(await direct.text(), /_xsrf/);
  });

  it('rewrites an upstream redirect back through the proxy, secret kept', async () => {
    const res = await rawRequest(at('/'), { headers: { host: host() } });
    assert.equal(res.status, 302); // Jupyter sends / to /tree
    assert.equal(res.headers.location, `/${secretOf(proxy)}/tree?`);
  });

  it('starts a kernel and runs 1+1 over its WebSocket channel', async () => {
    const started = await fetch(at('/api/kernels'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(started.status, 201);
    const { id } = (await started.json()) as { id: string };
    const t0 = Date.now();
    const ws = await openSocket(at(`/api/kernels/${id}/channels`).replace('http:', 'ws:'), { origin: proxy.origin });
    try {
      assert.equal(await execute(ws, '1+1'), '2');
      const firstMs = Date.now() - t0;
      const t1 = Date.now();
      assert.equal(await execute(ws, '6*7'), '42');
      console.log(`      (open + first 1+1: ${firstMs} ms; warm round trip: ${Date.now() - t1} ms)`);
    } finally {
      ws.close();
    }
    const stopped = await fetch(at(`/api/kernels/${id}`), { method: 'DELETE' });
    assert.equal(stopped.status, 204);
  });

  it('refuses requests without the secret, with a wrong secret, or with a foreign Host (403, no detail)', async () => {
    const port = new URL(proxy.origin).port;
    const cases: Array<[string, string]> = [
      [`${proxy.origin}/tree`, host()],
      [`${proxy.origin}/${'A'.repeat(32)}/tree`, host()],
      [proxy.entryUrl, `evil.example:${port}`],
      [proxy.entryUrl, `localhost:${port}`],
      [proxy.entryUrl, '127.0.0.1'],
    ];
    for (const [url, hostHeader] of cases) {
      const res = await rawRequest(url, { headers: { host: hostHeader } });
      assert.equal(res.status, 403, `${hostHeader} ${url.replace(secretOf(proxy), 'SECRET')}`);
      assert.equal(res.body, 'Forbidden');
      assert.equal(res.headers['set-cookie'], undefined);
    }
  });

  it('answers at a forwarded origin once told to (remote development), by that Host and with its Origin', async () => {
    const forwarded = 'http://4242.localhost:8080';
    const before = await rawRequest(proxy.entryUrl, { headers: { host: '4242.localhost:8080' } });
    assert.equal(before.status, 403, 'not before serveAt');
    const entry = proxy.serveAt(forwarded);
    assert.equal(entry, `${forwarded}/${secretOf(proxy)}/tree`);
    // Port forwarding keeps the Host the browser used; the request itself arrives at 127.0.0.1.
    const local = (url: string) => `${proxy.origin}${new URL(url).pathname}`;
    const page = await rawRequest(local(entry), { headers: { host: '4242.localhost:8080' } });
    assert.equal(page.status, 200);
    const cookie = String((page.headers['set-cookie'] as string[])[0]).split(';')[0];
    const api = await rawRequest(`${proxy.origin}/api/contents`, { headers: { host: '4242.localhost:8080', cookie, origin: forwarded, 'sec-fetch-site': 'same-origin' } });
    assert.equal(api.status, 200);
    // The forwarded origin's pages cannot use the local origin's Host, nor the other way round.
    const crossed = await rawRequest(`${proxy.origin}/api/contents`, { headers: { host: host(), cookie, origin: forwarded } });
    assert.equal(crossed.status, 403);
    assert.ok(logs.some((l) => l === `info Notebook proxy: also answering at ${forwarded} (forwarded)`), logs.join('\n'));
  });

  it('refuses WebSocket upgrades without the secret or with a foreign Host', async () => {
    const path = `/api/kernels/${'0'.repeat(8)}/channels`;
    await assert.rejects(openSocket(`${proxy.origin.replace('http:', 'ws:')}${path}`), /handshake answered 403/);
    await assert.rejects(openSocket(at(path).replace('http:', 'ws:'), { host: `evil.example:${new URL(proxy.origin).port}` }), /handshake answered 403/);
  });

  it("listens on 127.0.0.1 only: the machine's other addresses refuse the port", async () => {
    assert.match(proxy.origin, /^http:\/\/127\.0\.0\.1:\d+$/);
    const port = Number(new URL(proxy.origin).port);
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && !a.internal)
      .map((a) => a!.address);
    for (const address of [...others, '::1']) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = connect({ port, host: address, timeout: 2000 }, () => resolve('connected'));
        socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
        socket.on('timeout', () => resolve('timeout'));
        socket.on('close', () => socket.destroy());
      });
      assert.notEqual(outcome, 'connected', address);
    }
  });

  it('refuses a presigned URL that was used already, without quoting it', async () => {
    const url = await presign();
    await (await fetch(url, { redirect: 'manual' })).arrayBuffer();
    const error = await startNotebookProxy({ authorizedUrl: url, logger }).then(
      () => assert.fail('expected sign-in to fail'),
      (e: Error) => e,
    );
    assert.equal(error.message, 'Could not sign in to the notebook: HTTP 403');
  });

  it('closes every connection on close(): open WebSockets end, keep-alive sockets drop, new ones are refused', async () => {
    const closing = await startNotebookProxy({ authorizedUrl: await presign(), logger });
    extraProxies.push(closing); // closed by the after hook too, should an assertion below fail first
    const closingAt = (path: string) => `${closing.origin}/${secretOf(closing)}${path}`;
    const started = await fetch(closingAt('/api/kernels'), { method: 'POST', body: '{}' });
    assert.equal(started.status, 201);
    const { id } = (await started.json()) as { id: string };
    const ws = await openSocket(closingAt(`/api/kernels/${id}/channels`).replace('http:', 'ws:'));
    const wsClosed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    const idle = connect(Number(new URL(closing.origin).port), '127.0.0.1');
    idle.write(`GET /${secretOf(closing)}/api/status HTTP/1.1\r\nHost: ${new URL(closing.origin).host}\r\n\r\n`);
    assert.match(String((await once(idle, 'data'))[0]), /^HTTP\/1\.1 200/); // answered, and kept alive
    const idleClosed = once(idle, 'close');
    let notified = 0;
    closing.onDidClose(() => notified++);

    const t0 = Date.now();
    await closing.close();
    await wsClosed;
    await idleClosed;
    assert.ok(Date.now() - t0 < 2000, `close took ${Date.now() - t0} ms`);
    assert.equal(closing.closed, true);
    assert.equal(notified, 1);
    await assert.rejects(rawRequest(closing.entryUrl), /ECONNREFUSED/);
    await closing.close(); // idempotent
    await fetch(at(`/api/kernels/${id}`), { method: 'DELETE' });
  });

  it('never logged a token, the secret or a cookie value', () => {
    const text = logs.join('\n');
    assert.ok(logs.some((l) => l.includes('GET /api/contents')), 'the proxy logged nothing: the check below would be empty');
    for (const token of tokens) assert.ok(!text.includes(token) && !text.includes(decodeURIComponent(token)));
    assert.ok(!text.includes(secretOf(proxy)));
    assert.doesNotMatch(text, /authToken|_xsrf|cookie|sagemaker-notebook-session/i);
  });
});
