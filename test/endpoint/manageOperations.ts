// Create, update and delete notebook instances, and the five lifecycle configuration operations, with the
// API model's validation (manageValidate.ts) and SageMaker's state rules: update only a Stopped instance,
// delete only a Stopped or Failed one, a volume only grows, an attached configuration must exist.
import type { Caller } from './auth';
import { roleArn, type RoleRecord } from './iam';
import { lifecycleConfigArn, type LifecycleConfigRecord, type LifecycleConfigStore } from './lifecycle';
import {
  checkPlatform,
  validateCreateInput,
  validateLifecycleInput,
  validateLifecycleListInput,
  validateUpdateInput,
} from './manageValidate';
import { validationError } from './protocol';
import type { InstanceStore } from './store';
import { validateNameInput } from './validate';

export interface ManageContext {
  store: InstanceStore;
  caller: Caller;
  lifecycle: LifecycleConfigStore;
  /** The IAM roles of the caller's account. */
  roles: RoleRecord[];
  now: number;
}

type Input = Record<string, unknown>;
const seconds = (ms: number) => ms / 1000;

function scope(caller: Caller) {
  return { accessKeyId: caller.accessKeyId, region: caller.region };
}

function requireConfig(ctx: ManageContext, name: string): LifecycleConfigRecord {
  return ctx.lifecycle.require(ctx.caller.accessKeyId, ctx.caller.region, ctx.caller.accountId, name);
}

/** SageMaker assumes the execution role when the instance starts; a role it cannot assume is refused up front. */
function checkRole(ctx: ManageContext, arn: string): void {
  const role = ctx.roles.find((r) => roleArn(ctx.caller.accountId, r) === arn);
  if (!role || !role.trusts.includes('sagemaker.amazonaws.com')) {
    throw validationError(
      `Could not assume role ${arn}. Please ensure that the role exists and allows principal 'sagemaker.amazonaws.com' to assume the role.`,
    );
  }
}

function configSummary(c: LifecycleConfigRecord) {
  return {
    NotebookInstanceLifecycleConfigName: c.name,
    NotebookInstanceLifecycleConfigArn: c.arn,
    CreationTime: seconds(c.creationTime),
    LastModifiedTime: seconds(c.lastModifiedTime),
  };
}

export const MANAGE_OPERATIONS: Record<string, (input: Input, ctx: ManageContext) => unknown> = {
  CreateNotebookInstance(input, ctx) {
    const s = validateCreateInput(input);
    const existing = ctx.store.get(s.name, scope(ctx.caller));
    if (existing) throw validationError(`Cannot create a duplicate Notebook Instance (${existing.arn})`);
    const platform = s.platformIdentifier ?? 'notebook-al2023-v1';
    checkPlatform(s.instanceType!, platform);
    checkRole(ctx, s.roleArn!);
    if (s.lifecycleConfigName) requireConfig(ctx, s.lifecycleConfigName);
    const record = ctx.store.create({
      name: s.name,
      region: ctx.caller.region,
      accessKeyId: ctx.caller.accessKeyId,
      instanceType: s.instanceType,
      creationTime: ctx.now,
      vpc: false,
      kms: false,
      rootAccess: s.rootAccess ?? 'Enabled',
      volumeSizeInGB: s.volumeSizeInGB ?? 5,
      platformIdentifier: platform,
      lifecycleConfigName: s.lifecycleConfigName,
      defaultCodeRepository: s.defaultCodeRepository,
    });
    record.details.RoleArn = s.roleArn;
    record.details.DirectInternetAccess = s.directInternetAccess ?? 'Enabled';
    return { NotebookInstanceArn: record.arn };
  },

  UpdateNotebookInstance(input, ctx) {
    const u = validateUpdateInput(input);
    const record = ctx.store.require(u.name, scope(ctx.caller));
    if (u.lifecycleConfigName !== undefined && u.disassociateLifecycleConfig) {
      throw validationError('Cannot specify both LifecycleConfigName and DisassociateLifecycleConfig.');
    }
    if (u.defaultCodeRepository !== undefined && u.disassociateDefaultCodeRepository) {
      throw validationError('Cannot specify both DefaultCodeRepository and DisassociateDefaultCodeRepository.');
    }
    if (u.volumeSizeInGB !== undefined && u.volumeSizeInGB < record.volumeSizeInGB) {
      throw validationError(
        `Invalid VolumeSizeInGB (${u.volumeSizeInGB}): the volume of Notebook Instance (${record.arn}) is ${record.volumeSizeInGB} GB and can only grow.`,
      );
    }
    const instanceType = u.instanceType ?? record.instanceType;
    const platform = u.platformIdentifier ?? record.platformIdentifier;
    if (u.instanceType !== undefined || u.platformIdentifier !== undefined) checkPlatform(instanceType, platform);
    if (u.roleArn !== undefined) checkRole(ctx, u.roleArn);
    if (u.lifecycleConfigName !== undefined) requireConfig(ctx, u.lifecycleConfigName);
    ctx.store.beginUpdate(record, () => {
      record.instanceType = instanceType;
      record.platformIdentifier = platform;
      if (u.volumeSizeInGB !== undefined) record.volumeSizeInGB = u.volumeSizeInGB;
      if (u.roleArn !== undefined) record.details.RoleArn = u.roleArn;
      if (u.rootAccess !== undefined) record.details.RootAccess = u.rootAccess;
      if (u.lifecycleConfigName !== undefined) record.details.NotebookInstanceLifecycleConfigName = u.lifecycleConfigName;
      if (u.disassociateLifecycleConfig) delete record.details.NotebookInstanceLifecycleConfigName;
      if (u.defaultCodeRepository !== undefined) record.details.DefaultCodeRepository = u.defaultCodeRepository;
      if (u.disassociateDefaultCodeRepository) delete record.details.DefaultCodeRepository;
    });
    return {};
  },

  DeleteNotebookInstance(input, ctx) {
    const name = validateNameInput(input);
    ctx.store.delete(ctx.store.require(name, scope(ctx.caller)));
    return {};
  },

  CreateNotebookInstanceLifecycleConfig(input, ctx) {
    const c = validateLifecycleInput(input, { contents: true });
    const { accessKeyId, region, accountId } = ctx.caller;
    const arn = lifecycleConfigArn(region, accountId, c.name);
    if (ctx.lifecycle.get(accessKeyId, region, c.name)) {
      throw validationError(`Unable to create Notebook Instance Lifecycle Config (${arn}) because it already exists.`);
    }
    ctx.lifecycle.put(accessKeyId, region, {
      name: c.name,
      arn,
      onCreate: c.onCreate,
      onStart: c.onStart,
      creationTime: ctx.now,
      lastModifiedTime: ctx.now,
    });
    return { NotebookInstanceLifecycleConfigArn: arn };
  },

  DescribeNotebookInstanceLifecycleConfig(input, ctx) {
    const config = requireConfig(ctx, validateLifecycleInput(input, { contents: false }).name);
    return {
      ...configSummary(config),
      ...(config.onCreate ? { OnCreate: [{ Content: config.onCreate }] } : {}),
      ...(config.onStart ? { OnStart: [{ Content: config.onStart }] } : {}),
    };
  },

  ListNotebookInstanceLifecycleConfigs(input, ctx) {
    const q = validateLifecycleListInput(input);
    const offset = q.nextToken === undefined ? 0 : Number(Buffer.from(q.nextToken, 'base64').toString('utf8'));
    if (!Number.isInteger(offset) || offset < 0)
      throw validationError('Invalid pagination token. The token is either malformed or does not match the request.');
    const key = (c: LifecycleConfigRecord) =>
      q.sortBy === 'Name' ? c.name : q.sortBy === 'CreationTime' ? c.creationTime : c.lastModifiedTime;
    const sorted = ctx.lifecycle
      .all(ctx.caller.accessKeyId, ctx.caller.region)
      .filter((c) => q.nameContains === undefined || c.name.toLowerCase().includes(q.nameContains.toLowerCase()))
      .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.name.localeCompare(b.name)) * (q.sortOrder === 'Ascending' ? 1 : -1));
    const page = sorted.slice(offset, offset + q.maxResults);
    const end = offset + page.length;
    return {
      NotebookInstanceLifecycleConfigs: page.map(configSummary),
      NextToken: end < sorted.length ? Buffer.from(String(end)).toString('base64') : undefined,
    };
  },

  UpdateNotebookInstanceLifecycleConfig(input, ctx) {
    const c = validateLifecycleInput(input, { contents: true });
    const config = requireConfig(ctx, c.name);
    if (input.OnCreate !== undefined) config.onCreate = c.onCreate;
    if (input.OnStart !== undefined) config.onStart = c.onStart;
    config.lastModifiedTime = ctx.now;
    return {};
  },

  DeleteNotebookInstanceLifecycleConfig(input, ctx) {
    const { name } = validateLifecycleInput(input, { contents: false });
    requireConfig(ctx, name);
    ctx.lifecycle.remove(ctx.caller.accessKeyId, ctx.caller.region, name);
    return {};
  },
};

/** A lifecycle configuration's record for seeding: scripts given as text, stored base64 as the API holds them. */
export function seededConfig(
  region: string,
  accountId: string,
  name: string,
  onCreate: string | undefined,
  onStart: string | undefined,
  now: number,
): LifecycleConfigRecord {
  const b64 = (text?: string) => (text === undefined ? undefined : Buffer.from(text, 'utf8').toString('base64'));
  return {
    name,
    arn: lifecycleConfigArn(region, accountId, name),
    onCreate: b64(onCreate),
    onStart: b64(onStart),
    creationTime: now,
    lastModifiedTime: now,
  };
}
