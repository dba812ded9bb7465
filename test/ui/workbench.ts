// What every UI test needs: code-server's workbench with the extension loaded and pointed at the local
// SageMaker endpoint through temporary AWS files, and the few gestures a person makes in it (open the view,
// run a palette command, pick from a quick pick), located by aria-labels and visible text.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_REGION,
  DEFAULT_SECRET_ACCESS_KEY,
  TEAM_SECRET_ACCESS_KEY,
  issuedSecrets,
  startLocalSageMaker,
  type LocalSageMaker,
} from '../endpoint/server';
import { findLeaks, folderPlaces, presignedUrls, proxySecretsIn, type Secret } from '../support/leakScan';

// out/test/ui → the repository root (the extension under test, scripts/vscode/*.mjs).
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const ARTIFACTS = path.join(REPO_ROOT, '.test-artifacts', 'ui');

// tsc (module commonjs) would turn a plain import() into require(), which cannot load the .mjs helpers.
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- the one way to keep a dynamic import() under tsc's commonjs output
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<any>;

export interface Workbench {
  page: Page;
  context: BrowserContext;
  browser: Browser;
  /**
   * userSettingsFile: the user settings.json the workbench reads and writes (gone once the server has
   * stopped). dataDir: everything this code-server wrote (user data with logs and extension storage, home,
   * XDG, tmp).
   */
  server: { url: string; port: number; userSettingsFile: string; dataDir: string; output(): string };
  /** Ends the browser and code-server, then fails if code-server's folder holds a secret (scanCodeServerFolder). */
  close(): Promise<void>;
}

export interface WorkbenchOptions {
  /** Added to code-server's environment, which its extension host inherits. */
  env: Record<string, string>;
  extraArgs?: string[];
  /** Added to Chromium's command line (a proxy, certificate trust). */
  browserArgs?: string[];
  settings?: Record<string, unknown>;
  /** code-server's machine settings: where a remote window reads machine-scoped ones (sagemakerNotebooks.endpoint). */
  machineSettings?: Record<string, unknown>;
  /** Start code-server without --disable-workspace-trust, so VS Code asks whether to trust the folder. */
  workspaceTrust?: boolean;
  /** Forward ports by domain (`http://<port>.localhost:<code-server port>/`), as a remote setup would. */
  domainPortForwarding?: boolean;
  /** Files written into the workspace folder before the workbench opens it, by relative path. */
  workspaceFiles?: Record<string, string>;
  /** A folder to open instead of a fresh temporary one (the caller owns it). */
  workspace?: string;
}

/** code-server with the extension under development, and a browser page on its ready workbench. */
export async function launchWorkbench(options: WorkbenchOptions): Promise<Workbench> {
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js'))) {
    throw new Error('dist/extension.js is missing: run `npm run build` first');
  }
  const { ensureCodeServer } = await importEsm(path.join(REPO_ROOT, 'scripts', 'vscode', 'install.mjs'));
  const { openWorkbench } = await importEsm(path.join(REPO_ROOT, 'scripts', 'vscode', 'codeServer.mjs'));
  const { bin } = await ensureCodeServer();
  const own = !options.workspace;
  const workspace = options.workspace ?? fs.mkdtempSync(path.join(os.tmpdir(), 'smn-ui-workspace-'));
  const removeWorkspace = () => own && fs.rmSync(workspace, { recursive: true, force: true });
  try {
    for (const [relative, contents] of Object.entries(options.workspaceFiles ?? {})) {
      fs.mkdirSync(path.dirname(path.join(workspace, relative)), { recursive: true });
      fs.writeFileSync(path.join(workspace, relative), contents);
    }
    const workbench = await openWorkbench({ bin, extensionPath: REPO_ROOT, timeoutMs: 60_000, ...options, workspace });
    // Every URL the browser asked for, in every page and frame: the in-editor proxy's secrets are in them.
    const urls = new Set<string>();
    (workbench.context as BrowserContext).on('request', (request) => void urls.add(request.url()));
    return {
      ...workbench,
      close: async () => {
        try {
          await workbench.close((dataDir: string) => scanCodeServerFolder(dataDir, proxySecretsIn(urls)));
        } finally {
          removeWorkspace();
        }
      },
    };
  } catch (error) {
    removeWorkspace();
    throw error;
  }
}

/** Every secret a UI suite may have handed out: all the local endpoint issued, the test keys, the proxy's. */
function uiSecrets(proxySecrets: readonly string[]): Secret[] {
  return [
    ...issuedSecrets.map((value, i) => ({ name: `token, session cookie or STS key issued #${i}`, value })),
    ...proxySecrets.map((value, i) => ({ name: `in-editor proxy secret #${i}`, value })),
    { name: 'default secret key', value: DEFAULT_SECRET_ACCESS_KEY },
    { name: 'team secret key', value: TEAM_SECRET_ACCESS_KEY },
  ];
}

/**
 * The leak check of test/integration/zz-leaks.test.ts over everything code-server wrote (run by every UI
 * suite's close, after code-server ended and before its folder is deleted): throws naming each file and
 * secret found, without the secret.
 */
export function scanCodeServerFolder(dataDir: string, proxySecrets: readonly string[]): void {
  const places = folderPlaces([dataDir]);
  const found = [
    ...findLeaks(places, uiSecrets(proxySecrets)),
    ...presignedUrls(places).map((where) => `${where}: a presigned URL with its token`),
  ];
  if (found.length) throw new Error(`code-server wrote secrets (${places.length} files scanned):\n${found.join('\n')}`);
}

export interface Profile {
  name: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

/** A private AWS config and credentials file; `env` points the extension host at them and the endpoint. */
export function writeAwsFiles(profiles: Profile[], endpointUrl: string): { dir: string; env: Record<string, string> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smn-ui-aws-'));
  const config = path.join(dir, 'config');
  const credentials = path.join(dir, 'credentials');
  const section = (name: string) => (name === 'default' ? 'default' : `profile ${name}`);
  fs.writeFileSync(config, profiles.map((p) => `[${section(p.name)}]\nregion = ${p.region}\n`).join('\n'));
  fs.writeFileSync(
    credentials,
    profiles.map((p) => `[${p.name}]\naws_access_key_id = ${p.accessKeyId}\naws_secret_access_key = ${p.secretAccessKey}\n`).join('\n'),
  );
  return {
    dir,
    // CloudWatch Logs (Show Startup Log) and IAM (the Create wizard's roles) are served by the same endpoint.
    env: {
      AWS_CONFIG_FILE: config,
      AWS_SHARED_CREDENTIALS_FILE: credentials,
      AWS_ENDPOINT_URL_SAGEMAKER: endpointUrl,
      AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: endpointUrl,
      AWS_ENDPOINT_URL_IAM: endpointUrl,
    },
  };
}

export const VIEW_CONTAINER = '.activitybar [aria-label^="SageMaker Notebooks"]';
// The view's pane carries a `view-<id with dots as dashes>` icon class; rows are the tree's list rows.
export const INSTANCE_ROWS =
  '[id="workbench.view.extension.sagemakerNotebooks"] .pane:has(.view-sagemakerNotebooks-instances) .monaco-list-row';

/** The row of one instance, by the start of its aria-label ("demo-lab, InService, ml.t3.medium"). */
export function instanceRow(page: Page, name: string): Locator {
  return page.locator(`${INSTANCE_ROWS}[aria-label^="${name}, "]`);
}

export async function rowLabels(page: Page): Promise<string[]> {
  return page.$$eval(INSTANCE_ROWS, (rows) => rows.map((r) => (r.getAttribute('aria-label') ?? r.textContent ?? '').trim()));
}

/**
 * Polls `probe` until it returns something truthy; the error names what was awaited and what was last seen.
 * Polls in node rather than in the page: the tests compile without the DOM library.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs: number,
  seen?: () => unknown,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) {
      const last = seen ? `; last seen: ${JSON.stringify(await seen())}` : '';
      throw new Error(`${what} did not happen within ${timeoutMs / 1000} s${last}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}

export async function waitForRows(page: Page, done: (rows: string[]) => boolean, timeoutMs: number): Promise<string[]> {
  let rows: string[] = [];
  return waitFor(
    'the SageMaker view showing the expected rows',
    async () => {
      rows = await rowLabels(page);
      return done(rows) && rows;
    },
    timeoutMs,
    () => rows,
  );
}

/** Clicks the activity-bar icon (it appears a moment after the workbench) and waits for the rows named. */
export async function showInstances(page: Page, names: string[]): Promise<string[]> {
  await page.waitForSelector(VIEW_CONTAINER, { timeout: 30_000 });
  // A second window on the same user data restores the first one's layout, possibly after this check:
  // a click on the icon of a view that is already showing hides the sidebar. So click until it shows.
  const view = page.locator('[id="workbench.view.extension.sagemakerNotebooks"]');
  await waitFor(
    'the SageMaker view to be showing',
    async () => {
      if (await view.isVisible()) return true;
      await page.click(VIEW_CONTAINER, { timeout: 10_000 });
      await view.waitFor({ state: 'visible', timeout: 2_000 }).catch(() => undefined);
      return view.isVisible();
    },
    30_000,
  );
  return waitForRows(page, (rows) => names.every((name) => rows.some((r) => r.startsWith(`${name}, `))), 30_000);
}

/**
 * Right-click on `target`, then the menu item. The workbench's menu ignores a mouse-up that lands too
 * soon after it opened (measured: a plain click on the item leaves the menu open), so the item is
 * hovered, which focuses it, and chosen with Enter.
 */
export async function chooseFromContextMenu(page: Page, target: Locator, item: string): Promise<void> {
  await target.click({ button: 'right' });
  const entry = page.locator('.context-view .monaco-menu .action-item', {
    has: page.locator('.action-label', { hasText: new RegExp(`^\\s*${escapeRegExp(item)}\\s*$`) }),
  });
  await entry.hover({ timeout: 10_000 });
  await waitFor(`the context menu item "${item}" being focused`, () => entry.evaluate((el) => el.classList.contains('focused')), 5_000);
  await page.keyboard.press('Enter');
  await page.locator('.context-view .monaco-menu').waitFor({ state: 'hidden', timeout: 5_000 });
}

export const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = `${QUICK_INPUT} .quick-input-box input`;
const QUICK_PICK_ROWS = `${QUICK_INPUT} .quick-input-list .monaco-list-row`;

export interface QuickPickRow {
  label: string;
  description: string;
  detail: string;
  ariaLabel: string;
}

/** The rows the open quick pick shows, as a person reads them. */
export async function quickPickRows(page: Page): Promise<QuickPickRow[]> {
  return page.$$eval(QUICK_PICK_ROWS, (rows) =>
    rows.map((row) => {
      const text = (selector: string) => (row.querySelector(selector)?.textContent ?? '').trim();
      return {
        label: text('.quick-input-list-rows .label-name') || text('.label-name'),
        description: text('.label-description'),
        detail: text('.quick-input-list-label-meta') || text('.quick-input-list-detail'),
        ariaLabel: row.getAttribute('aria-label') ?? '',
      };
    }),
  );
}

/** Waits until the visible quick pick shows rows satisfying `done`, and returns them. */
export async function waitForQuickPick(
  page: Page,
  what: string,
  done: (rows: QuickPickRow[]) => boolean,
  timeoutMs = 20_000,
): Promise<QuickPickRow[]> {
  let rows: QuickPickRow[] = [];
  return waitFor(
    what,
    async () => {
      if (!(await page.isVisible(QUICK_INPUT))) return undefined;
      rows = await quickPickRows(page);
      return done(rows) && rows;
    },
    timeoutMs,
    () => rows,
  );
}

/** Clicks the quick-pick row whose label is `label` (exactly). */
export async function pickQuickPickRow(page: Page, label: string): Promise<void> {
  await waitForQuickPick(page, `a quick-pick row "${label}"`, (rows) => rows.some((r) => r.label === label));
  await page
    .locator(QUICK_PICK_ROWS)
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }) })
    .first()
    .click();
}

/** F1, the command's title, then a click on that command's row (never on whichever row happens to be first). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  await page.waitForSelector(QUICK_INPUT_BOX, { state: 'visible', timeout: 10_000 });
  await page.fill(QUICK_INPUT_BOX, `>${title}`);
  await pickQuickPickRow(page, title);
}

/** The workbench's hover widgets (tree-row tooltips, status-bar hovers) while one shows. */
const HOVER = '.workbench-hover-container, .monaco-hover:not(.hidden)';

/** Moves the mouse to (x, y), away from what was clicked, and waits until no hover is left over the page. */
export async function moveMouseAway(page: Page, x: number, y: number): Promise<void> {
  await page.mouse.move(x, y);
  await waitFor('no hover left showing', async () => !(await page.locator(HOVER).filter({ visible: true }).count()), 5_000);
}

/** Saves a picture of what the user sees in `.test-artifacts/ui/<name>.png`, after moving the mouse away. */
export async function screenshot(page: Page, name: string, moveMouse = true): Promise<string> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  if (moveMouse) await moveMouseAway(page, 1000, 450);
  await page.screenshot({ path: file });
  return file;
}

/** A URL safe to print in a failure message: the presigned token never reaches a log. */
/** Runs `gesture` and returns the browser page it opens (openExternal in code-server is a new page). */
export async function pageOpenedBy(context: BrowserContext, gesture: () => Promise<void>): Promise<Page> {
  const opened = context.waitForEvent('page', { timeout: 30_000 });
  await gesture();
  const page = await opened;
  await page.waitForLoadState('load');
  return page;
}

export function redact(url: string): string {
  return url.replace(/(authToken=)[^&#]*/g, '$1<redacted>');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export const DEFAULT_PROFILE: Profile = {
  name: 'default',
  accessKeyId: DEFAULT_ACCESS_KEY_ID,
  secretAccessKey: DEFAULT_SECRET_ACCESS_KEY,
  region: 'us-east-1',
};

/** What one UI suite runs against: the local endpoint, AWS files pointing at it, and the workbench. */
export interface Harness {
  endpoint: LocalSageMaker;
  workbench: Workbench;
  cleanup(): Promise<void>;
}

export async function startHarness(
  endpointOptions: Parameters<typeof startLocalSageMaker>[0],
  profiles: Profile[] = [DEFAULT_PROFILE],
  workbenchOptions: Omit<WorkbenchOptions, 'env'> & { env?: Record<string, string> } = {},
): Promise<Harness> {
  // The endpoint serves one region per listener, as SageMaker does: one listener for each region of the
  // profiles and the seed and, when there are several, the extension given the map of them in its settings,
  // as a user with VPC endpoints sets it (a test's own machine-settings endpoint wins).
  const main = endpointOptions?.region ?? DEFAULT_REGION;
  const seedRegions = Array.isArray(endpointOptions?.seed) ? endpointOptions.seed.map((s) => s.region ?? DEFAULT_REGION) : [];
  const regions = [...new Set([...(endpointOptions?.regions ?? []), ...profiles.map((p) => p.region), ...seedRegions])].filter(
    (r) => r !== main,
  );
  const endpoint = await startLocalSageMaker({ ...endpointOptions, region: main, regions });
  let awsDir: string | undefined;
  let workbench: Workbench | undefined;
  const cleanup = async () => {
    try {
      await workbench?.close();
    } finally {
      await endpoint.stop();
      if (awsDir) fs.rmSync(awsDir, { recursive: true, force: true });
    }
  };
  try {
    const aws = writeAwsFiles(profiles, endpoint.url);
    awsDir = aws.dir;
    // One region: AWS_ENDPOINT_URL_SAGEMAKER (aws.env) names its listener, as before.
    const endpoints = Object.fromEntries([main, ...regions].map((r) => [r, endpoint.regionUrl(r)]));
    // The endpoint setting is machine-scoped: code-server's windows read it from the machine settings.
    const machineSettings = regions.length
      ? { 'sagemakerNotebooks.endpoint': endpoints, ...workbenchOptions.machineSettings }
      : workbenchOptions.machineSettings;
    workbench = await launchWorkbench({ ...workbenchOptions, env: { ...aws.env, ...workbenchOptions.env }, machineSettings });
    return { endpoint, workbench, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** An afterEach hook that saves a screenshot of every page of a failed test. */
export function failureScreenshots(get: () => Workbench | undefined, prefix = 'ui') {
  return async function (this: Mocha.Context) {
    const workbench = get();
    if (this.currentTest?.state !== 'failed' || !workbench) return;
    const title = this.currentTest.title.replace(/\W+/g, '-').slice(0, 60);
    for (const [i, page] of workbench.context.pages().entries()) {
      await screenshot(page, `failed-${prefix}-${title}-${i}`, false).catch(() => undefined);
    }
    await printExtensionLog(workbench.server.dataDir).catch(() => undefined);
  };
}

/** The extension's own log channel, its last lines: what the run's reader needs after a failure. */
async function printExtensionLog(dataDir: string): Promise<void> {
  const { extensionLogTail } = await importEsm(path.join(REPO_ROOT, 'scripts', 'vscode', 'codeServer.mjs'));
  const tail = (extensionLogTail as (dir: string, count: number) => string | undefined)(dataDir, 40);
  if (tail) console.log(tail.replace(/^/gm, '    '));
}

/** The Explorer's rows (workspace folders and their files). */
export const EXPLORER_ROWS = '.explorer-folders-view .monaco-list-row';

/** The Explorer row whose name is exactly `label`. */
export function explorerRow(page: Page, label: string): Locator {
  return page
    .locator(EXPLORER_ROWS)
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.()]/g, '\\$&')}$`) }) })
    .first();
}

/** Expands an Explorer folder until `child` shows (a click while VS Code is still resolving it would fold it again). */
export async function expandUntil(page: Page, folder: string, child: string): Promise<void> {
  await waitFor(
    `${child} under ${folder}`,
    async () => {
      if (await explorerRow(page, child).isVisible()) return true;
      const row = explorerRow(page, folder);
      if ((await row.getAttribute('aria-expanded').catch(() => null)) === 'false') await row.click();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      return (await explorerRow(page, child).isVisible()) || undefined;
    },
    60_000,
  );
}
