// IAM on the local endpoint (AWS Query protocol, signed for service `iam` in us-east-1): ListRoles, with
// each account's roles and their trust policies, so a client can tell which roles SageMaker may assume.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { accountIdFor } from './auth';
import { ApiError } from './protocol';

export const IAM_VERSION = '2010-05-08';

export interface RoleRecord {
  path: string;
  name: string;
  /** The services this role trusts (`sagemaker.amazonaws.com`, …). */
  trusts: string[];
  createDate: number;
}

/** Every account starts with a SageMaker execution role, a second one, and a Lambda role SageMaker cannot assume. */
export function defaultRoles(): RoleRecord[] {
  return [
    {
      path: '/service-role/',
      name: 'AmazonSageMaker-ExecutionRole-20240115T093000',
      trusts: ['sagemaker.amazonaws.com'],
      createDate: Date.parse('2024-01-15T09:30:00Z'),
    },
    {
      path: '/',
      name: 'DataScienceNotebookRole',
      trusts: ['sagemaker.amazonaws.com', 'glue.amazonaws.com'],
      createDate: Date.parse('2024-05-02T12:00:00Z'),
    },
    {
      path: '/service-role/',
      name: 'nightly-etl-lambda-role',
      trusts: ['lambda.amazonaws.com'],
      createDate: Date.parse('2024-03-09T08:00:00Z'),
    },
  ];
}

export function roleArn(accountId: string, role: RoleRecord): string {
  return `arn:aws:iam::${accountId}:role${role.path}${role.name}`;
}

function trustPolicy(role: RoleRecord): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { Service: role.trusts.length === 1 ? role.trusts[0] : role.trusts }, Action: 'sts:AssumeRole' },
    ],
  });
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const el = (name: string, value: string) => `<${name}>${escapeXml(value)}</${name}>`;

export function isIamRequest(body: string): boolean {
  return new URLSearchParams(body).get('Version') === IAM_VERSION;
}

export function handleIam(body: string, principal: string, roles: RoleRecord[], res: ServerResponse): string {
  const params = new URLSearchParams(body);
  const action = params.get('Action') ?? '';
  if (action !== 'ListRoles') throw new ApiError('InvalidAction', `Could not find operation ${action} for version ${IAM_VERSION}`);
  const account = accountIdFor(principal);
  const prefix = params.get('PathPrefix') ?? '/';
  const max = Number(params.get('MaxItems') ?? 100);
  if (!Number.isInteger(max) || max < 1 || max > 1000) {
    throw new ApiError(
      'ValidationError',
      `1 validation error detected: Value '${params.get('MaxItems')}' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000`,
    );
  }
  const marker = params.get('Marker');
  const offset = marker ? Number(Buffer.from(marker, 'base64').toString('utf8')) : 0;
  if (!Number.isInteger(offset) || offset < 0) throw new ApiError('ValidationError', 'Invalid Marker');
  const matching = roles.filter((r) => r.path.startsWith(prefix)).sort((a, b) => a.name.localeCompare(b.name));
  const page = matching.slice(offset, offset + max);
  const truncated = offset + page.length < matching.length;
  const members = page
    .map(
      (r) =>
        `<member>${el('Path', r.path)}${el('RoleName', r.name)}${el('RoleId', `AROA${account}${r.name.length}`)}${el('Arn', roleArn(account, r))}` +
        `${el('CreateDate', new Date(r.createDate).toISOString())}${el('AssumeRolePolicyDocument', encodeURIComponent(trustPolicy(r)))}${el('MaxSessionDuration', '3600')}</member>`,
    )
    .join('');
  const result = `${el('IsTruncated', String(truncated))}${truncated ? el('Marker', Buffer.from(String(offset + page.length)).toString('base64')) : ''}<Roles>${members}</Roles>`;
  const xml =
    `<ListRolesResponse xmlns="https://iam.amazonaws.com/doc/${IAM_VERSION}/"><ListRolesResult>${result}</ListRolesResult>` +
    `<ResponseMetadata>${el('RequestId', randomUUID())}</ResponseMetadata></ListRolesResponse>`;
  res.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(xml) });
  res.end(xml);
  return action;
}

export function sendIamError(res: ServerResponse, error: ApiError): void {
  const code = error.type === 'AccessDeniedException' ? 'AccessDenied' : error.type;
  const status = code === 'AccessDenied' ? 403 : error.statusCode;
  const xml = `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/${IAM_VERSION}/"><Error><Type>Sender</Type>${el('Code', code)}${el('Message', error.message)}</Error>${el('RequestId', randomUUID())}</ErrorResponse>`;
  res.writeHead(status, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(xml) });
  res.end(xml);
}
