// UI test: a person opens the SageMaker view in a real VS Code (code-server, driven by headless Chromium)
// and sees their notebook instances, served by the local SageMaker endpoint. Runs under plain node mocha.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Page } from 'playwright-core';
import { startLocalSageMaker, DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, type LocalSageMaker } from '../endpoint/server';

// out/test/ui → the repository root (the extension under test, scripts/vscode/*.mjs).
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const ARTIFACTS = path.join(REPO_ROOT, '.test-artifacts', 'ui');

// tsc (module commonjs) would turn a plain import() into require(), which cannot load the .mjs helpers.
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<any>;

interface Workbench {
  page: Page;
  close(): Promise<void>;
}

const VIEW_CONTAINER = '.activitybar [aria-label^="SageMaker Notebook Instances"]';
// The view's pane carries a `view-<id with dots as dashes>` icon class; rows are the tree's list rows.
const INSTANCE_ROWS = '[id="workbench.view.extension.sagemakerNotebooks"] .pane:has(.view-sagemakerNotebooks-instances) .monaco-list-row';

async function rowLabels(page: Page): Promise<string[]> {
  return page.$$eval(INSTANCE_ROWS, (rows) => rows.map((r) => (r.getAttribute('aria-label') ?? r.textContent ?? '').trim()));
}

// Polls in node rather than in the page: the test compiles without the DOM library.
async function waitForRows(page: Page, done: (rows: string[]) => boolean, timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let rows: string[] = [];
  while (Date.now() < deadline) {
    rows = await rowLabels(page);
    if (done(rows)) return rows;
    await page.waitForTimeout(200);
  }
  throw new Error(`the SageMaker view did not show the expected rows within ${timeoutMs / 1000} s; rows: ${JSON.stringify(rows)}`);
}

describe('SageMaker view in the workbench', function () {
  this.timeout(180_000);
  let endpoint: LocalSageMaker | undefined;
  let workbench: Workbench | undefined;
  let awsDir: string | undefined;
  let workspace: string | undefined;

  before(async function () {
    if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js'))) {
      throw new Error('dist/extension.js is missing: run `npm run build` first');
    }
    const { ensureCodeServer } = await importEsm(path.join(REPO_ROOT, 'scripts', 'vscode', 'install.mjs'));
    const { openWorkbench } = await importEsm(path.join(REPO_ROOT, 'scripts', 'vscode', 'codeServer.mjs'));
    const { bin } = await ensureCodeServer();

    endpoint = await startLocalSageMaker({
      seed: [
        { name: 'demo-lab', status: 'InService' },
        { name: 'demo-stopped', status: 'Stopped' },
      ],
    });
    awsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'smn-ui-aws-'));
    const config = path.join(awsDir, 'config');
    const credentials = path.join(awsDir, 'credentials');
    fs.writeFileSync(config, '[default]\nregion = us-east-1\n');
    fs.writeFileSync(credentials, `[default]\naws_access_key_id = ${DEFAULT_ACCESS_KEY_ID}\naws_secret_access_key = ${DEFAULT_SECRET_ACCESS_KEY}\n`);
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'smn-ui-workspace-'));

    workbench = (await openWorkbench({
      bin,
      extensionPath: REPO_ROOT,
      workspace,
      env: {
        AWS_CONFIG_FILE: config,
        AWS_SHARED_CREDENTIALS_FILE: credentials,
        AWS_ENDPOINT_URL_SAGEMAKER: endpoint.url,
      },
      timeoutMs: 60_000,
    })) as Workbench;
  });

  after(async function () {
    await workbench?.close();
    await endpoint?.stop();
    for (const dir of [awsDir, workspace]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && workbench) {
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      const file = path.join(ARTIFACTS, `failed-${this.currentTest.title.replace(/\W+/g, '-')}.png`);
      await workbench.page.screenshot({ path: file }).catch(() => undefined);
    }
  });

  it('lists every notebook instance as a row when the activity-bar icon is clicked', async function () {
    const page = workbench!.page;
    // The icon appears once the extension's contributions are registered, a moment after the workbench.
    await page.click(VIEW_CONTAINER, { timeout: 30_000 });
    const wanted = ['demo-lab', 'demo-stopped'];
    const labels = await waitForRows(page, (rows) => wanted.every((name) => rows.some((r) => r.includes(name))), 30_000);
    assert.ok(labels.some((l) => l.includes('demo-lab')), `rows: ${JSON.stringify(labels)}`);
    assert.ok(labels.some((l) => l.includes('demo-stopped')), `rows: ${JSON.stringify(labels)}`);

    fs.mkdirSync(ARTIFACTS, { recursive: true });
    // Away from the icon, and past the hover's fade, so no tooltip covers the tree in the picture.
    await page.mouse.move(800, 600);
    await page.waitForTimeout(800);
    await page.screenshot({ path: path.join(ARTIFACTS, 'tree.png') });
  });
});
