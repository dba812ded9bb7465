// The notebook proxy against the real thing: the local SageMaker gateway (token → cookie → reverse proxy) in
// front of a real Jupyter server, with a real kernel at the end of a WebSocket.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { CreatePresignedNotebookInstanceUrlCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { Logger } from '../../../src/shared/log';
import type { JupyterConnection } from '../../../src/jupyter/connection';
import { startNotebookProxy, type NotebookProxy } from '../../../src/open/proxy';
import { connectionFor } from '../jupyter/testConnection';
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
  const connections: JupyterConnection[] = [];
  const connectionOf = (mint: () => Promise<string>) => {
    const connection = connectionFor(mint, { logger });
    connections.push(connection);
    return connection;
  };
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
  /** The access secret: the entry path's first segment, and the cookie's value. */
  const secretOf = (p: NotebookProxy) => new URL(p.entryUrl).pathname.split('/')[1];
  const hostSecretOf = (p: NotebookProxy) => new URL(p.origin).hostname.split('.')[0];
  const cookieOf = (p: NotebookProxy) => `sagemaker-notebook-proxy=${secretOf(p)}`;
  const at = (path: string) => `${proxy.origin}${path}`;
  const port = () => new URL(proxy.address).port;
  /** A browser's same-origin request from the proxy's own page (Node's fetch cannot reach `*.localhost`). */
  const call = async (url: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) => {
    const res = await rawRequest(url, {
      method: init.method,
      body: init.body,
      headers: { 'content-type': 'application/json', cookie: cookieOf(proxy), 'sec-fetch-site': 'same-origin', ...init.headers },
    });
    return { ...res, json: <T>() => JSON.parse(res.body) as T };
  };

  before(async () => {
    jupyter = await startJupyter();
    console.log(`      (Jupyter answered after ${jupyter.startupMs} ms)`);
    endpoint = await startLocalSageMaker({ seed: [{ name: 'nb', status: 'InService', jupyterUpstream: jupyter.url }] });
    client = localClient(endpoint);
    proxy = await startNotebookProxy({ connection: connectionOf(presign), entryPath: '/tree', logger });
  });
  after(async () => {
    for (const p of [proxy, ...extraProxies]) await p?.close();
    for (const c of connections) c.close();
    client?.destroy();
    await endpoint?.stop();
    await jupyter?.stop();
  });

  it('answers its entry URL itself: the secret cookie, and on to the same page without the secret', async () => {
    assert.match(proxy.entryUrl, /^http:\/\/[0-9a-f]{40}\.localhost:\d+\/[0-9a-f]{40}\/tree$/);
    assert.notEqual(secretOf(proxy), hostSecretOf(proxy));
    assert.equal(proxy.address, `http://127.0.0.1:${new URL(proxy.origin).port}`);
    const res = await rawRequest(proxy.entryUrl, {
      headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'iframe' },
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/tree');
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
    assert.deepEqual(res.headers['set-cookie'], [`${cookieOf(proxy)}; Path=/; HttpOnly; Secure; SameSite=None; Partitioned`]);
  });

  it('serves Jupyter at its secret host, framable: no X-Frame-Options, CSP kept without frame-ancestors', async () => {
    const res = await rawRequest(at('/tree'), {
      headers: { cookie: cookieOf(proxy), 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'iframe' },
    });
    assert.equal(res.status, 200);
    assert.match(res.body, /data-base-url="\/"/); // Jupyter's own tree page, not a stand-in
    assert.equal(res.headers['x-frame-options'], undefined);
    const csp = String(res.headers['content-security-policy']);
    assert.doesNotMatch(csp, /frame-ancestors/);
    assert.match(csp, /report-uri \/api\/security\/csp-report/);
  });

  it('lets no upstream cookie reach the client', async () => {
    const res = await call(at('/tree'));
    assert.equal(res.status, 200);
    assert.equal(res.headers['set-cookie'], undefined);
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
  });

  it('lists the notebook directory through the proxy', async () => {
    const res = await call(at('/api/contents'));
    assert.equal(res.status, 200);
    const listing = res.json<{ content: Array<{ name: string }> }>();
    assert.ok(
      listing.content.some((entry) => entry.name === 'hello.ipynb'),
      JSON.stringify(listing),
    );
  });

  it("answers its own pages' requests at its secret host with the cookie; not other sites', nor without it, nor at the listening address", async () => {
    const url = at('/api/contents');
    const cookie = cookieOf(proxy);
    assert.equal((await rawRequest(url, { headers: { cookie, 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors' } })).status, 200);
    assert.equal((await rawRequest(url, { headers: { 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors' } })).status, 403);
    assert.equal((await rawRequest(url, { headers: { cookie, 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'cors' } })).status, 403);
    assert.equal((await rawRequest(url, { headers: { cookie, origin: 'http://127.0.0.1:1' } })).status, 403);
    assert.equal((await rawRequest(`${proxy.address}/api/contents`, { headers: { cookie } })).status, 403);
    assert.equal((await rawRequest(`${proxy.address}/${secretOf(proxy)}/api/contents`)).status, 403);
  });

  it('creates a notebook (a POST Jupyter checks _xsrf on), which fails without the proxy', async () => {
    const res = await call(at('/api/contents'), {
      method: 'POST',
      headers: { origin: proxy.origin, 'sec-fetch-site': 'same-origin' },
      body: JSON.stringify({ type: 'notebook' }),
    });
    assert.equal(res.status, 201, res.body);
    assert.match(res.json<{ name: string }>().name, /^Untitled\d*\.ipynb$/);

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

  it('rewrites an upstream redirect back through the proxy by path, naming no address of the proxy', async () => {
    const res = await call(at('/'));
    assert.equal(res.status, 302); // Jupyter sends / to /tree
    assert.equal(res.headers.location, '/tree?');
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
  });

  it('starts a kernel and runs 1+1 over its WebSocket channel', async () => {
    const started = await call(at('/api/kernels'), { method: 'POST', body: '{}' });
    assert.equal(started.status, 201);
    const { id } = started.json<{ id: string }>();
    const t0 = Date.now();
    const ws = await openSocket(at(`/api/kernels/${id}/channels`).replace('http:', 'ws:'), {
      origin: proxy.origin,
      cookie: cookieOf(proxy),
    });
    try {
      assert.equal(await execute(ws, '1+1'), '2');
      const firstMs = Date.now() - t0;
      const t1 = Date.now();
      assert.equal(await execute(ws, '6*7'), '42');
      console.log(`      (open + first 1+1: ${firstMs} ms; warm round trip: ${Date.now() - t1} ms)`);
    } finally {
      ws.close();
    }
    const stopped = await call(at(`/api/kernels/${id}`), { method: 'DELETE' });
    assert.equal(stopped.status, 204);
  });

  it('refuses requests to any Host but its secret one, whatever the path (403, no detail)', async () => {
    const cases: Array<[string, string]> = [
      [`${proxy.address}/tree`, `127.0.0.1:${port()}`],
      [`${proxy.address}/${secretOf(proxy)}/tree`, `127.0.0.1:${port()}`],
      [`${proxy.address}/tree`, `${'a'.repeat(40)}.localhost:${port()}`],
      [`${proxy.address}/tree`, `evil.example:${port()}`],
      [`${proxy.address}/tree`, `localhost:${port()}`],
      [`${proxy.address}/tree`, `${hostSecretOf(proxy)}.localhost`],
      [`${proxy.address}/tree`, `${hostSecretOf(proxy)}.localhost.evil.example:${port()}`],
    ];
    for (const [url, hostHeader] of cases) {
      const res = await rawRequest(url, { headers: { host: hostHeader, cookie: cookieOf(proxy) } });
      assert.equal(res.status, 403, `${hostHeader.replace(hostSecretOf(proxy), 'HOST')} ${url.replace(secretOf(proxy), 'SECRET')}`);
      assert.equal(res.body, 'Forbidden');
      assert.equal(res.headers['set-cookie'], undefined);
    }
  });

  it('answers at a forwarded loopback port under its secret host, and at a forwarded domain by a secret entry path that leaves a cookie', async () => {
    // A plain tunnel (Remote - SSH, WSL): the browser's own port, the same secret host name.
    assert.equal(proxy.serveAt('http://localhost:9123'), `http://${hostSecretOf(proxy)}.localhost:9123/${secretOf(proxy)}/tree`);
    const tunnelled = await rawRequest(`${proxy.address}/tree`, {
      headers: { host: `${hostSecretOf(proxy)}.localhost:9123`, cookie: cookieOf(proxy) },
    });
    assert.equal(tunnelled.status, 200);

    const forwarded = 'http://4242.localhost:8080';
    const before = await rawRequest(`${proxy.address}/${secretOf(proxy)}/tree`, { headers: { host: '4242.localhost:8080' } });
    assert.equal(before.status, 403, 'not before serveAt');
    const entry = proxy.serveAt(forwarded);
    assert.equal(entry, `${forwarded}/${secretOf(proxy)}/tree`);
    // Port forwarding keeps the Host the browser used; the request itself arrives at 127.0.0.1.
    const local = (url: string) => `${proxy.address}${new URL(url).pathname}`;
    const navigate = {
      host: '4242.localhost:8080',
      'sec-fetch-site': 'cross-site',
      'sec-fetch-mode': 'navigate',
      'sec-fetch-dest': 'iframe',
    };
    const page = await rawRequest(local(entry), { headers: navigate });
    // The secret path is answered by the proxy itself: the cookie, and on to the same page without the secret.
    assert.equal(page.status, 303);
    assert.equal(page.headers.location, '/tree');
    assert.equal(page.headers['referrer-policy'], 'no-referrer');
    const cookie = String((page.headers['set-cookie'] as string[])[0]).split(';')[0];
    assert.equal(cookie, `sagemaker-notebook-proxy=${secretOf(proxy)}`);
    const followed = await rawRequest(`${proxy.address}/tree`, { headers: { ...navigate, cookie } });
    assert.equal(followed.status, 200);
    const api = await rawRequest(`${proxy.address}/api/contents`, {
      headers: { host: '4242.localhost:8080', cookie, origin: forwarded, 'sec-fetch-site': 'same-origin' },
    });
    assert.equal(api.status, 200);
    // The forwarded origin's cookie opens neither the listening address nor another name.
    const crossed = await rawRequest(`${proxy.address}/api/contents`, { headers: { host: `127.0.0.1:${port()}`, cookie } });
    assert.equal(crossed.status, 403);
    assert.ok(
      logs.some((l) => l === `info Notebook proxy: also answering at ${forwarded} (forwarded)`),
      logs.join('\n'),
    );
  });

  it('refuses WebSocket upgrades without the secret or with a foreign Host', async () => {
    const path = `/api/kernels/${'0'.repeat(8)}/channels`;
    const cookie = cookieOf(proxy);
    await assert.rejects(openSocket(`${proxy.address.replace('http:', 'ws:')}${path}`, { cookie }), /handshake answered 403/);
    await assert.rejects(openSocket(at(path).replace('http:', 'ws:'), { origin: proxy.origin }), /handshake answered 403/);
    await assert.rejects(
      openSocket(at(path).replace('http:', 'ws:'), { host: `evil.example:${port()}`, cookie }),
      /handshake answered 403/,
    );
    await assert.rejects(
      openSocket(at(path).replace('http:', 'ws:'), { origin: 'http://127.0.0.1:8000', cookie }),
      /handshake answered 403/,
    );
    await assert.rejects(
      openSocket(`${proxy.origin.replace('http:', 'ws:')}/${secretOf(proxy)}${path}`, { origin: proxy.origin }),
      /handshake answered 403/,
    );
  });

  it("listens on 127.0.0.1 only: the machine's other addresses refuse the port", async () => {
    assert.match(proxy.address, /^http:\/\/127\.0\.0\.1:\d+$/);
    const port = Number(new URL(proxy.address).port);
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
    const error = await startNotebookProxy({ connection: connectionOf(async () => url), entryPath: '/tree', logger }).then(
      () => assert.fail('expected sign-in to fail'),
      (e: Error) => e,
    );
    assert.equal(error.message, 'Could not sign in to the notebook: HTTP 403');
  });

  it('closes every connection on close(): open WebSockets end, keep-alive sockets drop, new ones are refused', async () => {
    const closing = await startNotebookProxy({ connection: connectionOf(presign), entryPath: '/tree', logger });
    extraProxies.push(closing); // closed by the after hook too, should an assertion below fail first
    const closingAt = (path: string) => `${closing.origin}${path}`;
    const started = await call(closingAt('/api/kernels'), { method: 'POST', body: '{}', headers: { cookie: cookieOf(closing) } });
    assert.equal(started.status, 201);
    const { id } = started.json<{ id: string }>();
    const ws = await openSocket(closingAt(`/api/kernels/${id}/channels`).replace('http:', 'ws:'), { cookie: cookieOf(closing) });
    const wsClosed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    const idle = connect(Number(new URL(closing.address).port), '127.0.0.1');
    idle.write(`GET /api/status HTTP/1.1\r\nHost: ${new URL(closing.origin).host}\r\nCookie: ${cookieOf(closing)}\r\n\r\n`);
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
    await call(at(`/api/kernels/${id}`), { method: 'DELETE' });
  });

  it('never logged a token, the secret or a cookie value', () => {
    const text = logs.join('\n');
    assert.ok(
      logs.some((l) => l.includes('GET /api/contents')),
      'the proxy logged nothing: the check below would be empty',
    );
    for (const token of tokens) assert.ok(!text.includes(token) && !text.includes(decodeURIComponent(token)));
    assert.ok(!text.includes(secretOf(proxy)) && !text.includes(hostSecretOf(proxy)));
    assert.doesNotMatch(text, /authToken|_xsrf|cookie|sagemaker-notebook-session/i);
  });
});
