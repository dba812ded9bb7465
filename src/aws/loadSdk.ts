import * as path from 'path';
import type * as Sdk from './sdk';

export type AwsSdk = typeof Sdk;

let sdk: AwsSdk | undefined;

/**
 * Loads the AWS SDK bundle the first time data is needed. The path is computed so that esbuild leaves the
 * require alone: in dist/ it finds dist/sdk.js, under the test compiler it finds out/src/aws/sdk.js.
 */
export function loadSdk(): AwsSdk {
  if (!sdk) {
    const file = path.join(__dirname, 'sdk.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    sdk = require(file) as AwsSdk;
  }
  return sdk;
}

/** Where the SDK bundle lives, so tests can check whether activation loaded it. */
export function sdkBundlePath(): string {
  return path.join(__dirname, 'sdk.js');
}
