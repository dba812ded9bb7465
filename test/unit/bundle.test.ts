import * as assert from 'assert';
import * as fs from 'fs';
import { builtinModules } from 'module';
import * as path from 'path';

const dist = path.join(__dirname, '..', '..', '..', 'dist');

describe('bundle', () => {
  it('the activation bundle requires nothing but vscode, node built-ins and the lazy SDK bundle', () => {
    const code = fs.readFileSync(path.join(dist, 'extension.js'), 'utf8');
    const required = new Set([...code.matchAll(/require\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]));
    const allowed = new Set(['vscode', ...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    assert.deepStrictEqual([...required].filter((r) => !allowed.has(r)), []);
    // esbuild marks each bundled module with a `// node_modules/...` comment in development builds.
    assert.doesNotMatch(code, /node_modules[\\/]@(aws-sdk|smithy)[\\/]/, 'SDK code was inlined into the activation bundle');
    assert.doesNotMatch(code, /class SageMakerClient\b/, 'SDK code was inlined into the activation bundle');
  });

  it('the SDK bundle holds the SageMaker client and the credential providers', () => {
    const code = fs.readFileSync(path.join(dist, 'sdk.js'), 'utf8');
    assert.match(code, /ListNotebookInstances/);
    assert.match(code, /fromIni|credential_process/);
  });
});
