// A TLS-inspecting forward proxy (certificates from a CA made at test time) in front of the local endpoint,
// reached under SageMaker's real host name: the CA bundle and http.proxyStrictSSL must reach the TLS
// connection inside the CONNECT tunnel.
import * as assert from 'assert';
import * as fs from 'fs';
import * as https from 'https';
import * as os from 'os';
import * as path from 'path';
import { SdkNotebookApi } from '../../src/aws/notebookApi';
import { loadSdk } from '../../src/aws/loadSdk';
import { planAgent } from '../../src/aws/network';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startLocalSageMaker, type LocalSageMaker } from '../endpoint/server';
import { createTestCa, type TestCa } from '../endpoint/testCa';
import { startInterceptingProxy, type InterceptingProxy } from '../endpoint/interceptingProxy';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const API_HOST = 'api.sagemaker.us-east-1.amazonaws.com';

describe('network: CA bundle and strict SSL through a TLS-inspecting proxy', function () {
  this.timeout(30_000);
  let endpoint: LocalSageMaker;
  let ca: TestCa;
  let proxy: InterceptingProxy;
  const saved = { ...process.env };

  before(async () => {
    endpoint = await startLocalSageMaker({
      seed: [{ name: 'behind-inspection' }],
      accounts: [{ accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY }],
    });
    ca = createTestCa();
    proxy = await startInterceptingProxy(ca, (host) =>
      host === API_HOST || /^sts\.([a-z0-9-]+\.)?amazonaws\.com$/.test(host) ? { port: endpoint.port } : undefined,
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smn-ca-net-'));
    fs.writeFileSync(
      path.join(dir, 'credentials'),
      `[default]\naws_access_key_id = ${DEFAULT_ACCESS_KEY_ID}\naws_secret_access_key = ${DEFAULT_SECRET_ACCESS_KEY}\n`,
    );
    fs.writeFileSync(
      path.join(dir, 'config'),
      '[default]\nregion = us-east-1\n\n[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/Developer\nsource_profile = default\nregion = us-east-1\n',
    );
    for (const key of ['AWS_ENDPOINT_URL_SAGEMAKER', 'AWS_ENDPOINT_URL', 'AWS_CA_BUNDLE', 'HTTPS_PROXY', 'https_proxy', 'AWS_PROFILE'])
      delete process.env[key];
    Object.assign(process.env, { AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'), AWS_CONFIG_FILE: path.join(dir, 'config') });
  });

  after(async () => {
    process.env = saved;
    await proxy.close();
    await endpoint.stop();
    ca.dispose();
  });

  const api = (network: { strictSSL: boolean; caBundle?: string }, profile = 'default') =>
    new SdkNotebookApi(loadSdk(), { profile, logger: quiet, mfaCode: async () => '', network: { proxy: proxy.url, ...network } });

  async function list(network: { strictSSL: boolean; caBundle?: string }): Promise<string[]> {
    const client = api(network);
    try {
      return (await client.listInstances('us-east-1')).map((i) => i.name);
    } finally {
      client.dispose();
    }
  }

  it("trusts the proxy's certificate for AWS through the CA bundle", async () => {
    proxy.handshakes.length = 0;
    assert.deepStrictEqual(await list({ strictSSL: true, caBundle: ca.certFile }), ['behind-inspection']);
    assert.ok(proxy.tunnels.includes(`${API_HOST}:443`), proxy.tunnels.join(', '));
    assert.ok(proxy.handshakes.includes(API_HOST), 'the TLS connection to the API host went through the tunnel');
  });

  it('without the CA bundle the inspected connection is refused (the check is real)', async () => {
    await assert.rejects(list({ strictSSL: true }), /certificate/i);
  });

  it("http.proxyStrictSSL off accepts the inspecting proxy's certificate inside the tunnel", async () => {
    assert.deepStrictEqual(await list({ strictSSL: false }), ['behind-inspection']);
  });

  it("the tunnelling agent is an https.Agent holding the CA, which VS Code's proxy support keeps when it replaces the agent", () => {
    const plan = planAgent(`https://${API_HOST}`, { proxy: proxy.url, strictSSL: true, caBundle: ca.certFile }, () => '');
    const { httpsAgent } = loadSdk().createAgents(plan);
    assert.ok(httpsAgent instanceof https.Agent);
    assert.strictEqual((httpsAgent as https.Agent & { options: https.AgentOptions }).options.ca, ca.certPem);
    httpsAgent.destroy();
  });

  it("the in-editor view's notebook agent tunnels with the CA bundle too", async () => {
    const plan = planAgent(`https://${API_HOST}`, { proxy: proxy.url, strictSSL: true, caBundle: ca.certFile }, () => '');
    const agent = loadSdk().createTunnelAgent(plan, true);
    try {
      const status = await new Promise<number>((resolve, reject) => {
        https
          .get(`https://${API_HOST}/`, { agent }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          })
          .on('error', reject);
      });
      assert.ok(status > 0);
    } finally {
      agent.destroy();
    }
  });

  it("an assumed role's STS call goes through the same proxy, with the same CA bundle", async () => {
    endpoint.resetLog();
    proxy.tunnels.length = 0;
    const client = api({ strictSSL: true, caBundle: ca.certFile }, 'dev');
    try {
      assert.deepStrictEqual(
        (await client.listInstances('us-east-1')).map((i) => i.name),
        ['behind-inspection'],
      );
    } finally {
      client.dispose();
    }
    assert.ok(
      proxy.tunnels.some((t) => /^sts\./.test(t)),
      `STS went through the proxy: ${proxy.tunnels.join(', ')}`,
    );
    const ops = endpoint.requests.map((r) => `${r.op} ${r.accessKeyId}`);
    assert.match(ops[0], new RegExp(`^sts:AssumeRole ${DEFAULT_ACCESS_KEY_ID}$`));
    assert.match(ops[1], /^ListNotebookInstances ASIA/, "SageMaker was called with the role's keys");
  });
});
