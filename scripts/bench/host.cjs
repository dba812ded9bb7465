// One sample of the activation benchmark, in a fresh Node process: a minimal extension host (the vscode
// stub) requires an extension bundle and runs activate(), then reports the times and which modules the
// activation loaded, as one JSON line on stdout.
//   node host.cjs <extension dir> <bundle path relative to it> [cold-builtins]
'use strict';
const { performance } = require('perf_hooks');
const fs = require('fs');
const path = require('path');
const { installVscodeStub } = require('./vscodeStub.cjs');

// A real extension host has loaded these Node built-ins for itself (VS Code's proxy support patches
// http/https/net/tls; it hashes and makes ids with crypto) before any extension activates, so requiring them
// costs an extension nothing there. Preloaded here too, unless the cold variant is asked for.
const HOST_BUILTINS = ['crypto', 'os', 'fs', 'path', 'url', 'util', 'events', 'stream', 'net', 'tls', 'http', 'https', 'child_process', 'zlib'];

const LAZY = /[\\/]dist[\\/](sdk|proxy)\.js$|[\\/]node_modules[\\/]@(aws-sdk|smithy)[\\/]/;

async function main() {
  const [extensionDir, bundle, mode] = process.argv.slice(2);
  if (mode !== 'cold-builtins') for (const m of HOST_BUILTINS) require(m);
  const packageJson = JSON.parse(fs.readFileSync(path.join(extensionDir, 'package.json'), 'utf8'));
  const { createContext } = installVscodeStub(packageJson);
  const context = createContext(extensionDir);
  const bundlePath = path.join(extensionDir, bundle);
  const before = new Set(Object.keys(require.cache));

  const t0 = performance.now();
  const extension = require(bundlePath);
  const t1 = performance.now();
  const result = extension.activate?.(context);
  if (result && typeof result.then === 'function') await result;
  const t2 = performance.now();

  // Anything activation started without awaiting (a promise chain, a timer of 0) gets a moment to run.
  await new Promise((r) => setTimeout(r, 50));
  const loaded = Object.keys(require.cache).filter((k) => !before.has(k) && k !== bundlePath);
  const lazy = loaded.filter((k) => LAZY.test(k));
  for (const d of context.subscriptions) {
    try { d.dispose(); } catch { /* the measurement is done */ }
  }
  process.stdout.write(`${JSON.stringify({
    requireMs: t1 - t0,
    activateMs: t2 - t1,
    totalMs: t2 - t0,
    sinceProcessStartMs: t2, // performance.now() counts from the process's time origin
    modulesLoaded: loaded.map((k) => path.relative(extensionDir, k)),
    lazyLoaded: lazy.map((k) => path.relative(extensionDir, k)),
    subscriptions: context.subscriptions.length,
  })}\n`);
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
