// Turns whatever the SDK or the credential chain threw into words a user can act on. Pure.

export type ErrorKind =
  | 'cancelled'
  | 'ssoExpired'
  | 'unknownProfile'
  | 'noCredentials'
  | 'mfaRequired'
  | 'invalidCredentials'
  | 'accessDenied'
  | 'throttled'
  | 'limit'
  | 'notFound'
  | 'network'
  | 'service'
  | 'validation'
  | 'unknown';

export interface UserError {
  readonly kind: ErrorKind;
  /** One sentence for the user; never contains a URL token or a credential. */
  readonly message: string;
}

interface ErrorLike {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { statusCode?: number };
}

export interface ErrorContext {
  readonly profile: string;
  readonly region?: string;
  readonly endpoint?: string;
}

/** An error whose message is already written for the user (and already free of secrets). */
export class UserFacingError extends Error {
  constructor(message: string, readonly kind: ErrorKind = 'unknown') {
    super(message);
    this.name = 'UserFacingError';
  }
}

export function toUserError(error: unknown, ctx: ErrorContext): UserError {
  if (error instanceof UserFacingError) return { kind: error.kind, message: error.message };
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as ErrorLike;
  const name = e.name ?? '';
  const text = redact(e.message ?? String(error));
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;

  if (name === 'AbortError' || name === 'CancellationError' || name === 'Canceled') return { kind: 'cancelled', message: 'Cancelled.' };
  if (/SSO session .*(expired|invalid)|Token is expired|SSO session token .* not found|aws sso login|aws login/i.test(text)) {
    return { kind: 'ssoExpired', message: `The SSO session of profile "${ctx.profile}" has expired or is missing. Run "aws sso login --profile ${ctx.profile}", then retry.` };
  }
  if (/Profile \S+ (was not found|could not be found)/i.test(text)) {
    return { kind: 'unknownProfile', message: `Profile "${ctx.profile}" (or the profile it takes credentials from) is not in your AWS config or credentials file. Select another profile or add it to the file.` };
  }
  if (/Could not resolve credentials using profile/i.test(text)) {
    return { kind: 'noCredentials', message: `Profile "${ctx.profile}" has no credentials: add access keys, an SSO session, a role or a credential_process to it, or select another profile.` };
  }
  if (/requires multi-factor authentication/i.test(text)) {
    return { kind: 'mfaRequired', message: `Profile "${ctx.profile}" needs an MFA code.` };
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials|credential_process|Unable to find environment variable credentials/i.test(text)) {
    return { kind: 'noCredentials', message: `No credentials for profile "${ctx.profile}": ${text}` };
  }
  if (['UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException', 'InvalidClientTokenId', 'SignatureDoesNotMatch'].includes(name)) {
    return { kind: 'invalidCredentials', message: `AWS rejected the credentials of profile "${ctx.profile}" (${name}). Check the keys, or refresh the session.` };
  }
  if (name === 'AccessDeniedException' || /not authorized to perform/i.test(text)) {
    const action = /perform:? (sagemaker:\w+)/i.exec(text)?.[1];
    return {
      kind: 'accessDenied',
      message: `Access denied${action ? ` for ${action}` : ''} with profile "${ctx.profile}". Ask for this permission, and check policies that only allow certain IP addresses or VPC endpoints.`,
    };
  }
  if (name === 'ResourceLimitExceeded') {
    return { kind: 'limit', message: `The account has reached a SageMaker limit (${text}). Stop another instance or request a quota increase in Service Quotas.` };
  }
  if (['ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded'].includes(name)) {
    return { kind: 'throttled', message: 'AWS is throttling requests. Wait a moment and retry.' };
  }
  if (name === 'ValidationException' && /RecordNotFound|does not exist|not found/i.test(text)) {
    return { kind: 'notFound', message: 'The notebook instance no longer exists.' };
  }
  if (name === 'ValidationException') return { kind: 'validation', message: text };
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|socket hang up|TimeoutError|timed? ?out/i.test(`${name} ${e.code ?? ''} ${text}`)) {
    const where = ctx.endpoint ? ` at ${ctx.endpoint}` : ctx.region ? ` in ${ctx.region}` : '';
    return { kind: 'network', message: `Could not reach SageMaker${where}. Check your network, proxy or endpoint setting, then retry.` };
  }
  if (status !== undefined && status >= 500) {
    return { kind: 'service', message: `SageMaker answered with an error (HTTP ${status}). Retry in a moment.` };
  }
  if (/Deserialization error|Unexpected token|is not valid JSON/i.test(text)) {
    return { kind: 'service', message: `SageMaker sent a response that could not be read${status ? ` (HTTP ${status})` : ''}. Retry in a moment.` };
  }
  return { kind: 'unknown', message: text || name || 'Unknown error' };
}

/** Removes anything that would let a reader open a notebook or sign a request. */
export function redact(text: string): string {
  return text
    .replace(/(authToken=)[^&\s"'<>]+/gi, '$1<redacted>')
    .replace(/(X-Amz-(?:Signature|Credential|Security-Token)=)[^&\s"'<>]+/gi, '$1<redacted>')
    .replace(/\b(A[SK]IA[A-Z0-9]{12,})\b/g, '<access-key>')
    .replace(/(aws_secret_access_key|aws_session_token)\s*=\s*\S+/gi, '$1=<redacted>');
}
