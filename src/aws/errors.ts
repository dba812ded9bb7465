// Turns whatever the SDK or the credential chain threw into words a user can act on. Pure.
import { english, type L10n } from '../l10n';

export type ErrorKind =
  | 'cancelled'
  | 'ssoExpired'
  | 'unknownProfile'
  | 'noCredentials'
  | 'mfaRequired'
  | 'mfaRejected'
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
  code?: string | number;
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

export function toUserError(error: unknown, ctx: ErrorContext, l10n: L10n = english): UserError {
  if (error instanceof UserFacingError) return { kind: error.kind, message: error.message };
  const processError = credentialProcessError(error, ctx.profile, l10n);
  if (processError) return { kind: processError.kind, message: processError.message };
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as ErrorLike;
  const name = e.name ?? '';
  const text = redact(e.message ?? String(error));
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;

  if (name === 'AbortError' || name === 'CancellationError' || name === 'Canceled') return { kind: 'cancelled', message: l10n.t('Cancelled.') };
  if (/SSO session .*(expired|invalid)|Token is expired|SSO session token .* not found|aws sso login|aws login/i.test(text)) {
    return { kind: 'ssoExpired', message: l10n.t('The SSO session of profile "{0}" has expired or is missing. Run "aws sso login --profile {0}", then retry.', ctx.profile) };
  }
  if (/Profile \S+ (was not found|could not be found)/i.test(text)) {
    return { kind: 'unknownProfile', message: l10n.t('Profile "{0}" (or the profile it takes credentials from) is not in your AWS config or credentials file. Select another profile or add it to the file.', ctx.profile) };
  }
  if (/Could not resolve credentials using profile/i.test(text)) {
    return { kind: 'noCredentials', message: l10n.t('Profile "{0}" has no credentials: add access keys, an SSO session, a role or a credential_process to it, or select another profile.', ctx.profile) };
  }
  if (/MultiFactorAuthentication failed/i.test(text)) {
    // STS's AccessDenied for a wrong or reused code: asked for again when the user retries, not at once.
    return { kind: 'mfaRejected', message: l10n.t('The MFA code for profile "{0}" was not accepted. Enter a new code from your MFA device.', ctx.profile) };
  }
  if (/requires multi-factor authentication/i.test(text)) {
    return { kind: 'mfaRequired', message: l10n.t('Profile "{0}" needs an MFA code.', ctx.profile) };
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials|credential_process|Unable to find environment variable credentials/i.test(text)) {
    return { kind: 'noCredentials', message: l10n.t('No credentials for profile "{0}": {1}', ctx.profile, text) };
  }
  if (name === 'InvalidSignatureException' && /scoped to a valid region/i.test(text)) {
    // Not the keys: the endpoint serves another region than the one the request was signed for.
    return { kind: 'unknown', message: l10n.t('The SageMaker endpoint used for {0} serves another region. Set an endpoint per region in sagemakerNotebooks.endpoint (or AWS_ENDPOINT_URL_SAGEMAKER).', ctx.region ?? '?') };
  }
  if (['UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException', 'InvalidClientTokenId', 'SignatureDoesNotMatch'].includes(name)) {
    return { kind: 'invalidCredentials', message: l10n.t('AWS rejected the credentials of profile "{0}" ({1}). Check the keys, or refresh the session.', ctx.profile, name) };
  }
  if (name === 'AccessDeniedException' || /not authorized to perform/i.test(text)) {
    const action = /perform:? ((?:sagemaker|logs|iam):\w+)/i.exec(text)?.[1];
    return {
      kind: 'accessDenied',
      message: action
        ? l10n.t('Access denied for {0} with profile "{1}". Ask for this permission, and check policies that only allow certain IP addresses or VPC endpoints.', action, ctx.profile)
        : l10n.t('Access denied with profile "{0}". Ask for this permission, and check policies that only allow certain IP addresses or VPC endpoints.', ctx.profile),
    };
  }
  if (name === 'ResourceLimitExceeded') {
    return { kind: 'limit', message: l10n.t('The account has reached a SageMaker limit ({0}). Stop another instance or request a quota increase in Service Quotas.', text) };
  }
  if (['ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded'].includes(name)) {
    return { kind: 'throttled', message: l10n.t('AWS is throttling requests. Wait a moment and retry.') };
  }
  if (name === 'ValidationException' && /RecordNotFound|does not exist|not found/i.test(text)) {
    return { kind: 'notFound', message: l10n.t('The notebook instance no longer exists.') };
  }
  if (name === 'ValidationException') return { kind: 'validation', message: text };
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|socket hang up|TimeoutError|timed? ?out/i.test(`${name} ${e.code ?? ''} ${text}`)) {
    const where = ctx.endpoint ? l10n.t(' at {0}', ctx.endpoint) : ctx.region ? l10n.t(' in {0}', ctx.region) : '';
    return { kind: 'network', message: l10n.t('Could not reach SageMaker{0}. Check your network, proxy or endpoint setting, then retry.', where) };
  }
  if (status !== undefined && status >= 500) {
    return { kind: 'service', message: l10n.t('SageMaker answered with an error (HTTP {0}). Retry in a moment.', status) };
  }
  if (/Deserialization error|Unexpected token|is not valid JSON/i.test(text)) {
    return { kind: 'service', message: l10n.t('SageMaker sent a response that could not be read{0}. Retry in a moment.', status ? ` (HTTP ${status})` : '') };
  }
  return { kind: 'unknown', message: text || name || 'Unknown error' };
}

// What the SDK's credential_process provider throws (@aws-sdk/credential-provider-process): the exec error, whose
// message is "Command failed: <command line>\n<stderr>", and its own checks of what the command printed, which
// name the profile whose process it ran (a source profile's, in a chain).
const OUTPUT_PROBLEMS: ReadonlyArray<[RegExp, (l10n: L10n, profile: string) => string]> = [
  [/credential_process returned invalid JSON/, (l10n, p) => l10n.t('The credential_process of profile "{0}" printed no valid JSON.', p)],
  [/credential_process did not return Version 1/, (l10n, p) => l10n.t('The credential_process of profile "{0}" printed no "Version": 1.', p)],
  [/credential_process returned invalid credentials/, (l10n, p) => l10n.t('The credential_process of profile "{0}" printed no access key or secret key.', p)],
  [/credential_process returned expired credentials/, (l10n, p) => l10n.t('The credential_process of profile "{0}" printed expired credentials.', p)],
];

/**
 * A failed credential_process, told without its command line or its output: both can hold a token (a Vault
 * token passed as an argument, an error printed to stderr). Undefined for any other error.
 */
export function credentialProcessError(error: unknown, profile: string, l10n: L10n = english): UserFacingError | undefined {
  const { message, code } = (typeof error === 'object' && error !== null ? error : { message: error }) as ErrorLike;
  if (typeof message !== 'string') return undefined;
  const hint = l10n.t('Run its command in a terminal to see its output.');
  if (/\bCommand failed: /.test(message)) {
    // The SDK passes on only the message; an exec error that reaches here whole still has its exit code.
    const failed = typeof code === 'number'
      ? l10n.t('The credential_process of profile "{0}" failed with exit code {1}.', profile, code)
      : l10n.t('The credential_process of profile "{0}" failed.', profile);
    return new UserFacingError(`${failed} ${hint}`, 'noCredentials');
  }
  for (const [pattern, describe] of OUTPUT_PROBLEMS) {
    if (!pattern.test(message)) continue;
    const owner = /Profile (\S+) credential_process/.exec(message)?.[1] ?? profile;
    return new UserFacingError(`${describe(l10n, owner)} ${hint}`, 'noCredentials');
  }
  return undefined;
}

/** Removes anything that would let a reader open a notebook or sign a request. */
export function redact(text: string): string {
  return text
    .replace(/(authToken=)[^&\s"'<>]+/gi, '$1<redacted>')
    .replace(/(X-Amz-(?:Signature|Credential|Security-Token)=)[^&\s"'<>]+/gi, '$1<redacted>')
    .replace(/\b(A[SK]IA[A-Z0-9]{12,})\b/g, '<access-key>')
    .replace(/(aws_secret_access_key|aws_session_token)\s*=\s*\S+/gi, '$1=<redacted>');
}
