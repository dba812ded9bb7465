// The packaged extension, built for the benchmark in a temporary folder so the shared dist/ is left alone:
// scripts/build.mjs --production run with a private working directory (src/ linked in), the files the
// .vscodeignore allowlist would ship copied next to it, and an empty extension built the same way.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { REPO_ROOT } from './common.mjs';
import { bundleOptions } from '../build.mjs';

const require = createRequire(join(REPO_ROOT, 'package.json'));

/** scripts/build.mjs's production options, so the empty extension and the references are built alike. */
// Without the build's plugins (the one that hands the SDK `agentTls` in place of `node:https`): the references
// are built with esbuild's synchronous API, which takes none, and the plugin changes no size that matters here.
const { plugins: _plugins, ...productionOptions } = bundleOptions({ production: true });
export const BUNDLE_OPTIONS = { ...productionOptions, sourcemap: false };

const PACKAGE_FILES = ['package.json', 'package.nls.json', '.vscodeignore', 'README.md', 'CHANGELOG.md', 'LICENSE'];

/**
 * @returns {{ root: string, extensionDir: string, emptyDir: string, buildLog: string }}
 *   extensionDir holds package.json, dist/{extension,main,sdk,manageSdk,proxy,kernels}.js (production) and what vsce packages.
 */
export function prepare() {
  const root = mkdtempSync(join(tmpdir(), 'smn-bench-'));
  const build = join(root, 'build');
  mkdirSync(build);
  symlinkSync(join(REPO_ROOT, 'src'), join(build, 'src'), 'dir');
  const buildLog = execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build.mjs'), '--production'], {
    cwd: build,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  const extensionDir = join(root, 'extension');
  mkdirSync(join(extensionDir, 'dist'), { recursive: true });
  for (const f of PACKAGE_FILES) if (existsSync(join(REPO_ROOT, f))) cpSync(join(REPO_ROOT, f), join(extensionDir, f));
  if (existsSync(join(REPO_ROOT, 'media'))) cpSync(join(REPO_ROOT, 'media'), join(extensionDir, 'media'), { recursive: true });
  for (const f of ['extension.js', 'main.js', 'sdk.js', 'manageSdk.js', 'proxy.js', 'kernels.js', 'terminal.js'])
    cpSync(join(build, 'dist', f), join(extensionDir, 'dist', f));

  // The empty extension: activate() and deactivate() that do nothing, bundled with the same options.
  const emptyDir = join(root, 'empty');
  mkdirSync(join(emptyDir, 'src'), { recursive: true });
  writeFileSync(join(emptyDir, 'package.json'), JSON.stringify({ name: 'empty', main: './dist/extension.js' }));
  writeFileSync(
    join(emptyDir, 'src', 'extension.ts'),
    "import * as vscode from 'vscode';\nexport function activate(_context: vscode.ExtensionContext): void {}\nexport function deactivate(): void {}\n",
  );
  require('esbuild').buildSync({
    ...BUNDLE_OPTIONS,
    entryPoints: { extension: join(emptyDir, 'src', 'extension.ts') },
    outdir: join(emptyDir, 'dist'),
  });
  return { root, extensionDir, emptyDir, buildLog };
}
