// One sample of the activation benchmark, in a fresh Node process: a minimal extension host (the vscode
// stub) requires an extension bundle and runs activate(), then reports the times and which modules the
// activation loaded, as one JSON line on stdout.
//   node host.cjs <extension dir> <bundle path relative to it> [cold-builtins]
// SMN_EXTENSION_MODE=3 activates as VS Code does under a test runner (ExtensionMode.Test); default Production.
// SMN_GLOBAL_STATE (JSON) is the globalState a previous run left, e.g. a tracked session.
'use strict';
const { performance } = require('perf_hooks');
const fs = require('fs');
const path = require('path');
const { installVscodeStub } = require('./vscodeStub.cjs');

// A real extension host has loaded these Node built-ins for itself (VS Code's proxy support patches
// http/https/net/tls; it hashes and makes ids with crypto) before any extension activates, so requiring them
// costs an extension nothing there. Preloaded here too, unless the cold variant is asked for.
const HOST_BUILTINS = [
  'crypto',
  'os',
  'fs',
  'path',
  'url',
  'util',
  'events',
  'stream',
  'net',
  'tls',
  'http',
  'https',
  'child_process',
  'zlib',
];

const LAZY = /[\\/]dist[\\/](sdk|proxy|terminal)\.js$|[\\/]node_modules[\\/]@(aws-sdk|smithy)[\\/]/;

function warmApi(vscode, context) {
  const emitter = new vscode.EventEmitter();
  emitter.event(() => undefined).dispose();
  emitter.fire(undefined);
  const disposables = [
    emitter,
    vscode.commands.registerCommand('bench.warm', () => undefined),
    vscode.window.createTreeView('bench.warm', {
      treeDataProvider: { onDidChangeTreeData: emitter.event, getChildren: () => [], getTreeItem: (e) => e },
    }),
    vscode.window.createStatusBarItem('bench.warm', vscode.StatusBarAlignment.Left, 0),
    vscode.window.createOutputChannel('bench.warm', { log: true }),
    vscode.workspace.onDidChangeConfiguration(() => undefined),
  ];
  vscode.workspace.getConfiguration('bench').get('warm');
  vscode.l10n.t('warm {0}', 'up');
  context.globalState.get('bench.warm');
  for (const d of disposables) d.dispose();
}

async function main() {
  const [extensionDir, bundle, mode] = process.argv.slice(2);
  if (mode !== 'cold-builtins') for (const m of HOST_BUILTINS) require(m);
  const packageJson = JSON.parse(fs.readFileSync(path.join(extensionDir, 'package.json'), 'utf8'));
  const { vscode, commands, statusItems, createContext } = installVscodeStub(packageJson);
  // The same holds for VS Code's own API: built-in extensions have registered commands, views, emitters and
  // status items through it before ours activates, so its functions are compiled. Calling the stub's once
  // here keeps their first-call compile time out of the figure (the empty extension calls none of them).
  if (mode !== 'cold-builtins') warmApi(vscode, createContext(extensionDir));
  const context = createContext(extensionDir);
  const bundlePath = path.join(extensionDir, bundle);
  const before = new Set(Object.keys(require.cache));

  // The host's own start-up garbage (package.json, the warm-up) sits in the young generation; whichever
  // bundle allocates past its limit would pay a ~1 ms scavenge of it. Start both from a collected heap.
  global.gc?.();
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
  const subscriptions = context.subscriptions.length;
  const statusBar = statusItems.filter((i) => i.visible && !i.id.startsWith('bench.')).map((i) => ({ id: i.id, text: i.text }));

  // First use, for scale: what the first command adds (our shell requires dist/main.js and builds the
  // services then). Not part of activation. Show Log is the command that does nothing else.
  let firstUseMs = 0;
  const showLog = commands.get('sagemakerNotebooks.showLog');
  if (showLog) {
    const t3 = performance.now();
    await showLog();
    firstUseMs = performance.now() - t3;
  }
  for (const d of context.subscriptions) {
    try {
      d.dispose();
    } catch {
      /* the measurement is done */
    }
  }
  process.stdout.write(
    `${JSON.stringify({
      requireMs: t1 - t0,
      activateMs: t2 - t1,
      totalMs: t2 - t0,
      sinceProcessStartMs: t2, // performance.now() counts from the process's time origin
      firstUseMs,
      modulesLoaded: loaded.map((k) => path.relative(extensionDir, k)),
      lazyLoaded: lazy.map((k) => path.relative(extensionDir, k)),
      subscriptions, // registered by activate() itself
      statusBar, // status bar items showing once activation is done
      exported: result === undefined ? null : Object.keys(result), // names only: reading one would start the services
    })}\n`,
  );
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
