// Size: the packaged bundles and the .vsix against what the code we ship has to weigh at least: the AWS SDK
// symbols we use, bundled alone (tree-shaken, minified), plus our own code with every package left out.
// The .vsix is a zip, so it is compared with those references compressed the same way (raw deflate per file).
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { BUNDLE_OPTIONS } from './prepare.mjs';
import { REPO_ROOT, countRow, infoRow, kib, ratioRow } from './common.mjs';

const require = createRequire(join(REPO_ROOT, 'package.json'));
const BUDGET = 1.5;

/** What a .vsix may hold besides the manifest entries: see .vscodeignore. */
const FORBIDDEN = [
  /\.map$/i,
  /(^|\/)(src|out|test|tests|fixtures?|node_modules|scripts|\.vscode-test|\.bench)\//i,
  /\.(test|spec|bench)\.[cm]?[jt]s$/i,
  /\.tsx?$/i,
  /(^|\/)seed\.json$/i,
  /\.vsix$/i,
];

/** Names and sizes of a zip's entries, from its central directory. */
export function zipEntries(buffer) {
  let eocd = buffer.length - 22;
  while (eocd >= 0 && buffer.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('not a zip file: no end of central directory');
  const count = buffer.readUInt16LE(eocd + 10);
  let p = buffer.readUInt32LE(eocd + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    if (buffer.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory entry');
    const compressed = buffer.readUInt32LE(p + 20);
    const size = buffer.readUInt32LE(p + 24);
    const nameLength = buffer.readUInt16LE(p + 28);
    const extraLength = buffer.readUInt16LE(p + 30);
    const commentLength = buffer.readUInt16LE(p + 32);
    const name = buffer.toString('utf8', p + 46, p + 46 + nameLength);
    entries.push({ name, size, compressed });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function bundleBytes(entryPoints, extra = {}) {
  const result = require('esbuild').buildSync({ ...BUNDLE_OPTIONS, ...extra, entryPoints, outdir: '/virtual', write: false });
  // By entry name: esbuild does not promise its outputs in entry order.
  return Object.fromEntries(result.outputFiles.filter((f) => f.path.endsWith('.js')).map((f) => [basename(f.path, '.js'), f.contents]));
}

const deflated = (bytes) => deflateRawSync(bytes).length;

/** Bytes of a production bundle by npm package ('own' for ours), largest first, to say what makes it big. */
function composition(entry) {
  const result = require('esbuild').buildSync({
    ...BUNDLE_OPTIONS,
    entryPoints: [entry],
    outdir: '/virtual',
    write: false,
    metafile: true,
  });
  const by = {};
  for (const output of Object.values(result.metafile.outputs)) {
    for (const [file, input] of Object.entries(output.inputs)) {
      const name = file.match(/node_modules\/((@[^/]+\/)?[^/]+)/)?.[1] ?? 'own';
      by[name] = (by[name] ?? 0) + input.bytesInOutput;
    }
  }
  return Object.fromEntries(Object.entries(by).sort((a, b) => b[1] - a[1]));
}

/** @param {{ extensionDir: string, root: string }} options */
export function benchSize({ extensionDir, root }) {
  const dist = (f) => statSync(join(extensionDir, 'dist', f)).size;
  const files = {
    extension: dist('extension.js'),
    main: dist('main.js'),
    sdk: dist('sdk.js'),
    manageSdk: dist('manageSdk.js'),
    proxy: dist('proxy.js'),
    kernels: dist('kernels.js'),
    terminal: dist('terminal.js'),
  };

  // References, built here from source so they stay the ideal whatever scripts/build.mjs does.
  // The SDK as shipped: the SageMaker bundle and the management bundle (CloudWatch Logs, IAM), each alone.
  const { sdk: sageMakerAlone, manageSdk: manageAlone } = bundleBytes({
    sdk: join(REPO_ROOT, 'src', 'aws', 'sdk.ts'),
    manageSdk: join(REPO_ROOT, 'src', 'manage', 'sdk.ts'),
  });
  const sdkAlone = { length: sageMakerAlone.length + manageAlone.length };
  // The official Jupyter client the kernels need (sessions, kernels, messaging), as its own deep imports bundle it.
  const { kernels: jupyterAlone } = bundleBytes({ kernels: join(REPO_ROOT, 'scripts', 'bench', 'jupyterServicesAlone.ts') });
  const own = bundleBytes(
    {
      extension: join(REPO_ROOT, 'src', 'extension.ts'),
      main: join(REPO_ROOT, 'src', 'main.ts'),
      proxy: join(REPO_ROOT, 'src', 'open', 'proxy', 'index.ts'),
      kernels: join(REPO_ROOT, 'src', 'kernels', 'bundle', 'index.ts'),
      terminal: join(REPO_ROOT, 'src', 'terminal', 'index.ts'),
    },
    { packages: 'external' },
  );
  const reference = {
    sdkBytes: sdkAlone.length,
    jupyterBytes: jupyterAlone.length,
    ownBytes: Object.values(own).reduce((n, b) => n + b.length, 0),
    sdkDeflated: deflated(sageMakerAlone) + deflated(manageAlone),
    jupyterDeflated: deflated(jupyterAlone),
    ownDeflated: Object.values(own).reduce((n, b) => n + deflated(b), 0),
  };

  const vsix = join(root, 'extension.vsix');
  const vsceLog = execFileSync(process.execPath, [require.resolve('@vscode/vsce/vsce'), 'package', '--no-dependencies', '--out', vsix], {
    cwd: extensionDir,
    encoding: 'utf8',
    input: 'y\n', // vsce asks before packaging a manifest without a repository field
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const vsixBytes = statSync(vsix).size;
  const entries = zipEntries(readFileSync(vsix));
  const payload = entries.filter((e) => e.name.startsWith('extension/') && !e.name.endsWith('/'));
  const forbidden = payload.filter((e) => FORBIDDEN.some((re) => re.test(e.name.slice('extension/'.length))));
  const unpacked = payload.reduce((n, e) => n + e.size, 0);
  const figures = {
    files,
    reference,
    vsix: { bytes: vsixBytes, unpackedBytes: unpacked, entries, files: payload.length, forbidden: forbidden.map((e) => e.name) },
    vsceLog: vsceLog.trim().split('\n').slice(-1)[0],
  };

  const proxyParts = composition(join(REPO_ROOT, 'src', 'open', 'proxy', 'index.ts'));
  figures.proxyComposition = proxyParts;
  const kernelParts = composition(join(REPO_ROOT, 'src', 'kernels', 'bundle', 'index.ts'));
  figures.kernelsComposition = kernelParts;
  const largest = Object.entries(proxyParts)
    .slice(0, 4)
    .map(([k, v]) => `${k} ${kib(v)}`)
    .join(', ');
  const refDeflated = reference.sdkDeflated + reference.jupyterDeflated + reference.ownDeflated;
  const refRaw = reference.sdkBytes + reference.jupyterBytes + reference.ownBytes;
  const rows = [
    ratioRow({
      measure: 'size: .vsix',
      value: vsixBytes,
      reference: refDeflated,
      budget: BUDGET,
      unit: 'B',
      format: kib,
      note: `reference = SDK and @jupyterlab/services alone ${kib(reference.sdkDeflated + reference.jupyterDeflated)} + own code ${kib(reference.ownDeflated)}, deflated as in a zip`,
    }),
    ratioRow({
      measure: 'size: .vsix content, unpacked',
      value: unpacked,
      reference: refRaw,
      budget: BUDGET,
      unit: 'B',
      format: kib,
      note: `reference = SDK and @jupyterlab/services alone ${kib(reference.sdkBytes + reference.jupyterBytes)} + own code ${kib(reference.ownBytes)}, minified`,
    }),
    infoRow({
      measure: 'size: dist/extension.js (activation)',
      value: files.extension,
      unit: 'B',
      shown: kib(files.extension),
      limitShown: `own ${kib(own.extension.length)}`,
      ratio: files.extension / own.extension.length,
      note: 'activation shell vs our own shell code alone',
    }),
    infoRow({
      measure: 'size: dist/main.js (lazy services)',
      value: files.main,
      unit: 'B',
      shown: kib(files.main),
      limitShown: `own ${kib(own.main.length)}`,
      ratio: files.main / own.main.length,
      note: 'views, commands, opener, timer: required on first use',
    }),
    infoRow({
      measure: 'size: dist/sdk.js (lazy AWS)',
      value: files.sdk,
      unit: 'B',
      shown: kib(files.sdk),
      limitShown: `alone ${kib(sageMakerAlone.length)}`,
      ratio: files.sdk / sageMakerAlone.length,
      note: 'vs src/aws/sdk.ts bundled alone, tree-shaken',
    }),
    infoRow({
      measure: 'size: dist/manageSdk.js (lazy Logs+IAM)',
      value: files.manageSdk,
      unit: 'B',
      shown: kib(files.manageSdk),
      limitShown: `alone ${kib(manageAlone.length)}`,
      ratio: files.manageSdk / manageAlone.length,
      note: 'CloudWatch Logs and IAM clients, loaded by Show Startup Log and the Create wizard only',
    }),
    infoRow({
      measure: 'size: dist/proxy.js (lazy proxy)',
      value: files.proxy,
      unit: 'B',
      shown: kib(files.proxy),
      limitShown: `own ${kib(own.proxy.length)}`,
      ratio: files.proxy / own.proxy.length,
      note: `largest parts: ${largest}`,
    }),
    infoRow({
      measure: 'size: dist/kernels.js (lazy kernels)',
      value: files.kernels,
      unit: 'B',
      shown: kib(files.kernels),
      limitShown: `library ${kib(jupyterAlone.length)}`,
      ratio: files.kernels / jupyterAlone.length,
      note: `vs the @jupyterlab/services modules it uses bundled alone; largest parts: ${Object.entries(kernelParts)
        .slice(0, 4)
        .map(([k, v]) => `${k} ${kib(v)}`)
        .join(', ')}`,
    }),
    infoRow({
      measure: 'size: dist/terminal.js (lazy terminal)',
      value: files.terminal,
      unit: 'B',
      shown: kib(files.terminal),
      limitShown: `own ${kib(own.terminal.length)}`,
      ratio: files.terminal / own.terminal.length,
      note: 'the Pseudoterminal and the ws client: required on the first terminal',
    }),
    infoRow({
      measure: 'size: .vsix files',
      value: payload.length,
      shown: `${payload.length}`,
      note: payload
        .map((e) => e.name.slice('extension/'.length))
        .sort()
        .join(', '),
    }),
    countRow({
      measure: 'size: maps/tests/fixtures in .vsix',
      value: forbidden.length,
      limit: 0,
      note: forbidden.length ? forbidden.map((e) => e.name).join(', ') : 'no .map, src/, out/, test/, fixtures, .ts',
    }),
  ];
  return { rows, figures };
}
