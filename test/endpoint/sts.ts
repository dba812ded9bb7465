// STS on the local endpoint (AWS Query protocol: a form-encoded POST, an XML answer), enough for the
// credential providers' inner STS client: AssumeRole (with SerialNumber/TokenCode for MFA) and
// GetCallerIdentity. Assumed-role keys are real accounts of the endpoint: their requests are verified
// with the secret issued here, must carry the session token issued with them, stop working at their
// expiration (by the endpoint's clock), and see the instances of the key that assumed the role.
import { randomBytes, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { accountIdFor } from './auth';
import { ApiError } from './protocol';
import { issuedSecrets } from './tokens';

export interface StsState {
  accounts: Map<string, string | undefined>;
  /** Temporary access key id → the key whose instances it sees. */
  aliases: Map<string, string>;
  /** Temporary access key id → its session token and when it expires (epoch ms of `clock`). */
  temporary: Map<string, { sessionToken: string; expiresAt: number }>;
  /** The MFA code AssumeRole accepts with a SerialNumber; undefined accepts none. */
  mfaCode?: string;
  /** The lifetime of every temporary credential issued, whatever was asked for. */
  credentialSeconds?: number;
  clock: () => number;
}

export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiresAt: number;
}

/** New temporary credentials that see what `principal` sees, registered as an account of the endpoint. */
export function issueTemporary(state: StsState, principal: string, seconds: number): TemporaryCredentials {
  const accessKeyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
  const secretAccessKey = randomBytes(30).toString('base64');
  const sessionToken = randomBytes(48).toString('base64');
  const expiresAt = state.clock() + (state.credentialSeconds ?? seconds) * 1000;
  state.accounts.set(accessKeyId, secretAccessKey);
  state.aliases.set(accessKeyId, principal);
  state.temporary.set(accessKeyId, { sessionToken, expiresAt });
  return { accessKeyId, secretAccessKey, sessionToken, expiresAt };
}

/** What AWS answers a request signed with temporary credentials that are not (or no longer) good. */
export function checkTemporary(state: StsState, accessKeyId: string, sessionToken: unknown, service: string): void {
  const temporary = state.temporary.get(accessKeyId);
  if (!temporary) return;
  const sts = service === 'sts';
  if (sessionToken !== temporary.sessionToken) {
    throw new ApiError(
      sts ? 'InvalidClientTokenId' : 'UnrecognizedClientException',
      'The security token included in the request is invalid.',
      sts ? 403 : 400,
    );
  }
  if (temporary.expiresAt <= state.clock()) {
    throw new ApiError(
      sts ? 'ExpiredToken' : 'ExpiredTokenException',
      'The security token included in the request is expired',
      sts ? 403 : 400,
    );
  }
}

export interface StsCaller {
  accessKeyId: string;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function element(name: string, value: string): string {
  return `<${name}>${escapeXml(value)}</${name}>`;
}

export function isStsRequest(contentType: string | undefined): boolean {
  return (contentType ?? '').startsWith('application/x-www-form-urlencoded');
}

function respond(res: ServerResponse, action: string, result: string): void {
  const body =
    `<${action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><${action}Result>${result}</${action}Result>` +
    `<ResponseMetadata>${element('RequestId', randomUUID())}</ResponseMetadata></${action}Response>`;
  res.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

export function sendStsError(res: ServerResponse, error: ApiError): void {
  const body =
    `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>${element('Code', error.type)}` +
    `${element('Message', error.message)}</Error>${element('RequestId', randomUUID())}</ErrorResponse>`;
  res.writeHead(error.statusCode, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** The partition key of a caller: an assumed role's key sees what the key that assumed it sees. */
export function principalOf(state: StsState, accessKeyId: string): string {
  return state.aliases.get(accessKeyId) ?? accessKeyId;
}

export function handleSts(body: string, caller: StsCaller, state: StsState, res: ServerResponse): string {
  const params = new URLSearchParams(body);
  const action = params.get('Action') ?? '';
  const principal = principalOf(state, caller.accessKeyId);
  const account = accountIdFor(principal);
  if (action === 'GetCallerIdentity') {
    respond(
      res,
      action,
      element('UserId', principal) + element('Account', account) + element('Arn', `arn:aws:iam::${account}:user/local-developer`),
    );
    return action;
  }
  if (action !== 'AssumeRole') throw new ApiError('InvalidAction', `Could not find operation ${action} for version 2011-06-15`);
  const roleArn = params.get('RoleArn') ?? '';
  const session = params.get('RoleSessionName') ?? '';
  if (!/^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(roleArn) || !session) {
    throw new ApiError('ValidationError', "1 validation error detected: Value at 'roleArn' failed to satisfy constraint");
  }
  if (params.get('SerialNumber') && params.get('TokenCode') !== state.mfaCode) {
    throw new ApiError('AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code. ', 403);
  }
  const issued = issueTemporary(state, principal, Number(params.get('DurationSeconds') ?? 3600));
  issuedSecrets.push(issued.secretAccessKey, issued.sessionToken); // the leak checks look for the assumed role's keys too
  const role = roleArn.split('/').pop() ?? 'role';
  respond(
    res,
    action,
    `<Credentials>${element('AccessKeyId', issued.accessKeyId)}${element('SecretAccessKey', issued.secretAccessKey)}${element('SessionToken', issued.sessionToken)}` +
      `${element('Expiration', new Date(issued.expiresAt).toISOString())}</Credentials>` +
      `<AssumedRoleUser>${element('AssumedRoleId', `AROA${account}:${session}`)}${element('Arn', `arn:aws:sts::${roleArn.split(':')[4]}:assumed-role/${role}/${session}`)}</AssumedRoleUser>`,
  );
  return action;
}
