// The instance's Jupyter connection against the real thing: the local SageMaker gateway (token → session
// cookie, sessions that end) in front of a real Jupyter server, with a real kernel at the end of a WebSocket.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { CreatePresignedNotebookInstanceUrlCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import WebSocket from 'ws';
import type { ConnectionState, JupyterConnection } from '../../../src/jupyter/connection';
import { JupyterConnections } from '../../../src/jupyter/connections';
import type { Clock } from '../../../src/shared/clock';
import { startLocalSageMaker, type LocalSageMaker } from '../../endpoint/server';
import { localClient } from '../../endpoint/testClient';
import { startJupyter, type RunningJupyter } from '../../support/jupyter';
import { execute } from '../proxy/kernel';
import { connectionFor, quietLogger } from './testConnection';

/** The real clock, moved on by hand, with timers the test fires itself. */
class HandClock implements Clock {
  offset = 0;
  readonly timers = new Map<number, { fn: () => void; at: number }>();
  private next = 1;
  now = () => Date.now() + this.offset;
  setTimeout = (fn: () => void, ms: number) => {
    const id = this.next++;
    this.timers.set(id, { fn, at: this.now() + ms });
    return id;
  };
  clearTimeout = (handle: unknown) => void this.timers.delete(handle as number);
  /** Moves time to the earliest timer and fires it. */
  fireNext(): void {
    const [id, timer] = [...this.timers.entries()].sort((a, b) => a[1].at - b[1].at)[0] ?? [];
    assert.ok(timer, 'a timer is set');
    this.timers.delete(id);
    this.offset += Math.max(0, timer.at - this.now());
    timer.fn();
  }
}

describe('Jupyter connection, through the gateway to a real Jupyter', function () {
  this.timeout(30_000);
  let jupyter: RunningJupyter;
  let endpoint: LocalSageMaker;
  let client: SageMakerClient;
  const opened: JupyterConnection[] = [];
  let minted = 0;

  const presign = async () => {
    minted++;
    const url = (await client.send(new CreatePresignedNotebookInstanceUrlCommand({ NotebookInstanceName: 'nb' }))).AuthorizedUrl!;
    return url.replace('?', '/tree?');
  };
  const open = (overrides: Parameters<typeof connectionFor>[1] = {}) => {
    const connection = connectionFor(presign, overrides);
    opened.push(connection);
    return connection;
  };
  const signIns = () => endpoint.gatewayVisits.filter((v) => v.outcome === 'token-accepted').length;

  before(async () => {
    jupyter = await startJupyter();
    endpoint = await startLocalSageMaker({ seed: [{ name: 'nb', status: 'InService', jupyterUpstream: jupyter.url }] });
    client = localClient(endpoint);
  });
  beforeEach(() => {
    endpoint.resetLog();
    minted = 0;
  });
  after(async () => {
    for (const c of opened) c.close();
    client?.destroy();
    await endpoint?.stop();
    await jupyter?.stop();
  });

  it('signs in once for many requests made at once, with one presigned URL', async () => {
    const connection = open();
    const listings = await Promise.all(Array.from({ length: 5 }, () => connection.json<{ content: { name: string }[] }>('/api/contents')));
    for (const listing of listings) assert.ok(listing.content.some((e) => e.name === 'hello.ipynb'));
    assert.equal(minted, 1);
    assert.equal(signIns(), 1);
    assert.equal(connection.state.kind, 'open');
  });

  it('writes as Jupyter requires (its _xsrf check passes), text, binary byte for byte, and a streamed body', async () => {
    const connection = open();
    const created = await connection.json<{ name: string }>('/api/contents', 'POST', { type: 'notebook' });
    assert.match(created.name, /^Untitled\d*\.ipynb$/);

    const bytes = Buffer.from([0, 1, 2, 253, 254, 255, 10, 13, 0x80]);
    await connection.json('/api/contents/blob.bin', 'PUT', { type: 'file', format: 'base64', content: bytes.toString('base64') });
    const raw = await connection.request('/files/blob.bin');
    const chunks: Buffer[] = [];
    for await (const chunk of raw.body) chunks.push(chunk as Buffer);
    assert.equal(raw.status, 200);
    assert.deepEqual(Buffer.concat(chunks), bytes);

    const streamed = await connection.request('/api/contents/streamed.txt', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: Readable.from([Buffer.from('{"type":"file","format":"text",'), Buffer.from('"content":"from a stream"}')]),
    });
    streamed.body.resume();
    assert.equal(streamed.status, 201);
    const file = await connection.json<{ content: string }>('/api/contents/streamed.txt?content=1&type=file&format=text');
    assert.equal(file.content, 'from a stream');
  });

  it('opens a kernel WebSocket with the right Host, Origin and cookies, and runs 1+1', async () => {
    const connection = open();
    const { id } = await connection.json<{ id: string }>('/api/kernels', 'POST', {});
    const url = `${connection.origin.replace(/^http/, 'ws')}/api/kernels/${id}/channels`;
    const ws = new WebSocket(url, { headers: await connection.webSocketHeaders(`/api/kernels/${id}/channels`) });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    try {
      assert.equal(await execute(ws, '1+1'), '2');
    } finally {
      ws.close();
      await connection.request(`/api/kernels/${id}`, { method: 'DELETE' }).then((r) => r.body.resume());
    }
  });

  it('when SageMaker ends the session, signs in again once and the request goes through; its users are told', async () => {
    const clock = new HandClock();
    const connection = open({ clock });
    await connection.json('/api/contents');
    const renewed: ConnectionState[] = [];
    connection.onDidRenew((s) => renewed.push(s));
    await endpoint.endNotebookSessions('nb');
    const results = await Promise.all([
      connection.json<{ content: unknown[] }>('/api/contents'),
      connection.json<{ content: unknown[] }>('/api/contents'),
    ]);
    for (const r of results) assert.ok(Array.isArray(r.content));
    assert.equal(minted, 2, 'one new URL for both waiting requests');
    assert.equal(renewed.length, 1);
  });

  it('signs in again on refusals at most once a minute: a refusal a new sign-in did not cure is Jupyter’s own', async () => {
    const clock = new HandClock();
    const connection = open({ clock });
    await connection.json('/api/contents');
    await endpoint.endNotebookSessions('nb');
    await connection.json('/api/contents'); // renewed, and through
    assert.equal(minted, 2);
    await endpoint.endNotebookSessions('nb'); // refused again at once: as if the refusal were Jupyter's
    const refused = await connection.request('/api/contents');
    refused.body.resume();
    assert.equal(refused.status, 403);
    assert.equal(minted, 2, 'no second sign-in within the minute');
    clock.offset += 61_000;
    await connection.json('/api/contents');
    assert.equal(minted, 3, 'a minute later a refusal leads to a sign-in again');
  });

  it('renews itself before the session ends; with autoRenew off it ends with the session instead', async () => {
    const clock = new HandClock();
    const renewing = open({ clock, sessionSeconds: 1800, renewMarginMs: 5 * 60_000 });
    await renewing.ready();
    const first = renewing.state as ConnectionState & { kind: 'open' };
    clock.fireNext(); // 25 minutes on
    await waitUntil(() => minted === 2);
    await renewing.ready();
    const second = renewing.state as ConnectionState & { kind: 'open' };
    assert.equal(second.kind, 'open');
    assert.ok(second.endsAt > first.endsAt, 'a new session, full length');

    minted = 0;
    const hand = new HandClock();
    const ending = open({ clock: hand, sessionSeconds: 1800, autoRenew: () => false });
    await ending.ready();
    hand.fireNext(); // the renewal time: nothing is renewed, the end is scheduled
    hand.fireNext(); // the session's end
    assert.deepEqual(ending.state, { kind: 'ended', reason: 'expired', message: 'The notebook session ended.' });
    assert.equal(minted, 1);
    await assert.rejects(ending.json('/api/contents'), /The notebook session ended/);
  });

  it('with autoRenew off, a refusal that a live session would pass ends the connection as expired; no new URL', async () => {
    const connection = open({ clock: new HandClock(), autoRenew: () => false });
    await connection.json('/api/contents');
    const states: ConnectionState[] = [];
    connection.onDidChangeState((s) => states.push(s));
    await endpoint.endNotebookSessions('nb');
    const refused = await connection.request('/api/contents');
    refused.body.resume();
    assert.equal(refused.status, 403, 'the refusal is the answer: nothing renews it');
    await waitUntil(() => connection.state.kind === 'ended');
    assert.deepEqual(states, [{ kind: 'ended', reason: 'expired', message: 'The notebook session ended.' }]);
    assert.equal(minted, 1);
  });

  it('with autoRenew off, a refusal of its own by Jupyter (the session alive) ends nothing', async () => {
    const connection = open({ clock: new HandClock(), autoRenew: () => false });
    await connection.json('/api/contents');
    const checks = () => endpoint.gatewayVisits.filter((v) => v.path.endsWith('/api/status'));
    const before = checks().length;
    assert.equal(connection.retryAfter(403, undefined, 1), false, 'a 403 as Jupyter gives for a bad _xsrf: not retried');
    await waitUntil(() => checks().length === before + 1); // the check: a request that only a live session passes
    await waitUntil(() => (connection as unknown as { checkingSession?: unknown }).checkingSession === undefined);
    assert.equal(checks()[before].statusCode, 200);
    assert.equal(connection.state.kind, 'open');
    assert.equal(minted, 1);
  });

  it('is shared by its users and counted: one connection per instance, closed when the last user leaves', async () => {
    const connections = new JupyterConnections<undefined>(() => open(), quietLogger);
    const key = { profile: 'default', arn: 'arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/nb' };
    const a = connections.acquire(key, undefined);
    const b = connections.acquire(key, undefined);
    assert.equal(a.connection, b.connection);
    await Promise.all([a.connection.json('/api/contents'), b.connection.json('/api/contents')]);
    assert.equal(minted, 1);
    a.release();
    a.release(); // idempotent
    assert.equal(b.connection.state.kind, 'open');
    b.release();
    assert.equal(b.connection.state.kind, 'ended');
    assert.equal(connections.find(key), undefined);

    const c = connections.acquire(key, undefined);
    assert.notEqual(c.connection, a.connection, 'a new user after the close gets a new connection');
    connections.end((k) => k.arn === key.arn, 'stopped', 'nb is Stopping.');
    assert.deepEqual(c.connection.state, { kind: 'ended', reason: 'stopped', message: 'nb is Stopping.' });
    c.release();
  });
});

async function waitUntil(done: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
