import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { builtinModules } from 'module';
import * as path from 'path';

const root = path.join(__dirname, '..', '..', '..');
const dist = path.join(root, 'dist');
const packageJson = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

/** Activates dist/extension.js in the benchmark's minimal extension host (a `vscode` stub, one fresh process). */
function activateInMinimalHost(mode: 'production' | 'test' = 'production'): { modulesLoaded: string[]; lazyLoaded: string[]; subscriptions: number; exported: string[] | null } {
  const env = { ...process.env, SMN_EXTENSION_MODE: mode === 'test' ? '3' : '1' };
  const out = execFileSync(process.execPath, [path.join(root, 'scripts', 'bench', 'host.cjs'), root, path.join('dist', 'extension.js')], { encoding: 'utf8', env });
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
    // The tree view, its change emitter, and one registration per contributed command.
    assert.strictEqual(result.subscriptions, 2 + packageJson.contributes.commands.length);
  });

  it('the installed extension exports nothing (no seam reaches a URL, token or the proxy secret); only a test run gets the services', () => {
    assert.strictEqual(activateInMinimalHost('production').exported, null);
    assert.deepStrictEqual(activateInMinimalHost('test').exported, ['profileItem', 'tree', 'opener', 'panels', 'sessions', 'testing']);
  });

  it('the services bundle requires nothing but vscode, node built-ins and the lazy bundles', () => {
    const code = fs.readFileSync(path.join(dist, 'main.js'), 'utf8');
    const required = new Set([...code.matchAll(/require\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]));
    const allowed = new Set(['vscode', ...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    assert.deepStrictEqual([...required].filter((r) => !allowed.has(r)), []);
    // esbuild marks each bundled module with a `// node_modules/...` comment in development builds.
    assert.doesNotMatch(code, /node_modules[\\/]@(aws-sdk|smithy)[\\/]/, 'SDK code was inlined into the services bundle');
    assert.doesNotMatch(code, /class SageMakerClient\b/, 'SDK code was inlined into the services bundle');
  });

  it('the SDK bundle holds the SageMaker client and the credential providers', () => {
    const code = fs.readFileSync(path.join(dist, 'sdk.js'), 'utf8');
    assert.match(code, /ListNotebookInstances/);
    assert.match(code, /fromIni|credential_process/);
  });
});
