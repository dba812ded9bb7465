// SigV4 as the endpoint sees it: who is calling (access key id and region come from the credential
// scope, and all data is keyed by them) and, for accounts registered with a secret, whether the
// signature really matches, so a test can prove a wrong secret is rejected.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { ApiError } from './protocol';

export interface Caller {
  accessKeyId: string;
  region: string;
  accountId: string;
}

export interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const SERVICE = 'sagemaker';

/** A stable 12-digit account id per access key, so ARNs do not change between runs. */
export function accountIdFor(accessKeyId: string): string {
  const digest = createHash('sha256').update(accessKeyId).digest();
  return (digest.readBigUInt64BE(0) % 1_000_000_000_000n).toString().padStart(12, '0');
}

export function parseAuthorization(req: IncomingMessage, expectedService = SERVICE): ParsedAuthorization {
  const header = req.headers.authorization;
  if (!header) throw new ApiError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  if (!header.startsWith(`${ALGORITHM} `)) {
    throw new ApiError(
      'IncompleteSignatureException',
      `Authorization header requires the '${ALGORITHM}' algorithm and 'Credential', 'SignedHeaders' and 'Signature' parameters.`,
    );
  }
  const params = new Map<string, string>();
  for (const part of header.slice(ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((name) => !params.get(name));
  const amzDate = req.headers['x-amz-date'];
  const problems = missing.map((name) => `Authorization header requires '${name}' parameter.`);
  if (typeof amzDate !== 'string') problems.push("Authorization header requires existence of a 'X-Amz-Date' header.");
  const scope = (params.get('Credential') ?? '').split('/');
  if (!missing.includes('Credential') && (scope.length !== 5 || scope[4] !== 'aws4_request' || scope.some((s) => !s))) {
    problems.push("Credential should be of the form 'ACCESS_KEY/DATE/REGION/SERVICE/aws4_request'.");
  }
  if (problems.length > 0) throw new ApiError('IncompleteSignatureException', problems.join(' '));
  const [accessKeyId, date, region, service] = scope;
  if (service !== expectedService) {
    throw new ApiError('InvalidSignatureException', `Credential should be scoped to correct service: '${expectedService}'. `, 403);
  }
  return {
    accessKeyId,
    date,
    region,
    service,
    signedHeaders: params.get('SignedHeaders')!.split(';'),
    signature: params.get('Signature')!,
  };
}

/** `20240131T120000Z` → Date, the form x-amz-date always takes. */
function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}

/**
 * Recomputes the signature over exactly what arrived (method, path, the headers the client said it
 * signed, the body) with the registered secret. Throws InvalidSignatureException on any mismatch.
 */
export async function verifySignature(
  req: IncomingMessage,
  body: string,
  auth: ParsedAuthorization,
  secretAccessKey: string,
): Promise<void> {
  const signingDate = parseAmzDate(String(req.headers['x-amz-date'] ?? ''));
  const mismatch = new ApiError(
    'InvalidSignatureException',
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    403,
  );
  if (!signingDate || !auth.date || !String(req.headers['x-amz-date']).startsWith(auth.date)) throw mismatch;
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = req.headers[name];
    if (value === undefined) throw mismatch;
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  const query: Record<string, string> = {};
  url.searchParams.forEach((value, key) => (query[key] = value));
  const request = new HttpRequest({ method: req.method, path: url.pathname, query, headers, body });
  const signer = new SignatureV4({
    credentials: { accessKeyId: auth.accessKeyId, secretAccessKey },
    region: auth.region,
    service: auth.service,
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: false, // the SDK does not add x-amz-content-sha256 for SageMaker; neither may we
  });
  const signed = await signer.sign(request, { signingDate, signableHeaders: new Set(auth.signedHeaders) });
  const expected = /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization ?? ''))?.[1] ?? '';
  const a = Buffer.from(expected);
  const b = Buffer.from(auth.signature);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw mismatch;
}
