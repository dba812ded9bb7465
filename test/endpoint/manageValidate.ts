// Input validation of the management operations (create, update, delete, lifecycle configurations) as the
// SageMaker API model defines it: each member's length, pattern, range and enum, in the service's wording.
import { _InstanceType } from '@aws-sdk/client-sagemaker';
import { ApiError, throwIfViolations, violation } from './protocol';
import { checkEnum, checkRange, checkString, NAME_PATTERN, typed } from './validate';

type Input = Record<string, unknown>;

export const INSTANCE_TYPES = Object.values(_InstanceType) as string[];
export const ROLE_ARN_PATTERN = '^arn:aws[a-z\\-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+$';
export const PLATFORM_PATTERN = '^(notebook-al1-v1|notebook-al2-v1|notebook-al2-v2|notebook-al2-v3|notebook-al2023-v1)$';
export const CODE_REPOSITORY_PATTERN = '^https://([^/]+)/?(.*)$|^[a-zA-Z0-9](-*[a-zA-Z0-9])*';
const ON_OFF = ['Enabled', 'Disabled'] as const;

export interface InstanceSettings {
  instanceType?: string;
  roleArn?: string;
  lifecycleConfigName?: string;
  directInternetAccess?: 'Enabled' | 'Disabled';
  volumeSizeInGB?: number;
  defaultCodeRepository?: string;
  rootAccess?: 'Enabled' | 'Disabled';
  platformIdentifier?: string;
}

function checkBoolean(input: Input, key: string): boolean | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new ApiError('SerializationException', `Unexpected value type for ${key}`);
  return value;
}

function settings(input: Input, v: string[], create: boolean): InstanceSettings {
  return {
    instanceType: create || input.InstanceType !== undefined ? checkEnum(input, 'InstanceType', v, INSTANCE_TYPES) : undefined,
    roleArn: checkString(input, 'RoleArn', v, { required: create, min: 20, max: 2048, pattern: ROLE_ARN_PATTERN }),
    lifecycleConfigName: checkString(input, 'LifecycleConfigName', v, { max: 63, pattern: NAME_PATTERN }),
    directInternetAccess: create ? checkEnum(input, 'DirectInternetAccess', v, ON_OFF) : undefined,
    volumeSizeInGB: checkRange(input, 'VolumeSizeInGB', v, 5, 16384),
    defaultCodeRepository: checkString(input, 'DefaultCodeRepository', v, { min: 1, max: 1024, pattern: CODE_REPOSITORY_PATTERN }),
    rootAccess: checkEnum(input, 'RootAccess', v, ON_OFF),
    platformIdentifier: checkString(input, 'PlatformIdentifier', v, { max: 20, pattern: PLATFORM_PATTERN }),
  };
}

export function validateCreateInput(input: Input): InstanceSettings & { name: string } {
  const v: string[] = [];
  const name = checkString(input, 'NotebookInstanceName', v, { required: true, max: 63, pattern: NAME_PATTERN });
  if (input.InstanceType === undefined) v.push(violation(undefined, 'instanceType', 'Member must not be null'));
  const s = settings(input, v, true);
  throwIfViolations(v);
  return { ...s, name: name! };
}

export interface UpdateInput extends InstanceSettings {
  name: string;
  disassociateLifecycleConfig?: boolean;
  disassociateDefaultCodeRepository?: boolean;
}

export function validateUpdateInput(input: Input): UpdateInput {
  const v: string[] = [];
  const name = checkString(input, 'NotebookInstanceName', v, { required: true, max: 63, pattern: NAME_PATTERN });
  const s = settings(input, v, false);
  const disassociateLifecycleConfig = checkBoolean(input, 'DisassociateLifecycleConfig');
  const disassociateDefaultCodeRepository = checkBoolean(input, 'DisassociateDefaultCodeRepository');
  throwIfViolations(v);
  return { ...s, name: name!, disassociateLifecycleConfig, disassociateDefaultCodeRepository };
}

export interface LifecycleInput {
  name: string;
  onCreate?: string;
  onStart?: string;
}

/** A hook list: at most one script, its Content 1 to 16384 characters (the base64 text, as sent). */
function hook(input: Input, key: 'OnCreate' | 'OnStart', v: string[]): string | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new ApiError('SerializationException', `Unexpected value type for ${key}`);
  if (value.length > 1)
    v.push(
      violation(`[${value.length} items]`, key.charAt(0).toLowerCase() + key.slice(1), 'Member must have length less than or equal to 1'),
    );
  const first = value[0] as Input | undefined;
  if (first === undefined) return undefined;
  if (typeof first !== 'object' || first === null) throw new ApiError('SerializationException', `Unexpected value type for ${key}`);
  const content = typed<string>(first, 'Content', 'string');
  const field = `${key.charAt(0).toLowerCase()}${key.slice(1)}.1.member.content`;
  if (content === undefined) return undefined;
  if (content.length < 1) v.push(violation(content, field, 'Member must have length greater than or equal to 1'));
  if (content.length > 16384) v.push(violation(`${content.slice(0, 20)}…`, field, 'Member must have length less than or equal to 16384'));
  return content;
}

export function validateLifecycleInput(input: Input, { contents }: { contents: boolean }): LifecycleInput {
  const v: string[] = [];
  const name = checkString(input, 'NotebookInstanceLifecycleConfigName', v, { required: true, max: 63, pattern: NAME_PATTERN });
  const onCreate = contents ? hook(input, 'OnCreate', v) : undefined;
  const onStart = contents ? hook(input, 'OnStart', v) : undefined;
  throwIfViolations(v);
  return { name: name!, onCreate, onStart };
}

export interface LifecycleListQuery {
  maxResults: number;
  nextToken?: string;
  sortBy: 'Name' | 'CreationTime' | 'LastModifiedTime';
  sortOrder: 'Ascending' | 'Descending';
  nameContains?: string;
}

export function validateLifecycleListInput(input: Input): LifecycleListQuery {
  const v: string[] = [];
  const nextToken = checkString(input, 'NextToken', v, { max: 8192 });
  const maxResults = checkRange(input, 'MaxResults', v, 1, 100);
  const sortBy = checkEnum(input, 'SortBy', v, ['Name', 'CreationTime', 'LastModifiedTime'] as const);
  const sortOrder = checkEnum(input, 'SortOrder', v, ['Ascending', 'Descending'] as const);
  const nameContains = checkString(input, 'NameContains', v, { max: 63, pattern: '[a-zA-Z0-9-]+' });
  throwIfViolations(v);
  return { maxResults: maxResults ?? 10, nextToken, sortBy: sortBy ?? 'CreationTime', sortOrder: sortOrder ?? 'Descending', nameContains };
}

/** Instance families SageMaker does not offer on Amazon Linux 2023 notebook instances. */
export const NOT_ON_AL2023 = ['ml.p2', 'ml.p3', 'ml.p3dn', 'ml.inf1', 'ml.g3'];

/** The platform rules the model cannot express; each message names the offending value. */
export function checkPlatform(instanceType: string, platform: string): void {
  if (platform === 'notebook-al1-v1') {
    throw new ApiError(
      'ValidationException',
      'Platform notebook-al1-v1 (Amazon Linux) has reached end of life. Choose notebook-al2023-v1.',
    );
  }
  const family = instanceType.split('.').slice(0, 2).join('.');
  if (platform.startsWith('notebook-al2023') && NOT_ON_AL2023.includes(family)) {
    throw new ApiError(
      'ValidationException',
      `Instance type ${instanceType} is not supported on platform ${platform}. Choose another instance type or platform.`,
    );
  }
}
