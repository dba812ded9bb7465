// The connection manager and the instance store, pure, against the local SageMaker endpoint and the real
// SDK: one owner of the profile and its state, listings shared by every reader, and a refresh that leaves
// nothing stale behind.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { connect } from '../../../src/aws/connection';
import { ConnectionManager, type AwsState } from '../../../src/aws/connectionManager';
import { loadSdk } from '../../../src/aws/loadSdk';
import { InstanceStore } from '../../../src/notebooks/instanceStore';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startLocalSageMaker, type LocalSageMaker } from '../../endpoint/server';

describe('ConnectionManager and InstanceStore', function () {
  this.timeout(20_000);
  let endpoint: LocalSageMaker;
  let dir: string;
  const saved = { ...process.env };
  const logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
  let profile: string | undefined;
  let states: AwsState[];

  const manager = () =>
    new ConnectionManager({
      open: () =>
        connect(
          { profile, regions: ['us-east-1'], endpoint: endpoint.url },
          { sdk: loadSdk, env: process.env, logger, mfaCode: async () => '' },
        ),
      configuredProfile: () => profile ?? 'default',
      logger,
    });

  before(async () => {
    endpoint = await startLocalSageMaker({ seed: [{ name: 'alpha' }, { name: 'beta', status: 'Stopped' }] });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smn-store-'));
    fs.writeFileSync(
      path.join(dir, 'credentials'),
      `[default]\naws_access_key_id = ${DEFAULT_ACCESS_KEY_ID}\naws_secret_access_key = ${DEFAULT_SECRET_ACCESS_KEY}\n`,
    );
    fs.writeFileSync(path.join(dir, 'config'), '[default]\nregion = us-east-1\n[profile empty]\nregion = us-east-1\n');
    Object.assign(process.env, { AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'), AWS_CONFIG_FILE: path.join(dir, 'config') });
    delete process.env.AWS_PROFILE;
  });
  beforeEach(() => {
    profile = undefined;
    states = [];
    endpoint.resetLog();
  });
  after(async () => {
    process.env = saved;
    await endpoint.stop();
  });

  it("owns the profile: the configured one before connecting, the connection's once it answered", async () => {
    const m = manager();
    m.onDidChangeState((s) => states.push(s));
    profile = 'default';
    assert.strictEqual(m.profile, 'default');
    assert.strictEqual(m.state.kind, 'loading');
    const c = await m.current();
    assert.ok(m.isReady(c));
    assert.deepStrictEqual(
      states.map((s) => [s.kind, s.profile]),
      [['ready', 'default']],
    );
    m.dispose();
  });

  it('turns rejected credentials into one state instead of a failed listing per region', async () => {
    profile = 'empty'; // a profile without any credentials
    const m = manager();
    const c = await m.current();
    assert.strictEqual(m.isReady(c), false);
    assert.strictEqual(m.state.kind, 'noCredentials');
    assert.strictEqual(m.state.profile, 'empty');
    const store = new InstanceStore(m, logger);
    assert.deepStrictEqual(await store.loadAll(), [], 'nothing is listed with credentials that do not work');
    assert.strictEqual(endpoint.count('ListNotebookInstances'), 0);
    store.dispose();
    m.dispose();
  });

  it('lists each region once for every reader, and a refresh drops what was fetched and fetches again', async () => {
    const m = manager();
    const store = new InstanceStore(m, logger);
    let changes = 0;
    store.onDidChange(() => changes++);
    const [a, b] = await Promise.all([store.loadAll(), store.loadAll()]);
    assert.deepStrictEqual(a.map((i) => i.name).sort(), ['alpha', 'beta']);
    assert.deepStrictEqual(b.map((i) => i.name).sort(), ['alpha', 'beta']);
    assert.strictEqual(endpoint.count('ListNotebookInstances'), 1, 'one listing shared by both readers');
    m.refresh();
    assert.strictEqual(m.state.kind, 'loading');
    assert.deepStrictEqual(store.knownInstances(), [], 'nothing stale survives a refresh');
    assert.ok(changes >= 1, 'the tree hears that its rows are gone');
    endpoint.addInstance({ name: 'gamma' });
    assert.deepStrictEqual((await store.loadAll()).map((i) => i.name).sort(), ['alpha', 'beta', 'gamma']);
    assert.strictEqual(endpoint.count('ListNotebookInstances'), 2);
    store.dispose();
    m.dispose();
  });

  it('keeps watching an instance it was told is transitional and reports when it settles or disappears', async () => {
    const m = manager();
    const store = new InstanceStore(m, logger, undefined, undefined, { firstDelayMs: 50, maxDelayMs: 100, factor: 1.5 });
    const seen: string[] = [];
    store.onDidSeeInstances(({ instances, removed }) =>
      seen.push(...instances.map((i) => `${i.name}:${i.status}`), ...removed.map((r) => `removed:${r.split('/').pop()}`)),
    );
    const all = await store.loadAll();
    const beta = all.find((i) => i.name === 'beta')!;
    store.updateInstance({ ...beta, status: 'Pending' }, { resetPolling: true });
    assert.strictEqual(store.pollerState.watching, 1);
    endpoint.removeInstance('beta');
    const deadline = Date.now() + 5000;
    while (!seen.includes('removed:beta') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.ok(seen.includes('removed:beta'), seen.join(', '));
    assert.ok(!store.knownInstances().some((i) => i.name === 'beta'));
    assert.strictEqual(store.pollerState.watching, 0);
    store.dispose();
    m.dispose();
  });
});
