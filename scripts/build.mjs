// Bundles the extension: dist/extension.js is the activation shell VS Code loads; dist/main.js (the
// services), dist/sdk.js (the AWS SDK), dist/proxy.js (the in-editor notebook proxy) and dist/terminal.js (the
// terminal on an instance) are required on first use, so activation never parses them.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The SDK's request handler gets src/shared/agentTls.ts for `node:https`: an https.request that repeats its
 * agent's CA bundle and rejectUnauthorized on each request, which is what survives VS Code replacing the
 * agent (http.proxySupport: override). See that module.
 */
const agentTlsForSdk = {
  name: 'agent-tls-for-sdk',
  setup(build) {
    const target = fileURLToPath(new URL('../src/shared/agentTls.ts', import.meta.url));
    build.onResolve({ filter: /^(node:)?https$/ }, (args) =>
      args.importer.split(path.sep).join('/').includes('/@smithy/node-http-handler/') ? { path: target } : undefined,
    );
  },
};

/** The esbuild options every bundle of ours uses; the benchmark builds its references with them too. */
export function bundleOptions({ production }) {
  return {
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
    plugins: [agentTlsForSdk],
  };
}

async function main() {
  const production = process.argv.includes('--production');
  const watch = process.argv.includes('--watch');
  const options = {
    ...bundleOptions({ production }),
    entryPoints: {
      extension: 'src/extension.ts',
      main: 'src/main.ts',
      sdk: 'src/aws/sdk.ts',
      manageSdk: 'src/manage/sdk.ts',
      proxy: 'src/open/proxy/index.ts',
      kernels: 'src/kernels/bundle/index.ts',
      terminal: 'src/terminal/index.ts',
    },
    outdir: 'dist',
    metafile: true,
  };
  // Start clean, so a production build never ships a development build's source maps.
  fs.rmSync('dist', { recursive: true, force: true });
  if (watch) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
    console.log('esbuild: watching src/');
    return;
  }
  const result = await esbuild.build(options);
  for (const [file, out] of Object.entries(result.metafile.outputs)) {
    if (!file.endsWith('.map')) console.log(`esbuild: ${file} ${(out.bytes / 1024).toFixed(1)} KiB`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
