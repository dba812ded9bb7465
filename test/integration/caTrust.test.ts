// Behind a TLS-inspecting corporate proxy, in real VS Code: SageMaker's real API host name, reached through
// http.proxy, with the proxy's certificates trusted only through AWS_CA_BUNDLE. Both ways VS Code can treat
// the extension's agents: `http.proxySupport: override` (VS Code's default: its agent replaces the
// extension's and keeps the CA of an https.Agent) and `off` (the extension's own tunnelling agent).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startLocalSageMaker, type LocalSageMaker } from '../endpoint/server';
import { startInterceptingProxy, type InterceptingProxy } from '../endpoint/interceptingProxy';
import { createTestCa, type TestCa } from '../endpoint/testCa';
import { credentialsFor, extensionApi, releaseEndpoint, treeLabels, useAwsFiles, type ExtensionApi } from './fixtures';

const API_HOST = 'api.sagemaker.us-east-1.amazonaws.com';

describe('CA bundle through a TLS-inspecting proxy', function () {
  this.timeout(60_000);
  let endpoint: LocalSageMaker;
  let ca: TestCa;
  let proxy: InterceptingProxy;
  let api: ExtensionApi;
  const http = () => vscode.workspace.getConfiguration('http');

  before(async () => {
    endpoint = await startLocalSageMaker({ seed: [{ name: 'behind-inspection' }] });
    ca = createTestCa();
    proxy = await startInterceptingProxy(ca, (host) => (host === API_HOST ? { port: endpoint.port } : undefined));
    delete process.env.AWS_ENDPOINT_URL_SAGEMAKER; // the SDK's own endpoint: the real host name
    process.env.AWS_CA_BUNDLE = ca.certFile;
    useAwsFiles({
      config: '[default]\nregion = us-east-1\n',
      credentials: credentialsFor({ default: { key: DEFAULT_ACCESS_KEY_ID, secret: DEFAULT_SECRET_ACCESS_KEY } }),
    });
    api = await extensionApi();
    await http().update('proxy', proxy.url, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    for (const key of ['proxy', 'proxySupport', 'proxyStrictSSL']) await http().update(key, undefined, vscode.ConfigurationTarget.Global);
    delete process.env.AWS_CA_BUNDLE;
    await releaseEndpoint(api, endpoint);
    await proxy.close();
    ca.dispose();
  });

  for (const support of ['override', 'off']) {
    it(`lists SageMaker's real host through the proxy, trusting its certificate by AWS_CA_BUNDLE (http.proxySupport: ${support})`, async () => {
      await http().update('proxySupport', support, vscode.ConfigurationTarget.Global);
      proxy.handshakes.length = 0;
      proxy.refusedHandshakes.length = 0;
      endpoint.resetLog();
      api.connection.refresh();
      assert.deepStrictEqual(
        await treeLabels(api),
        ['behind-inspection'],
        `state: ${JSON.stringify(api.connection.state)}; refused: ${proxy.refusedHandshakes.join(', ')}`,
      );
      assert.ok(proxy.handshakes.includes(API_HOST), 'the TLS connection to the API host went through the inspecting proxy');
      assert.ok(endpoint.count('ListNotebookInstances') >= 1);
    });
  }

  // Without the CA: the inspecting proxy's certificate is refused with a message saying what to do, and
  // http.proxyStrictSSL false accepts it. Under `override` VS Code's agent replaces the extension's and keeps
  // only its CA: the request itself must carry rejectUnauthorized (src/shared/agentTls.ts).
  for (const support of ['override', 'off']) {
    it(`an untrusted certificate is explained; http.proxyStrictSSL false accepts it (http.proxySupport: ${support})`, async () => {
      delete process.env.AWS_CA_BUNDLE;
      try {
        await http().update('proxySupport', support, vscode.ConfigurationTarget.Global);
        await http().update('proxyStrictSSL', true, vscode.ConfigurationTarget.Global);
        proxy.tunnels.length = 0;
        endpoint.resetLog();
        api.connection.refresh();
        const refused = await treeLabels(api);
        assert.strictEqual(refused.length, 1, `one error row: ${JSON.stringify(refused)}`);
        assert.strictEqual(
          refused[0].trim(),
          "The TLS certificate of SageMaker in us-east-1 is not trusted (SELF_SIGNED_CERT_IN_CHAIN). Behind a TLS-inspecting proxy, point AWS_CA_BUNDLE or the profile's ca_bundle at a PEM file with its CA certificates; only on a network you trust, set http.proxyStrictSSL to false instead.",
        );
        assert.ok(
          proxy.tunnels.some((t) => t.startsWith(`${API_HOST}:`)),
          'it went through the inspecting proxy',
        );
        assert.strictEqual(endpoint.count('ListNotebookInstances'), 0, 'no request got past the refused certificate');

        await http().update('proxyStrictSSL', false, vscode.ConfigurationTarget.Global);
        proxy.handshakes.length = 0;
        endpoint.resetLog();
        api.connection.refresh();
        assert.deepStrictEqual(await treeLabels(api), ['behind-inspection'], `state: ${JSON.stringify(api.connection.state)}`);
        assert.ok(proxy.handshakes.includes(API_HOST), 'through the inspecting proxy, its certificate accepted');
        assert.ok(endpoint.count('ListNotebookInstances') >= 1);
      } finally {
        await http().update('proxyStrictSSL', undefined, vscode.ConfigurationTarget.Global);
        process.env.AWS_CA_BUNDLE = ca.certFile;
      }
    });
  }
});
