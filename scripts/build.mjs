// Bundles the extension: dist/extension.js is what activate() loads; dist/sdk.js (the AWS SDK) and
// dist/proxy.js (the in-editor notebook proxy) are required on first use, so activation never parses them.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const options = {
  entryPoints: { extension: 'src/extension.ts', sdk: 'src/aws/sdk.ts', proxy: 'src/open/proxy/index.ts' },
  outdir: 'dist',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['vscode'],
  mainFields: ['module', 'main'],
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  legalComments: production ? 'none' : 'inline',
  logLevel: 'warning',
  metafile: true,
};

// Start clean, so a production build never ships a development build's source maps.
fs.rmSync('dist', { recursive: true, force: true });

if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
  console.log('esbuild: watching src/');
} else {
  const result = await esbuild.build(options);
  for (const [file, out] of Object.entries(result.metafile.outputs)) {
    if (!file.endsWith('.map')) console.log(`esbuild: ${file} ${(out.bytes / 1024).toFixed(1)} KiB`);
  }
}
