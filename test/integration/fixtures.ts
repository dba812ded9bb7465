// Shared set-up for integration tests: temporary ~/.aws files, the local endpoint, the live extension.
import * as assert from 'assert';
import * as fs from 'fs';
import { request as httpRequest } from 'http';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ExtensionApi as ShippedApi, Testing } from '../../src/main';
import type { ExplorerNode } from '../../src/notebooks/instancesTree';
import type { NotebookInstance } from '../../src/shared/instance';

export const EXTENSION_ID = 'sagemaker-notebooks.sagemaker-notebook-instances';

/** Secrets the tests hand the extension (beyond the local endpoint's keys); zz-leaks looks for each. */
export const TEST_SECRETS = {
  /** The team profile's secret key in explorer.test. */
  teamSecret: 'teamSecretForTestsOnly',
  /** The access token of the SSO cache file explorer.test writes. */
  ssoAccessToken: 'ssoAccessTokenForTestsOnly-8d41c07e2b5a9f36',
  /** The session token of zz-leaks' own profile. */
  sessionToken: 'IQoJb3JpZ2luX2VjEsessionTokenForTestsOnly/7Qm+Zr2%2Bw9Xe==',
};

/** The extension's API as the test runner gets it: with the test recorder (ExtensionMode.Test). */
export type ExtensionApi = ShippedApi & { readonly testing: Testing };

export async function extensionApi(): Promise<ExtensionApi> {
  const ext = vscode.extensions.getExtension<ShippedApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  const api = await ext.activate();
  assert.ok(api.testing, 'the test runner gets the testing API');
  return api as ExtensionApi;
}

/** Writes AWS config and credentials files into a fresh folder and points the SDK at them. */
export function useAwsFiles(files: { config?: string; credentials?: string }): { dir: string; config: string; credentials: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smn-aws-'));
  const config = path.join(dir, 'config');
  const credentials = path.join(dir, 'credentials');
  if (files.config !== undefined) fs.writeFileSync(config, files.config);
  if (files.credentials !== undefined) fs.writeFileSync(credentials, files.credentials);
  process.env.AWS_CONFIG_FILE = config;
  process.env.AWS_SHARED_CREDENTIALS_FILE = credentials;
  return { dir, config, credentials };
}

export function credentialsFor(profiles: Record<string, { key: string; secret: string }>): string {
  return Object.entries(profiles)
    .map(([name, { key, secret }]) => `[${name}]\naws_access_key_id = ${key}\naws_secret_access_key = ${secret}\n`)
    .join('\n');
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

/** The labels of the tree's rows, as VS Code would render them, walking region nodes. */
export async function treeLabels(api: ExtensionApi, parent?: ExplorerNode): Promise<string[]> {
  const nodes = await api.tree.getChildren(parent);
  const labels: string[] = [];
  for (const node of nodes) {
    const item = api.tree.getTreeItem(node);
    const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
    labels.push(label);
    if (node.kind === 'region') labels.push(...(await treeLabels(api, node)).map((l) => `  ${l}`));
  }
  return labels;
}

/** The instance as the tree lists it (fetching what it has not fetched yet); fails the test when absent. */
export async function listedInstance(api: ExtensionApi, name: string): Promise<NotebookInstance> {
  const found = (await api.instances.loadAll()).find((i) => i.name === name);
  assert.ok(found, `${name} is listed`);
  return found;
}

/** The tree node of a listed instance, as a click or a context-menu command receives it. */
export async function instanceRow(api: ExtensionApi, name: string): Promise<ExplorerNode & { kind: 'instance' }> {
  return { kind: 'instance', instance: await listedInstance(api, name) };
}

/** Leaves the extension as a test file found it: no tracked sessions, no endpoint, a fresh tree. */
export async function releaseEndpoint(api: ExtensionApi, endpoint: { stop(): Promise<void> }): Promise<void> {
  for (const s of api.sessions.sessions()) await api.sessions.stopTracking(s);
  delete process.env.AWS_ENDPOINT_URL_SAGEMAKER;
  api.connection.refresh();
  await endpoint.stop();
}

export interface RawAnswer {
  status: number;
  headers: import('http').IncomingHttpHeaders;
  body: string;
}

/**
 * A request to the server at `address` for `url`, with `url`'s Host: what a browser sends to a `*.localhost`
 * name (the in-editor proxy's secret host), which Node's resolver cannot find.
 */
export function requestAt(
  address: string,
  url: string,
  headers: Record<string, string>,
  method = 'GET',
  body?: string,
): Promise<RawAnswer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${address}${target.pathname}${target.search}`,
      { method, headers: { ...headers, host: target.host }, agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
