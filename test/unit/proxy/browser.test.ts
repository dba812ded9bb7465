// The notebook proxy seen from a real browser, framed the way the webview frames it: the top page on another
// site, the proxy in an iframe. This is what proves the absolute-path approach (the Partitioned secret
// cookie) works in a cross-site iframe with third-party cookies blocked, kernel WebSocket included.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreatePresignedNotebookInstanceUrlCommand } from '@aws-sdk/client-sagemaker';
import { chromium, type Browser } from 'playwright-core';
import { startNotebookProxy, type NotebookProxy } from '../../../src/open/proxy';
import { startLocalSageMaker, type LocalSageMaker } from '../../endpoint/server';
import { localClient } from '../../endpoint/testClient';
import { startJupyter, type RunningJupyter } from '../../support/jupyter';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

describe('notebook proxy in a cross-site iframe of a real browser', function () {
  this.timeout(20_000);
  let jupyter: RunningJupyter | undefined;
  let endpoint: LocalSageMaker | undefined;
  let proxy: NotebookProxy | undefined;
  let host: Server | undefined;
  let browser: Browser | undefined;

  before(async function () {
    if (!existsSync(CHROMIUM)) return this.skip(); // no browser on this machine: nothing to drive
    jupyter = await startJupyter();
    endpoint = await startLocalSageMaker({ seed: [{ name: 'nb', status: 'InService', jupyterUpstream: jupyter.url }] });
    const client = localClient(endpoint);
    const url = (await client.send(new CreatePresignedNotebookInstanceUrlCommand({ NotebookInstanceName: 'nb' }))).AuthorizedUrl!;
    client.destroy();
    proxy = await startNotebookProxy({ authorizedUrl: url.replace('?', '/tree?'), logger: quiet });
    const entry = proxy.entryUrl;
    // Served as http://localhost:PORT, a different site from 127.0.0.1, as the webview is.
    host = createServer((_req, res) => res.end(`<iframe style="width:1000px;height:700px" src="${entry}"></iframe>`));
    await new Promise<void>((resolve) => host!.listen(0, '127.0.0.1', resolve));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  after(async () => {
    await browser?.close();
    host?.close();
    await proxy?.close();
    await endpoint?.stop();
    await jupyter?.stop();
  });

  it("shows Jupyter's file list, then opens a notebook by absolute path and connects its kernel", async () => {
    const page = await browser!.newPage();
    await page.goto(`http://localhost:${(host!.address() as AddressInfo).port}/`);
    const frame = () => page.frames().find((f) => f.url().startsWith(proxy!.origin))!;
    // The list comes from /api/contents, an absolute path without the secret: only the cookie lets it through.
    await frame().waitForSelector('a[href$="hello.ipynb"]', { timeout: 8000 });
    // The notebook page, its static files and the kernel's WebSocket are all absolute paths too.
    await frame().evaluate("location.href = '/notebooks/hello.ipynb'");
    const connected = await frame().waitForFunction('window.Jupyter?.notebook?.kernel?.is_connected() === true', undefined, { timeout: 10_000 });
    assert.equal(await connected.jsonValue(), true);
    const cookies = await page.context().cookies();
    assert.deepEqual(cookies.map((c) => [c.name.replace(/\d+$/, 'PORT'), c.httpOnly, c.sameSite]), [['sagemaker-notebook-proxy-PORT', true, 'None']]);
  });
});
