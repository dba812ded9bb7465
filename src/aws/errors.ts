// Turns whatever the SDK or the credential chain threw into words a user can act on. Pure.
import { redact } from '../shared/redact';
import { english, type L10n } from '../shared/l10n';

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
  | 'certificate'
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
  constructor(
    message: string,
    readonly kind: ErrorKind = 'unknown',
  ) {
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

  if (name === 'AbortError' || name === 'CancellationError' || name === 'Canceled')
    return { kind: 'cancelled', message: l10n.t('Cancelled.') };
  if (/SSO session .*(expired|invalid)|Token is expired|SSO session token .* not found|aws sso login|aws login/i.test(text)) {
    return {
      kind: 'ssoExpired',
      message: l10n.t(
        'The SSO session of profile "{0}" has expired or is missing. Run "aws sso login --profile {0}", then retry.',
        ctx.profile,
      ),
    };
  }
  if (/Profile \S+ (was not found|could not be found)/i.test(text)) {
    return {
      kind: 'unknownProfile',
      message: l10n.t(
        'Profile "{0}" (or the profile it takes credentials from) is not in your AWS config or credentials file. Select another profile or add it to the file.',
        ctx.profile,
      ),
    };
  }
  if (/Could not resolve credentials using profile/i.test(text)) {
    return {
      kind: 'noCredentials',
      message: l10n.t(
        'Profile "{0}" has no credentials: add access keys, an SSO session, a role or a credential_process to it, or select another profile.',
        ctx.profile,
      ),
    };
  }
  if (/MultiFactorAuthentication failed/i.test(text)) {
    // STS's AccessDenied for a wrong or reused code: asked for again when the user retries, not at once.
    return {
      kind: 'mfaRejected',
      message: l10n.t('The MFA code for profile "{0}" was not accepted. Enter a new code from your MFA device.', ctx.profile),
    };
  }
  if (/requires multi-factor authentication/i.test(text)) {
    return { kind: 'mfaRequired', message: l10n.t('Profile "{0}" needs an MFA code.', ctx.profile) };
  }
  if (
    name === 'CredentialsProviderError' ||
    /Could not load credentials|credential_process|Unable to find environment variable credentials/i.test(text)
  ) {
    return { kind: 'noCredentials', message: l10n.t('No credentials for profile "{0}": {1}', ctx.profile, text) };
  }
  if (name === 'InvalidSignatureException' && /scoped to a valid region/i.test(text)) {
    // Not the keys: the endpoint serves another region than the one the request was signed for.
    return {
      kind: 'unknown',
      message: l10n.t(
        'The SageMaker endpoint used for {0} serves another region. Set an endpoint per region in sagemakerNotebooks.endpoint (or AWS_ENDPOINT_URL_SAGEMAKER).',
        ctx.region ?? '?',
      ),
    };
  }
  if (
    [
      'UnrecognizedClientException',
      'InvalidSignatureException',
      'ExpiredTokenException',
      'InvalidClientTokenId',
      'SignatureDoesNotMatch',
    ].includes(name)
  ) {
    return {
      kind: 'invalidCredentials',
      message: l10n.t('AWS rejected the credentials of profile "{0}" ({1}). Check the keys, or refresh the session.', ctx.profile, name),
    };
  }
  if (name === 'AccessDeniedException' || /not authorized to perform/i.test(text)) {
    const action = /perform:? ((?:sagemaker|logs|iam):\w+)/i.exec(text)?.[1];
    return {
      kind: 'accessDenied',
      message: action
        ? l10n.t(
            'Access denied for {0} with profile "{1}". Ask for this permission, and check policies that only allow certain IP addresses or VPC endpoints.',
            action,
            ctx.profile,
          )
        : l10n.t(
            'Access denied with profile "{0}". Ask for this permission, and check policies that only allow certain IP addresses or VPC endpoints.',
            ctx.profile,
          ),
    };
  }
  if (name === 'ResourceLimitExceeded') {
    return {
      kind: 'limit',
      message: l10n.t(
        'The account has reached a SageMaker limit ({0}). Stop another instance or request a quota increase in Service Quotas.',
        text,
      ),
    };
  }
  if (['ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded'].includes(name)) {
    return { kind: 'throttled', message: l10n.t('AWS is throttling requests. Wait a moment and retry.') };
  }
  if (name === 'ValidationException' && /RecordNotFound|does not exist|not found/i.test(text)) {
    return { kind: 'notFound', message: l10n.t('The notebook instance no longer exists.') };
  }
  if (name === 'ValidationException') return { kind: 'validation', message: text };
  const certificate = certificateProblem(e, text);
  if (certificate) {
    const where = ctx.endpoint ?? (ctx.region ? l10n.t('SageMaker in {0}', ctx.region) : l10n.t('the server'));
    const message =
      certificate.problem === 'expired'
        ? l10n.t(
            'The TLS certificate of {0} has expired or is not valid yet ({1}). Check the date and time of this computer; behind a TLS-inspecting proxy, tell its administrators.',
            where,
            certificate.code,
          )
        : certificate.problem === 'hostname'
          ? l10n.t(
              'The TLS certificate of {0} is for another host name ({1}). Check sagemakerNotebooks.endpoint (or AWS_ENDPOINT_URL_SAGEMAKER); behind a TLS-inspecting proxy, tell its administrators.',
              where,
              certificate.code,
            )
          : l10n.t(
              "The TLS certificate of {0} is not trusted ({1}). Behind a TLS-inspecting proxy, point AWS_CA_BUNDLE or the profile's ca_bundle at a PEM file with its CA certificates; only on a network you trust, set http.proxyStrictSSL to false instead.",
              where,
              certificate.code,
            );
    return { kind: 'certificate', message };
  }
  if (
    /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|socket hang up|TimeoutError|timed? ?out/i.test(`${name} ${e.code ?? ''} ${text}`)
  ) {
    const where = ctx.endpoint ? l10n.t(' at {0}', ctx.endpoint) : ctx.region ? l10n.t(' in {0}', ctx.region) : '';
    return {
      kind: 'network',
      message: l10n.t('Could not reach SageMaker{0}. Check your network, proxy or endpoint setting, then retry.', where),
    };
  }
  if (status !== undefined && status >= 500) {
    return { kind: 'service', message: l10n.t('SageMaker answered with an error (HTTP {0}). Retry in a moment.', status) };
  }
  if (/Deserialization error|Unexpected token|is not valid JSON/i.test(text)) {
    return {
      kind: 'service',
      message: l10n.t('SageMaker sent a response that could not be read{0}. Retry in a moment.', status ? ` (HTTP ${status})` : ''),
    };
  }
  return { kind: 'unknown', message: text || name || 'Unknown error' };
}

// Node's certificate verification failures, by code (OpenSSL's names, and Node's own for the host name check)
// and, where a wrapper kept only the message, by OpenSSL's words.
const UNTRUSTED_CODES = [
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REJECTED',
  'INVALID_CA',
];
const EXPIRED_CODES = ['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID'];
const HOSTNAME_CODES = ['ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH'];
const CERTIFICATE_TEXTS: ReadonlyArray<[RegExp, string, 'untrusted' | 'expired' | 'hostname']> = [
  [/self[- ]signed certificate in certificate chain/i, 'SELF_SIGNED_CERT_IN_CHAIN', 'untrusted'],
  [/self[- ]signed certificate/i, 'DEPTH_ZERO_SELF_SIGNED_CERT', 'untrusted'],
  [/unable to verify the first certificate/i, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'untrusted'],
  [/unable to get (local )?issuer certificate/i, 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'untrusted'],
  [/certificate has expired/i, 'CERT_HAS_EXPIRED', 'expired'],
  [/certificate is not yet valid/i, 'CERT_NOT_YET_VALID', 'expired'],
  [/does not match certificate's altnames/i, 'ERR_TLS_CERT_ALTNAME_INVALID', 'hostname'],
];

/** A failed TLS certificate check: its code and what kind of problem it is; undefined for any other error. */
export function certificateProblem(
  error: { code?: string | number; message?: string },
  text = error.message ?? '',
): { code: string; problem: 'untrusted' | 'expired' | 'hostname' } | undefined {
  const code = typeof error.code === 'string' ? error.code : '';
  if (UNTRUSTED_CODES.includes(code)) return { code, problem: 'untrusted' };
  if (EXPIRED_CODES.includes(code)) return { code, problem: 'expired' };
  if (HOSTNAME_CODES.includes(code)) return { code, problem: 'hostname' };
  for (const [pattern, named, problem] of CERTIFICATE_TEXTS) if (pattern.test(text)) return { code: named, problem };
  return undefined;
}

// What the SDK's credential_process provider throws (@aws-sdk/credential-provider-process): the exec error, whose
// message is "Command failed: <command line>\n<stderr>", and its own checks of what the command printed, which
// name the profile whose process it ran (a source profile's, in a chain).
const OUTPUT_PROBLEMS: ReadonlyArray<[RegExp, (l10n: L10n, profile: string) => string]> = [
  [/credential_process returned invalid JSON/, (l10n, p) => l10n.t('The credential_process of profile "{0}" printed no valid JSON.', p)],
  [
    /credential_process did not return Version 1/,
    (l10n, p) => l10n.t('The credential_process of profile "{0}" printed no "Version": 1.', p),
  ],
  [
    /credential_process returned invalid credentials/,
    (l10n, p) => l10n.t('The credential_process of profile "{0}" printed no access key or secret key.', p),
  ],
  [
    /credential_process returned expired credentials/,
    (l10n, p) => l10n.t('The credential_process of profile "{0}" printed expired credentials.', p),
  ],
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
    const failed =
      typeof code === 'number'
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
