import { lazyBundle } from '../shared/lazy';
import type * as Sdk from './sdk';

export type AwsSdk = typeof Sdk;

/** The AWS SDK (dist/sdk.js), loaded the first time data is needed, never by activate(). */
export function loadSdk(): AwsSdk {
  return lazyBundle<AwsSdk>('sdk', 'aws/sdk.js');
}
