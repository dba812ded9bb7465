import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { builtinModules } from 'module';
import * as path from 'path';

const root = path.join(__dirname, '..', '..', '..');
const dist = path.join(root, 'dist');
const packageJson = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

/** Activates dist/extension.js in the benchmark's minimal extension host (a `vscode` stub, one fresh process). */
function activateInMinimalHost(
  mode: 'production' | 'test' = 'production',
  globalState: Record<string, unknown> = {},
): {
  modulesLoaded: string[];
  lazyLoaded: string[];
  subscriptions: number;
  exported: string[] | null;
  statusBar: { id: string; text: string }[];
} {
  const env = { ...process.env, SMN_EXTENSION_MODE: mode === 'test' ? '3' : '1', SMN_GLOBAL_STATE: JSON.stringify(globalState) };
  const out = execFileSync(process.execPath, [path.join(root, 'scripts', 'bench', 'host.cjs'), root, path.join('dist', 'extension.js')], {
    encoding: 'utf8',
    env,
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

describe('bundle', () => {
  it('the activation shell requires vscode and, on first use, dist/main.js; nothing else', () => {
    const code = fs.readFileSync(path.join(dist, 'extension.js'), 'utf8');
    const required = [...code.matchAll(/require\(\s*([^)]*)\)/g)].map((m) => m[1]).sort();
    assert.deepStrictEqual(required, ['"vscode"', '`${__dirname}/main.js`']);
  });

  it('activation registers the view and every contributed command, and loads no other bundle', () => {
    const result = activateInMinimalHost();
    assert.deepStrictEqual(result.modulesLoaded, [], 'activate() required more than the shell');
    // The two tree views (instances, lifecycle configurations), their change emitters, the instance files'
    // provider and its change emitter, the terminal profile's provider, and one registration per contributed command.
    assert.strictEqual(result.subscriptions, 7 + packageJson.contributes.commands.length);
    assert.deepStrictEqual(result.statusBar, [], 'nothing in the status bar without a session');
  });

  it('activation with a session tracked before a restart loads the services and shows its timer, and no SDK or proxy', () => {
    const now = Date.now();
    const session = {
      profile: 'default',
      region: 'us-east-1',
      arn: 'arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/kept',
      name: 'kept',
      target: 'browser',
      ui: 'jupyterlab',
      startedAt: now - 60_000,
      expiresAt: now + 2 * 3600_000,
    };
    const result = activateInMinimalHost('production', { 'sagemakerNotebooks.sessions': [session] });
    assert.deepStrictEqual(result.modulesLoaded, [path.join('dist', 'main.js')]);
    assert.deepStrictEqual(result.lazyLoaded, []);
    assert.deepStrictEqual(
      result.statusBar.map((i) => i.id),
      ['sagemakerNotebooks.session'],
    );
    assert.match(result.statusBar[0].text, /^\$\(watch\) kept (2h 0m|1h 59m)$/);
  });

  it('a session that ended before the restart shows no timer', () => {
    const now = Date.now();
    const ended = {
      profile: 'default',
      region: 'us-east-1',
      arn: 'arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/old',
      name: 'old',
      target: 'browser',
      ui: 'jupyterlab',
      startedAt: now - 7200_000,
      expiresAt: now - 60_000,
    };
    const result = activateInMinimalHost('production', { 'sagemakerNotebooks.sessions': [ended] });
    assert.deepStrictEqual(result.statusBar, [], 'no timer for a session that is over');
  });

  it('the installed extension exports nothing (no seam reaches a URL, token or the proxy secret); only a test run gets the services', () => {
    assert.strictEqual(activateInMinimalHost('production').exported, null);
    assert.deepStrictEqual(activateInMinimalHost('test').exported, [
      'profileItem',
      'connection',
      'instances',
      'tree',
      'opener',
      'panels',
      'sessions',
      'testing',
    ]);
  });

  it('the services bundle requires nothing but vscode, node built-ins and the lazy bundles', () => {
    const code = fs.readFileSync(path.join(dist, 'main.js'), 'utf8');
    const required = new Set([...code.matchAll(/require\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]));
    const allowed = new Set(['vscode', ...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    assert.deepStrictEqual(
      [...required].filter((r) => !allowed.has(r)),
      [],
    );
    // esbuild marks each bundled module with a `// node_modules/...` comment in development builds.
    assert.doesNotMatch(code, /node_modules[\\/]@(aws-sdk|smithy)[\\/]/, 'SDK code was inlined into the services bundle');
    assert.doesNotMatch(code, /class SageMakerClient\b/, 'SDK code was inlined into the services bundle');
  });

  it('the management bundle holds the CloudWatch Logs and IAM clients, which the SDK bundle does not', () => {
    const manage = fs.readFileSync(path.join(dist, 'manageSdk.js'), 'utf8');
    assert.match(manage, /GetLogEvents/);
    assert.match(manage, /ListRoles/);
    assert.doesNotMatch(fs.readFileSync(path.join(dist, 'sdk.js'), 'utf8'), /GetLogEvents|ListRoles/);
  });

  it('the terminal bundle holds the WebSocket client and the Pseudoterminal; the services bundle neither', () => {
    const terminal = fs.readFileSync(path.join(dist, 'terminal.js'), 'utf8');
    assert.match(terminal, /node_modules[\\/]ws[\\/]/);
    assert.match(terminal, /\bInstanceTerminal = class\b|class InstanceTerminal\b/);
    const main = fs.readFileSync(path.join(dist, 'main.js'), 'utf8');
    assert.doesNotMatch(main, /node_modules[\\/]ws[\\/]/, 'ws was inlined into the services bundle');
    assert.doesNotMatch(
      main,
      /\bInstanceTerminal = class\b|class InstanceTerminal\b/,
      'the Pseudoterminal was inlined into the services bundle',
    );
  });

  it('the SDK bundle holds the SageMaker client and the credential providers', () => {
    const code = fs.readFileSync(path.join(dist, 'sdk.js'), 'utf8');
    assert.match(code, /ListNotebookInstances/);
    assert.match(code, /fromIni|credential_process/);
  });
});
