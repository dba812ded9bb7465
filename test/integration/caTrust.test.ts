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
    useAwsFiles({ config: '[default]\nregion = us-east-1\n', credentials: credentialsFor({ default: { key: DEFAULT_ACCESS_KEY_ID, secret: DEFAULT_SECRET_ACCESS_KEY } }) });
    api = await extensionApi();
    await http().update('proxy', proxy.url, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    for (const key of ['proxy', 'proxySupport']) await http().update(key, undefined, vscode.ConfigurationTarget.Global);
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
      assert.deepStrictEqual(await treeLabels(api), ['behind-inspection'], `state: ${JSON.stringify(api.connection.state)}; refused: ${proxy.refusedHandshakes.join(', ')}`);
      assert.ok(proxy.handshakes.includes(API_HOST), 'the TLS connection to the API host went through the inspecting proxy');
      assert.ok(endpoint.count('ListNotebookInstances') >= 1);
    });
  }
});
