import * as assert from 'assert';
import { once } from 'events';
import type { AddressInfo } from 'net';
import { createProxy, type ProxyServer } from 'proxy';
import * as vscode from 'vscode';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startLocalSageMaker, type LocalSageMaker } from '../endpoint/server';
import type { ExtensionApi } from '../../src/extension';
import { credentialsFor, extensionApi, releaseEndpoint, treeLabels, useAwsFiles } from './fixtures';

describe('Corporate proxy', function () {
  this.timeout(30_000);
  let endpoint: LocalSageMaker;
  let proxy: ProxyServer;
  let api: ExtensionApi;
  const seen: string[] = [];
  const http = () => vscode.workspace.getConfiguration('http');

  before(async () => {
    endpoint = await startLocalSageMaker({ seed: [{ name: 'behind-proxy' }] });
    process.env.AWS_ENDPOINT_URL_SAGEMAKER = endpoint.url;
    useAwsFiles({ config: '[default]\nregion = us-east-1\n', credentials: credentialsFor({ default: { key: DEFAULT_ACCESS_KEY_ID, secret: DEFAULT_SECRET_ACCESS_KEY } }) });
    proxy = createProxy();
    proxy.on('request', (req) => seen.push(`${req.method} ${req.url}`));
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

  it('lists through VS Code\'s http.proxy, and directly for an http.noProxy host', async () => {
    await http().update('proxy', `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, vscode.ConfigurationTarget.Global);
    api.tree.refresh();
    assert.deepStrictEqual(await treeLabels(api), ['behind-proxy']);
    assert.ok(seen.some((r) => r.startsWith('POST') && r.includes(`127.0.0.1:${endpoint.port}`)), `proxy saw: ${seen.join(', ')}`);

    seen.length = 0;
    await http().update('noProxy', ['127.0.0.1'], vscode.ConfigurationTarget.Global);
    api.tree.refresh();
    assert.deepStrictEqual(await treeLabels(api), ['behind-proxy']);
    assert.deepStrictEqual(seen, [], 'no request through the proxy for a noProxy host');
  });
});
