// Builds the JupyterLab frontend into ./build: the bundle, the settings schemas and the themes that
// Debian's jupyterlab_server serves (see lab.py). Runs in the cache folder scripts/jupyterlab.mjs installs
// this package into; no source maps, to keep the build small and fast.
const fs = require('fs');
const path = require('path');
const { merge } = require('webpack-merge');
const { Build } = require('@jupyterlab/builder');
// The loaders JupyterLab's packages need (CSS, raw SVG icons, fonts) and `resolve.fullySpecified: false`
// for .m?js (@jupyter/web-components imports its modules without file extensions).
const baseConfig = require('@jupyterlab/builder/lib/webpack.config.base');

const { jupyterlab } = require('./package.json');
const buildDir = path.resolve(__dirname, 'build');

// Schemas, themes and build/style.js (one import per package's styles), for every plugin package.
const assetConfigs = Build.ensureAssets({
  packageNames: [...jupyterlab.extensions, ...jupyterlab.mimeExtensions],
  output: buildDir,
});

// The plugin list lives in package.json only; the entry imports it from this generated module (dynamic
// imports need literal module names, so they are written out here).
const imports = (names) => names.map((n) => `  import(${JSON.stringify(n)}),`).join('\n');
fs.writeFileSync(
  path.join(buildDir, 'plugins.js'),
  `export const extensions = [\n${imports(jupyterlab.extensions)}\n];\n` +
    `export const mimeExtensions = [\n${imports(jupyterlab.mimeExtensions)}\n];\n`,
);

module.exports = [
  merge(baseConfig, {
    mode: 'production',
    devtool: false,
    entry: './index.js',
    output: { path: buildDir, filename: 'bundle.js', chunkFilename: '[name].[contenthash].js', publicPath: 'auto' },
    performance: { hints: false },
    optimization: { minimize: false },
  }),
  ...assetConfigs,
];
