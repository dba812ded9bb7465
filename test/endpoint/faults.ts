// Fault injection: the failures a client meets in the field (throttling, missing permissions, quota,
// outages behind a load balancer, a call that never returns), on demand and for a counted number of calls.
import { ApiError } from './protocol';
import { notebookArn } from './seed';
import type { Caller } from './auth';

export type FaultError =
  | 'ThrottlingException'
  | 'AccessDeniedException'
  | 'ResourceLimitExceeded'
  | 'ValidationException'
  | 'ServiceUnavailable'
  | 'http500'
  | 'http503';

export interface FaultSpec {
  latencyMs?: number;
  /** Never answer; the request is only released when the endpoint stops. */
  hang?: boolean;
  error?: FaultError;
  /** ListNotebookInstances only: answer with no instances and a token for the same place. */
  emptyPage?: boolean;
  message?: string;
  /** How many requests the fault applies to; unlimited when omitted. */
  times?: number;
}

interface Rule {
  op: string;
  spec: FaultSpec;
  remaining: number;
}

export class Faults {
  private rules: Rule[] = [];

  inject(op: string, spec: FaultSpec): void {
    this.rules.push({ op, spec, remaining: spec.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.rules = [];
  }

  /** The fault for this request, if any, using up one of its `times`. An op's own rule beats '*'. */
  take(op: string): FaultSpec | undefined {
    const rule = this.rules.find((r) => r.op === op && r.remaining > 0) ?? this.rules.find((r) => r.op === '*' && r.remaining > 0);
    if (!rule) return undefined;
    rule.remaining--;
    return rule.spec;
  }
}

function accessDeniedMessage(op: string, caller: Caller, input: Record<string, unknown>): string {
  // Another service's operation, named `logs:GetLogEvents`, `iam:ListRoles`: its own action and resource.
  if (op.includes(':')) {
    const stream = typeof input.logStreamName === 'string' ? `:log-stream:${input.logStreamName}` : '';
    const resource = op.startsWith('logs:')
      ? `arn:aws:logs:${caller.region}:${caller.accountId}:log-group:${typeof input.logGroupName === 'string' ? input.logGroupName : '*'}${stream}`
      : `arn:aws:iam::${caller.accountId}:role/`;
    return `User: arn:aws:sts::${caller.accountId}:assumed-role/LocalDeveloper/local-session is not authorized to perform: ${op} on resource: ${resource} because no identity-based policy allows the ${op} action`;
  }
  const name = typeof input.NotebookInstanceName === 'string' ? input.NotebookInstanceName : '*';
  const resource = notebookArn(caller.region, caller.accountId, name);
  return (
    `User: arn:aws:sts::${caller.accountId}:assumed-role/LocalDeveloper/local-session is not authorized to ` +
    `perform: sagemaker:${op} on resource: ${resource} because no identity-based policy allows the ` +
    `sagemaker:${op} action`
  );
}

/** The JSON error a fault stands for; the HTML outages (http500/http503) are written by the server. */
export function faultError(spec: FaultSpec, op: string, caller: Caller, input: Record<string, unknown>): ApiError {
  const custom = spec.message;
  switch (spec.error) {
    case 'ThrottlingException':
      return new ApiError('ThrottlingException', custom ?? 'Rate exceeded');
    case 'AccessDeniedException':
      return new ApiError('AccessDeniedException', custom ?? accessDeniedMessage(op, caller, input));
    case 'ResourceLimitExceeded':
      return new ApiError(
        'ResourceLimitExceeded',
        custom ??
          "The account-level service limit 'ml.t3.medium for notebook instance usage' is 2 Instances, with current " +
            'utilization of 2 Instances and a request delta of 1 Instances. Please use AWS Service Quotas to request ' +
            'an increase for this quota.',
      );
    case 'ServiceUnavailable':
      return new ApiError('ServiceUnavailable', custom ?? 'Service Unavailable', 503);
    case 'ValidationException':
    default:
      return new ApiError('ValidationException', custom ?? '1 validation error detected: injected fault');
  }
}
