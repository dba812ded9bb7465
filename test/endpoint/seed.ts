// The data an endpoint starts with, and the notebook instance record every other module works on.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { accountIdFor } from './auth';

/** The fake key pair the demo profiles use; it never matches a real AWS account. */
export const DEFAULT_ACCESS_KEY_ID = 'AKIALOCALSAGEMAKER01';
export const DEFAULT_SECRET_ACCESS_KEY = 'localSageMakerSecretKeyForTestsOnly000001';
/** The second ("team") key in seed.json, to show two profiles seeing different instances. */
export const TEAM_ACCESS_KEY_ID = 'AKIALOCALSAGEMAKER02';
export const TEAM_SECRET_ACCESS_KEY = 'teamSecretForTheLocalEndpointOnly';
export const DEFAULT_REGION = 'us-east-1';

export const NOTEBOOK_STATUSES = [
  'Pending',
  'InService',
  'Stopping',
  'Stopped',
  'Failed',
  'Deleting',
  'Updating',
  'InMaintenance',
  'PendingMaintenance',
] as const;
export type NotebookStatus = (typeof NOTEBOOK_STATUSES)[number];

export interface SeedInstance {
  name: string;
  region?: string;
  accessKeyId?: string;
  status?: NotebookStatus;
  instanceType?: string;
  failureReason?: string;
  /** ISO string, epoch milliseconds or Date; defaults to the endpoint's clock. */
  creationTime?: string | number | Date;
  lastModifiedTime?: string | number | Date;
  /** When set, the notebook gateway proxies authenticated requests to this Jupyter server. */
  jupyterUpstream?: string;
  /**
   * A seeded Pending, Stopping, Updating or Deleting instance moves on after this many milliseconds, as a
   * real one does (to InService, Stopped, Stopped, gone). Unset: it stays as seeded, which tests rely on.
   */
  settlesAfterMs?: number;
  /** In a VPC subnet (with security groups and a network interface) unless false. */
  vpc?: boolean;
  lifecycleConfigName?: string;
  defaultCodeRepository?: string;
  additionalCodeRepositories?: string[];
  /** Elastic Inference accelerators (retired by AWS, still in the API). */
  acceleratorTypes?: string[];
  /** Encrypted with a customer-managed KMS key unless false. */
  kms?: boolean;
  rootAccess?: 'Enabled' | 'Disabled';
  volumeSizeInGB?: number;
  platformIdentifier?: string;
}

export interface InstanceRecord {
  name: string;
  accessKeyId: string;
  region: string;
  accountId: string;
  arn: string;
  status: NotebookStatus;
  instanceType: string;
  failureReason?: string;
  /** Epoch milliseconds. */
  creationTime: number;
  lastModifiedTime: number;
  jupyterUpstream?: string;
  volumeSizeInGB: number;
  platformIdentifier: string;
  /** What DescribeNotebookInstance adds to the list summary, as the real API returns it. */
  details: Record<string, unknown>;
}

/** Where an instance lives: data is partitioned by access key and region, as with real accounts. */
export interface InstanceScope {
  region?: string;
  accessKeyId?: string;
}

function toMillis(value: string | number | Date | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`Invalid seed timestamp: ${String(value)}`);
  return ms;
}

export function notebookArn(region: string, accountId: string, name: string): string {
  return `arn:aws:sagemaker:${region}:${accountId}:notebook-instance/${name.toLowerCase()}`;
}

export function toRecord(seed: SeedInstance, now: number): InstanceRecord {
  const region = seed.region ?? DEFAULT_REGION;
  const accessKeyId = seed.accessKeyId ?? DEFAULT_ACCESS_KEY_ID;
  const accountId = accountIdFor(accessKeyId);
  const creationTime = toMillis(seed.creationTime, now);
  const status = seed.status ?? 'InService';
  if (!NOTEBOOK_STATUSES.includes(status)) throw new Error(`Invalid seed status: ${status}`);
  return {
    name: seed.name,
    accessKeyId,
    region,
    accountId,
    arn: notebookArn(region, accountId, seed.name),
    status,
    instanceType: seed.instanceType ?? 'ml.t3.medium',
    failureReason: status === 'Failed' ? (seed.failureReason ?? 'Unknown failure') : seed.failureReason,
    creationTime,
    lastModifiedTime: toMillis(seed.lastModifiedTime, creationTime),
    jupyterUpstream: seed.jupyterUpstream,
    volumeSizeInGB: seed.volumeSizeInGB ?? 5,
    platformIdentifier: seed.platformIdentifier ?? 'notebook-al2-v3',
    details: details(seed, region, accountId),
  };
}

/** Stable ids from the name, shaped like AWS's (`subnet-` and 17 hex digits, …). */
function hexId(seed: string, length: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}

function details(seed: SeedInstance, region: string, accountId: string): Record<string, unknown> {
  const id = (kind: string) => hexId(`${kind}/${region}/${seed.name}`, 17);
  const vpc = seed.vpc !== false;
  const key = hexId(`kms/${region}`, 32);
  return {
    ...(vpc ? { SubnetId: `subnet-${id('subnet')}`, SecurityGroups: [`sg-${id('sg')}`], NetworkInterfaceId: `eni-${id('eni')}` } : {}),
    ...(seed.kms !== false
      ? {
          KmsKeyId: `arn:aws:kms:${region}:${accountId}:key/${key.slice(0, 8)}-${key.slice(8, 12)}-${key.slice(12, 16)}-${key.slice(16, 20)}-${key.slice(20, 32)}`,
        }
      : {}),
    DirectInternetAccess: vpc ? 'Disabled' : 'Enabled',
    ...(seed.acceleratorTypes?.length ? { AcceleratorTypes: seed.acceleratorTypes } : {}),
    ...(seed.lifecycleConfigName ? { NotebookInstanceLifecycleConfigName: seed.lifecycleConfigName } : {}),
    ...(seed.defaultCodeRepository ? { DefaultCodeRepository: seed.defaultCodeRepository } : {}),
    ...(seed.additionalCodeRepositories?.length ? { AdditionalCodeRepositories: seed.additionalCodeRepositories } : {}),
    RootAccess: seed.rootAccess ?? 'Enabled',
  };
}

/** Reads a seed file: a JSON array of SeedInstance. */
export function loadSeedFile(path: string): SeedInstance[] {
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (!Array.isArray(parsed)) throw new Error(`Seed file ${path} must hold a JSON array`);
  return parsed as SeedInstance[];
}
