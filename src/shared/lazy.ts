// The lazily loaded bundles (the AWS SDK, the notebook proxy, and each feature's heavy code): required on
// first use, never by activate().
import path = require('path');

const loaded = new Map<string, unknown>();

/**
 * Requires a lazily loaded bundle the first time it is needed. The path is computed so that esbuild leaves
 * the require alone: from dist/extension.js it finds dist/<name>.js; under the test compiler, where this file
 * is out/src/aws/loadSdk.js, it finds the module's compiled source instead.
 */
export function lazyBundle<T>(name: string, sourcePath: string): T {
  let module = loaded.get(name);
  if (!module) {
    const inDist = path.basename(__dirname) === 'dist';

    module = require(inDist ? path.join(__dirname, `${name}.js`) : path.join(__dirname, '..', sourcePath));
    loaded.set(name, module);
  }
  return module as T;
}
