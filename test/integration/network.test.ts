import * as assert from 'assert';
import { once } from 'events';
import type { AddressInfo } from 'net';
import { createProxy, type ProxyServer } from 'proxy';
import * as vscode from 'vscode';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startLocalSageMaker, type LocalSageMaker } from '../endpoint/server';
import {
  credentialsFor,
  extensionApi,
  instanceRow,
  releaseEndpoint,
  requestAt,
  treeLabels,
  useAwsFiles,
  type ExtensionApi,
} from './fixtures';

describe('Corporate proxy', function () {
  this.timeout(30_000);
  let endpoint: LocalSageMaker;
  let proxy: ProxyServer;
  let api: ExtensionApi;
  const seen: string[] = [];
  /** The client side of every CONNECT tunnel the forward proxy opened. */
  const tunnels: Array<{ bytesRead: number }> = [];
  const tunnelled = () => tunnels.reduce((n, s) => n + s.bytesRead, 0);
  const http = () => vscode.workspace.getConfiguration('http');

  before(async () => {
    endpoint = await startLocalSageMaker({ seed: [{ name: 'behind-proxy' }] });
    process.env.AWS_ENDPOINT_URL_SAGEMAKER = endpoint.url;
    useAwsFiles({
      config: '[default]\nregion = us-east-1\n',
      credentials: credentialsFor({ default: { key: DEFAULT_ACCESS_KEY_ID, secret: DEFAULT_SECRET_ACCESS_KEY } }),
    });
    proxy = createProxy();
    proxy.on('request', (req) => seen.push(`${req.method} ${req.url}`));
    proxy.on('connect', (req, socket) => {
      seen.push(`CONNECT ${req.url}`);
      tunnels.push(socket as unknown as { bytesRead: number }); // a net.Socket: the proxy hands over the raw connection
    });
    proxy.listen(0, '127.0.0.1');
    await once(proxy, 'listening');
    api = await extensionApi();
  });

  after(async () => {
    await http().update('proxy', undefined, vscode.ConfigurationTarget.Global);
    await http().update('noProxy', undefined, vscode.ConfigurationTarget.Global);
    proxy.closeAllConnections?.();
    await new Promise((r) => proxy.close(r));
    await releaseEndpoint(api, endpoint);
  });

  it("lists through VS Code's http.proxy, and directly for an http.noProxy host", async () => {
    await http().update('proxy', `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, vscode.ConfigurationTarget.Global);
    api.connection.refresh();
    assert.deepStrictEqual(await treeLabels(api), ['behind-proxy']);
    assert.ok(
      seen.some((r) => r.startsWith('POST') && r.includes(`127.0.0.1:${endpoint.port}`)),
      `proxy saw: ${seen.join(', ')}`,
    );

    seen.length = 0;
    await http().update('noProxy', ['127.0.0.1'], vscode.ConfigurationTarget.Global);
    api.connection.refresh();
    assert.deepStrictEqual(await treeLabels(api), ['behind-proxy']);
    assert.deepStrictEqual(seen, [], 'no request through the proxy for a noProxy host');
  });

  it('Open in VS Code: the notebook proxy signs in and serves pages through http.proxy too, by a CONNECT tunnel', async () => {
    api.testing.ui.setOpenExternal(async () => assert.fail('nothing may go to the external browser'));
    await http().update('noProxy', undefined, vscode.ConfigurationTarget.Global);
    await http().update('proxy', `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, vscode.ConfigurationTarget.Global);
    api.connection.refresh();
    const { instance } = await instanceRow(api, 'behind-proxy');
    seen.length = 0;
    await vscode.commands.executeCommand('sagemakerNotebooks.openInEditor', { kind: 'instance', instance });
    const state = api.panels.inspect(instance.arn);
    assert.ok(state, 'a panel is open');
    try {
      const signIn = endpoint.gatewayVisits.filter((v) => v.instance === 'behind-proxy' && v.outcome === 'token-accepted');
      assert.strictEqual(signIn.length, 1, 'the notebook proxy signed in once');
      assert.ok(
        seen.some((r) => r.startsWith('CONNECT 127.0.0.1:')),
        `the sign-in went through the forward proxy; it saw: ${seen.join(', ')}`,
      );
      assert.ok(!seen.some((r) => /authToken/i.test(r)), 'a tunnel shows the proxy no path or token');

      // A page the webview asks for goes upstream through the tunnel as well.
      const entry = /<iframe id="notebook" src="([^"]+)"/.exec(state.html)?.[1].replace(/&amp;/g, '&');
      assert.ok(entry?.startsWith(`${state.frameOrigin}/`), 'the iframe loads the notebook proxy');
      if (!entry) return;
      const before = endpoint.gatewayVisits.length;
      const bytesBefore = tunnelled();
      // As the webview's frame navigates to it: to the secret host, which the browser resolves to loopback.
      const navigate = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'iframe' };
      const entered = await requestAt(state.address, entry, navigate);
      assert.strictEqual(entered.status, 303, 'the entry leaves the secret cookie and redirects');
      const cookie = String((entered.headers['set-cookie'] as string[])[0]).split(';')[0];
      const page = await requestAt(state.address, new URL(String(entered.headers.location), entry).href, { ...navigate, cookie });
      assert.strictEqual(page.status, 200);
      assert.match(page.body, /behind-proxy/);
      assert.ok(
        endpoint.gatewayVisits.slice(before).some((v) => v.outcome === 'page'),
        'the gateway served the page',
      );
      assert.ok(tunnelled() > bytesBefore, 'the page request went through a tunnel of the forward proxy');
    } finally {
      api.panels.close(instance.arn);
      await http().update('proxy', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
