#!/usr/bin/env node
// `npm start`: VS Code with the extension, against the built-in local SageMaker endpoint and demo profiles.
// `npm start -- --aws [--profile NAME]`: against your real AWS account, with your own ~/.aws files.
// Uses desktop VS Code (`code`) when it is installed, else code-server on 127.0.0.1 (prints the URL).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { REPO_ROOT, ensureCodeServer } from './vscode/install.mjs';
import { startCodeServer, workbenchUrl } from './vscode/codeServer.mjs';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const real = args.includes('--aws');
const profileArg = args.includes('--profile') ? args[args.indexOf('--profile') + 1] : undefined;
const forceCodeServer = args.includes('--code-server');
const portArg = args.includes('--port') ? Number(args[args.indexOf('--port') + 1]) : 0;

execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.test.json'], { cwd: REPO_ROOT, stdio: 'inherit' });

const cleanups = [];
const env = {};
let userSettings = {};
const codeServerEnv = {};
let demo;
if (real) {
  env.HOME = os.homedir(); // the SSO token cache lives under ~/.aws/sso
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) env[key] = process.env[key];
  if (profileArg) env.AWS_PROFILE = profileArg;
  console.log(`Using your AWS configuration${env.AWS_PROFILE ? ` (profile ${env.AWS_PROFILE})` : ''}.`);
} else {
  // The same demo the demo UI test runs (test/ui/demo.ui.test.ts): endpoint, profiles, Jupyter, workspace.
  const { startDemo, DEMO_CODE_SERVER_ENV } = require(path.join(REPO_ROOT, 'out', 'test', 'endpoint', 'demo.js'));
  demo = await startDemo({ port: portArg || 0 });
  cleanups.push(() => demo.stop());
  Object.assign(env, demo.env);
  Object.assign(codeServerEnv, DEMO_CODE_SERVER_ENV);
  // The endpoint serves one region per listener, as SageMaker does: the extension gets the map of them in
  // its settings (sagemakerNotebooks.endpoint), as a user with VPC endpoints sets it. The setting is
  // machine-scoped: code-server's windows read it from its machine settings, desktop VS Code from the user's.
  userSettings = demo.settings;
  const listeners = Object.entries(demo.settings['sagemakerNotebooks.endpoint']).map(([r, u]) => `${r} ${u}`);
  console.log(`Local SageMaker endpoint: ${listeners.join(', ')} (demo profiles "default" in us-east-1 and "team" in eu-west-1)`);
  if (demo.jupyter) {
    const what =
      demo.jupyterKind === 'jupyterlab' ? 'JupyterLab 4 (/lab) and classic Jupyter (/tree)' : 'classic Jupyter, Notebook 6 (/tree)';
    console.log(
      `Jupyter behind the demo instances: ${what} at ${demo.jupyter.url} (notebooks from test/endpoint/demo/notebooks, in a temporary copy)`,
    );
  }
  if (demo.notice) console.warn(`\n${demo.notice}\n`);
}

const shutdown = async () => {
  for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

const hasCode = !forceCodeServer && spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;
if (hasCode) {
  // The demo's user settings (the endpoint map) go in a user data folder of its own, so that your own
  // VS Code settings stay as they are.
  const userData = [];
  if (demo) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smn-demo-user-'));
    fs.mkdirSync(path.join(dir, 'User'));
    fs.writeFileSync(path.join(dir, 'User', 'settings.json'), JSON.stringify(userSettings, null, 2));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    userData.push(`--user-data-dir=${dir}`);
  }
  const child = spawn(
    'code',
    ['--new-window', '--wait', ...userData, `--extensionDevelopmentPath=${REPO_ROOT}`, ...(demo ? [demo.workspace] : [])],
    {
      stdio: 'inherit',
      env: { ...process.env, ...env },
    },
  );
  child.on('exit', shutdown);
} else {
  const { bin } = await ensureCodeServer();
  let workspace = demo?.workspace;
  if (!workspace) {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'smn-workspace-'));
    cleanups.push(() => fs.rmSync(workspace, { recursive: true, force: true }));
  }
  const server = await startCodeServer({ bin, env: { ...env, ...codeServerEnv }, workspace, machineSettings: userSettings });
  cleanups.push(() => server.stop());
  const url = workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: REPO_ROOT });
  console.log(
    `\nVS Code (code-server) is running. Open this URL in a browser on this machine:\n\n  ${url}\n\nThen click the "SageMaker Notebooks" icon in the activity bar. Ctrl+C stops everything.`,
  );
}
