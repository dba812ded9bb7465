import { lazyBundle } from '../shared/lazy';
import type * as ManageSdk from './sdk';

export type ManageSdkModule = typeof ManageSdk;

/** The CloudWatch Logs and IAM clients (dist/manageSdk.js), loaded on first use. */
export function loadManageSdk(): ManageSdkModule {
  return lazyBundle<ManageSdkModule>('manageSdk', 'manage/sdk.js');
}
