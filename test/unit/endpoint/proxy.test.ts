// A gateway seeded with jupyterUpstream forwards authenticated HTTP and WebSocket traffic to it.
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { CreatePresignedNotebookInstanceUrlCommand } from '@aws-sdk/client-sagemaker';
import { startLocalSageMaker, type LocalSageMaker } from '../../endpoint/server';
import { localClient } from '../../endpoint/testClient';

/** A stand-in Jupyter: echoes the request line over HTTP and echoes bytes over an upgraded socket. */
function fakeJupyter(): Server {
  const upstream = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'x-upstream': 'jupyter' });
    res.end(`${req.method} ${req.url} host=${req.headers.host}`);
  });
  upstream.on('upgrade', (_req, socket: Socket) => {
    socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
    socket.on('data', (data) => socket.write(`echo:${data.toString()}`));
    socket.on('end', () => socket.end()); // upgraded sockets are half-open by default; close like a real server
  });
  return upstream;
}

describe('local SageMaker: gateway proxy to a real Jupyter', () => {
  let server: LocalSageMaker;
  let upstream: Server;
  let origin: string;
  let cookie: string;

  beforeEach(async () => {
    upstream = fakeJupyter();
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    server = await startLocalSageMaker({ seed: [{ name: 'real', jupyterUpstream: upstreamUrl }] });
    const client = localClient(server);
    const url = (await client.send(new CreatePresignedNotebookInstanceUrlCommand({ NotebookInstanceName: 'real' }))).AuthorizedUrl!;
    client.destroy();
    const login = await fetch(url, { redirect: 'manual' });
    cookie = login.headers.getSetCookie()[0].split(';')[0];
    origin = new URL(url).origin;
  });
  afterEach(async () => {
    await server.stop();
    upstream.closeAllConnections();
    await new Promise((resolve) => upstream.close(resolve));
  });

  it("forwards authenticated HTTP requests unchanged, Host included, as SageMaker's front end does", async () => {
    const res = await fetch(`${origin}/api/contents?type=notebook`, { headers: { cookie } });
    assert.equal(res.headers.get('x-upstream'), 'jupyter');
    assert.equal(await res.text(), `GET /api/contents?type=notebook host=${new URL(origin).host}`);
    const anonymous = await fetch(`${origin}/api/contents`, { redirect: 'manual' });
    assert.equal(anonymous.status, 403, 'nothing reaches Jupyter without a session');
  });

  it('splices WebSocket upgrades through to the upstream', async () => {
    const port = Number(new URL(origin).port);
    const socket = await new Promise<Socket>((resolve, reject) => {
      const req = request({
        host: '127.0.0.1',
        port,
        path: '/api/kernels/k1/channels',
        headers: { cookie, connection: 'Upgrade', upgrade: 'websocket' },
      });
      req.on('upgrade', (res, s: Socket) => (res.statusCode === 101 ? resolve(s) : reject(new Error(String(res.statusCode)))));
      req.on('response', (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
      req.on('error', reject);
      req.end();
    });
    const reply = await new Promise<string>((resolve) => {
      socket.once('data', (data) => resolve(data.toString()));
      socket.write('ping');
    });
    socket.destroy();
    assert.equal(reply, 'echo:ping');
  });
});
