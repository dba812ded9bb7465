import * as assert from 'assert';
import { once } from 'events';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { AddressInfo } from 'net';
import { createProxy, type ProxyServer } from 'proxy';
import { SdkNotebookApi } from '../../src/aws/notebookApi';
import { loadSdk } from '../../src/aws/loadSdk';
import { apiUrl, caBundlePath, planAgent } from '../../src/aws/network';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startLocalSageMaker, type LocalSageMaker } from '../endpoint/server';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

describe('network: proxy and CA bundle decisions', () => {
  const noEnv = () => '';

  it('VS Code http.proxy wins, except for http.noProxy hosts', () => {
    const settings = { proxy: 'http://corp:3128', noProxy: ['.internal.example', 'vpce.local'], strictSSL: true };
    assert.strictEqual(
      planAgent('https://api.sagemaker.eu-west-1.amazonaws.com', settings, () => 'http://env:1').proxy,
      'http://corp:3128',
    );
    assert.strictEqual(planAgent('https://sm.internal.example', settings, noEnv).proxy, undefined);
    assert.strictEqual(planAgent('https://vpce.local:443', settings, noEnv).proxy, undefined);
  });

  it('falls back to HTTPS_PROXY / NO_PROXY from the environment', () => {
    assert.strictEqual(
      planAgent('https://api.sagemaker.us-east-1.amazonaws.com', { strictSSL: true }, () => 'http://env:8080').proxy,
      'http://env:8080',
    );
    assert.strictEqual(planAgent('https://api.sagemaker.us-east-1.amazonaws.com', { strictSSL: true }, noEnv).proxy, undefined);
  });

  it('knows the API host per partition, and AWS_CA_BUNDLE beats the profile ca_bundle', () => {
    assert.strictEqual(apiUrl('cn-north-1', undefined), 'https://api.sagemaker.cn-north-1.amazonaws.com.cn');
    assert.strictEqual(apiUrl('us-east-1', 'https://vpce-1.example'), 'https://vpce-1.example');
    assert.strictEqual(caBundlePath({ AWS_CA_BUNDLE: '/env.pem' }, '/profile.pem'), '/env.pem');
    assert.strictEqual(caBundlePath({}, '/profile.pem'), '/profile.pem');
  });
});

describe('network: through a local forward proxy with the real SDK', function () {
  this.timeout(20_000);
  let endpoint: LocalSageMaker;
  let proxy: ProxyServer;
  let proxied: string[];
  const saved = { ...process.env };

  before(async () => {
    endpoint = await startLocalSageMaker({ seed: [{ name: 'via-proxy' }] });
    proxy = createProxy();
    proxied = [];
    proxy.on('request', (req) => proxied.push(`${req.method} ${req.url}`));
    proxy.on('connect', (req) => proxied.push(`CONNECT ${req.url}`));
    proxy.listen(0, '127.0.0.1');
    await once(proxy, 'listening');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smn-net-'));
    fs.writeFileSync(
      path.join(dir, 'credentials'),
      `[default]\naws_access_key_id = ${DEFAULT_ACCESS_KEY_ID}\naws_secret_access_key = ${DEFAULT_SECRET_ACCESS_KEY}\n`,
    );
    fs.writeFileSync(path.join(dir, 'config'), '[default]\nregion = us-east-1\n');
    Object.assign(process.env, { AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'), AWS_CONFIG_FILE: path.join(dir, 'config') });
  });

  after(async () => {
    process.env = saved;
    proxy.closeAllConnections?.();
    await new Promise((r) => proxy.close(r));
    await endpoint.stop();
  });

  const api = (network: ConstructorParameters<typeof SdkNotebookApi>[1]['network']) =>
    new SdkNotebookApi(loadSdk(), { profile: 'default', endpoint: endpoint.url, logger: quiet, mfaCode: async () => '', network });

  it('sends SageMaker requests through http.proxy when set', async () => {
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const client = api({ proxy: proxyUrl, strictSSL: true });
    try {
      const list = await client.listInstances('us-east-1');
      assert.deepStrictEqual(
        list.map((i) => i.name),
        ['via-proxy'],
      );
      assert.ok(
        proxied.some((p) => p.includes(`127.0.0.1:${endpoint.port}`) && p.includes('POST')),
        proxied.join(', '),
      );
    } finally {
      client.dispose();
    }
  });

  it('goes direct when the host is in http.noProxy', async () => {
    proxied = [];
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const client = api({ proxy: proxyUrl, noProxy: ['127.0.0.1'], strictSSL: true });
    try {
      await client.listInstances('us-east-1');
      assert.deepStrictEqual(proxied, []);
      assert.strictEqual(endpoint.count('ListNotebookInstances') >= 2, true);
    } finally {
      client.dispose();
    }
  });

  it('a missing CA bundle file is a clear error, not a TLS mystery', async () => {
    const client = api({ strictSSL: true, caBundle: '/nonexistent/ca.pem' });
    try {
      await assert.rejects(client.listInstances('us-east-1'), /Could not read the CA bundle \/nonexistent\/ca\.pem/);
    } finally {
      client.dispose();
    }
  });
});
