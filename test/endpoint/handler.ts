// One API request from arrival to answer, in the order AWS applies its checks: authentication,
// operation, payload, then (for tests) injected faults, then the operation itself. Every request is
// logged with its parsed input; credentials live only in headers, so they never reach the log.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { accountIdFor, parseAuthorization, verifySignature, type Caller } from './auth';
import { faultError, type Faults } from './faults';
import { handleIam, isIamRequest, sendIamError, type RoleRecord } from './iam';
import { filterLogEvents, getLogEvents, LOGS_TARGET_PREFIX, type LogStore } from './logs';
import { MANAGE_OPERATIONS, type ManageContext } from './manageOperations';
import { OPERATIONS, type OperationContext } from './operations';
import { ApiError, operationOf, parseInput, readBody, sendError, sendHtmlFailure, sendJson } from './protocol';
import { handleSso, isSsoRequest, type SsoToken } from './sso';
import { checkTemporary, handleSts, isStsRequest, principalOf, sendStsError, type StsState } from './sts';

export interface RequestRecord {
  op: string;
  accessKeyId?: string;
  region?: string;
  /** Epoch milliseconds of the real clock, so benchmarks can measure. */
  startedAt: number;
  endedAt?: number;
  statusCode?: number;
  input?: Record<string, unknown>;
}

export interface HandlerDeps {
  /** The region of the 127.0.0.1 listener the request arrived at (every listener serves exactly one). */
  hostRegion?: string;
  accounts: Map<string, string | undefined>;
  faults: Faults;
  sts: StsState;
  /** The SSO portal's access tokens (GetRoleCredentials). */
  ssoTokens: Map<string, SsoToken>;
  context(caller: Caller, emptyPage: boolean): OperationContext;
  manage(caller: Caller): ManageContext;
  logs: LogStore;
  /** The IAM roles of an account (by the access key whose data it sees). */
  roles(principal: string): RoleRecord[];
  /** Waits on a timer the endpoint clears when it stops. */
  delay(ms: number): Promise<void>;
  record(entry: RequestRecord): void;
  finished(entry: RequestRecord): void;
}

async function authenticate(
  req: IncomingMessage,
  body: string,
  deps: HandlerDeps,
  entry: RequestRecord,
  service = 'sagemaker',
): Promise<Caller> {
  const auth = parseAuthorization(req, service);
  entry.accessKeyId = auth.accessKeyId;
  entry.region = auth.region;
  const secret = deps.accounts.get(auth.accessKeyId);
  if (secret === undefined) throw new ApiError('UnrecognizedClientException', 'The security token included in the request is invalid.');
  await verifySignature(req, body, auth, secret);
  checkTemporary(deps.sts, auth.accessKeyId, req.headers['x-amz-security-token'], service);
  // SageMaker (and CloudWatch Logs, regional too) takes the region from the host the request was sent to and
  // refuses a signature for another: an AWS host name (the production-path routing) names it, else the
  // 127.0.0.1 listener it arrived at serves one region. STS, IAM and the SSO portal are not checked here.
  const regional = service === 'sagemaker' || service === 'logs';
  const region = regional ? (regionOfHost(req.headers.host, service) ?? deps.hostRegion) : undefined;
  if (region && auth.region !== region) {
    throw new ApiError('InvalidSignatureException', `Credential should be scoped to a valid region, not '${auth.region}'. `, 403);
  }
  const principal = principalOf(deps.sts, auth.accessKeyId);
  return { accessKeyId: principal, region: region ?? auth.region, accountId: accountIdFor(principal) };
}

/**
 * `api.sagemaker.<region>.amazonaws.com` (or `.localhost`), as the production-path routing sends it; for
 * service `logs`, `logs.<region>.amazonaws.com`. Undefined for any other host (127.0.0.1:port).
 */
export function regionOfHost(host: string | undefined, service = 'sagemaker'): string | undefined {
  const prefix = service === 'logs' ? 'logs' : 'api\\.sagemaker';
  return new RegExp(`^${prefix}\\.([a-z0-9-]+)\\.(?:amazonaws\\.com(?:\\.cn)?|localhost)(?::\\d+)?$`, 'i').exec(host ?? '')?.[1];
}

/** Returns true when the fault already answered (or deliberately never will). */
async function applyFault(op: string, caller: Caller, input: Record<string, unknown>, res: ServerResponse, deps: HandlerDeps) {
  const fault = deps.faults.take(op);
  if (!fault) return false;
  if (fault.emptyPage) return 'emptyPage';
  if (fault.latencyMs) await deps.delay(fault.latencyMs);
  if (fault.hang) return true;
  if (fault.error === 'http500' || fault.error === 'http503') {
    sendHtmlFailure(res, fault.error === 'http500' ? 500 : 503);
    return true;
  }
  if (fault.error) {
    sendError(res, faultError(fault, op, caller, input));
    return true;
  }
  return false;
}

export async function handleApiRequest(req: IncomingMessage, res: ServerResponse, deps: HandlerDeps): Promise<void> {
  const op = operationOf(req);
  const entry: RequestRecord = { op: op ?? 'Unknown', startedAt: Date.now() };
  const finish = () => {
    if (entry.endedAt !== undefined) return;
    entry.endedAt = Date.now();
    entry.statusCode = res.headersSent ? res.statusCode : undefined;
    deps.finished(entry);
  };
  res.on('finish', finish);
  res.on('close', finish);
  try {
    const body = await readBody(req);
    deps.record(entry);
    if (isSsoRequest(req)) {
      entry.op = 'sso:GetRoleCredentials';
      handleSso(req, deps.ssoTokens, deps.sts, res);
      return;
    }
    if (isStsRequest(req.headers['content-type']) && isIamRequest(body)) {
      entry.op = `iam:${new URLSearchParams(body).get('Action') ?? 'Unknown'}`;
      try {
        const caller = await authenticate(req, body, deps, entry, 'iam');
        const fault = deps.faults.take(entry.op);
        if (fault?.error) throw faultError(fault, entry.op, caller, {});
        handleIam(body, caller.accessKeyId, deps.roles(caller.accessKeyId), res);
      } catch (error) {
        if (!res.headersSent)
          sendIamError(res, error instanceof ApiError ? error : new ApiError('InternalFailure', 'Internal server error', 500));
      }
      return;
    }
    if (isStsRequest(req.headers['content-type'])) {
      entry.op = `sts:${new URLSearchParams(body).get('Action') ?? 'Unknown'}`;
      try {
        handleSts(body, await authenticate(req, body, deps, entry, 'sts'), deps.sts, res);
      } catch (error) {
        if (!res.headersSent)
          sendStsError(res, error instanceof ApiError ? error : new ApiError('InternalFailure', 'Internal server error', 500));
      }
      return;
    }
    const target = req.headers['x-amz-target'];
    if (typeof target === 'string' && target.startsWith(LOGS_TARGET_PREFIX)) {
      const logsOp = target.slice(LOGS_TARGET_PREFIX.length);
      entry.op = `logs:${logsOp}`;
      const caller = await authenticate(req, body, deps, entry, 'logs');
      const input = parseInput(body);
      entry.input = input;
      if (await applyFault(entry.op, caller, input, res, deps)) return;
      const { accessKeyId, region } = caller;
      if (logsOp === 'GetLogEvents') sendJson(res, getLogEvents(deps.logs, accessKeyId, region, input));
      else if (logsOp === 'FilterLogEvents') sendJson(res, filterLogEvents(deps.logs, accessKeyId, region, input));
      else throw new ApiError('UnknownOperationException', `Unknown operation: ${logsOp}`);
      return;
    }
    const caller = await authenticate(req, body, deps, entry);
    if (req.method === 'POST' && op && Object.hasOwn(MANAGE_OPERATIONS, op)) {
      const input = parseInput(body);
      entry.input = input;
      if (await applyFault(op, caller, input, res, deps)) return;
      sendJson(res, await MANAGE_OPERATIONS[op](input, deps.manage(caller)));
      return;
    }
    if (req.method !== 'POST' || !op || !Object.hasOwn(OPERATIONS, op)) {
      throw new ApiError(
        'UnknownOperationException',
        'Unknown operation: the X-Amz-Target header names no SageMaker operation this endpoint supports.',
      );
    }
    const input = parseInput(body);
    entry.input = input;
    const fault = await applyFault(op, caller, input, res, deps);
    if (fault === true) return;
    sendJson(res, await OPERATIONS[op](input, deps.context(caller, fault === 'emptyPage')));
  } catch (error) {
    if (res.headersSent || res.destroyed) return;
    sendError(res, error instanceof ApiError ? error : new ApiError('InternalFailure', 'Internal server error', 500));
  }
}
