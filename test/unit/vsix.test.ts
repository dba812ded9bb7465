import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..', '..', '..');

/** Every file under a folder, as package-relative paths with forward slashes. */
function filesUnder(dir: string): string[] {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return [];
  return (fs.readdirSync(full, { recursive: true }) as string[])
    .filter((f) => fs.statSync(path.join(full, f)).isFile())
    .map((f) => `${dir}/${f.split(path.sep).join('/')}`);
}

describe('vsix contents', function () {
  // vsce walks the whole folder (node_modules, .vscode-test) before applying .vscodeignore.
  this.timeout(120_000);
  let listed: string[];

  before(function () {
    const bundles = ['extension.js', 'main.js', 'sdk.js', 'manageSdk.js', 'proxy.js', 'kernels.js', 'terminal.js'].map((f) =>
      path.join(root, 'dist', f),
    );
    assert.ok(
      bundles.every((f) => fs.existsSync(f)),
      'dist/ is missing a bundle: run `npm run build` before the unit tests',
    );
    const out = execFileSync('npx', ['vsce', 'ls', '--no-dependencies'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    listed = out
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !/^(WARNING|INFO|DONE)\b/.test(l))
      .sort();
  });

  it('holds exactly the manifest, the five bundles, the media the extension uses and the docs', () => {
    const expected = [
      'package.json',
      'package.nls.json',
      'dist/extension.js',
      'dist/main.js',
      'dist/sdk.js',
      'dist/manageSdk.js',
      'dist/proxy.js',
      'dist/kernels.js',
      'dist/terminal.js',
      'README.md',
      'CHANGELOG.md',
      'LICENSE',
      // README screenshots stay in the repository: the Marketplace shows them from there.
      ...filesUnder('media').filter((f) => !f.startsWith('media/screenshots/')),
    ].sort();
    assert.deepStrictEqual(listed, expected);
  });

  it('holds no source map, test, compiled test output or source', () => {
    const offending = listed.filter((f) => /\.map$/i.test(f) || /^(test|out|src)\//.test(f));
    assert.deepStrictEqual(offending, []);
  });

  it("packs a README about using the extension; the contributors' material stays in scripts/README.md", () => {
    const packed = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const headings = packed.split('\n').filter((l) => /^#{1,3} /.test(l));
    assert.deepStrictEqual(
      headings.filter((h) => /^## (Develop|Performance|Layout|Set-up)/.test(h)),
      [],
    );
    assert.doesNotMatch(packed, /npm (ci|test|start|run bench)\b/, 'no development commands');
    const contributing = fs.readFileSync(path.join(root, 'scripts', 'README.md'), 'utf8');
    for (const section of ['## Set-up and tests', '## Layout', '## Performance']) assert.ok(contributing.includes(section), section);
  });
});
