import path = require('path');
import type * as Sdk from './sdk';

export type AwsSdk = typeof Sdk;

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
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    module = require(inDist ? path.join(__dirname, `${name}.js`) : path.join(__dirname, '..', sourcePath));
    loaded.set(name, module);
  }
  return module as T;
}

/** The AWS SDK (dist/sdk.js), loaded the first time data is needed, never by activate(). */
export function loadSdk(): AwsSdk {
  return lazyBundle<AwsSdk>('sdk', 'aws/sdk.js');
}
