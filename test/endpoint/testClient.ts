// The real SDK client pointed at a local endpoint, as the tests (and benchmarks) build it. Only the
// endpoint differs from production wiring; signing, retries and (de)serialization are the SDK's own.
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_REGION, DEFAULT_SECRET_ACCESS_KEY, TEAM_ACCESS_KEY_ID, TEAM_SECRET_ACCESS_KEY } from './seed';

export interface LocalClientOptions {
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  region?: string;
  maxAttempts?: number;
}

export function localClient(endpoint: { url: string }, options: LocalClientOptions = {}): SageMakerClient {
  return new SageMakerClient({
    endpoint: endpoint.url,
    region: options.region ?? DEFAULT_REGION,
    maxAttempts: options.maxAttempts,
    credentials: {
      accessKeyId: options.accessKeyId ?? DEFAULT_ACCESS_KEY_ID,
      secretAccessKey:
        options.secretAccessKey ?? (options.accessKeyId === TEAM_ACCESS_KEY_ID ? TEAM_SECRET_ACCESS_KEY : DEFAULT_SECRET_ACCESS_KEY),
      sessionToken: options.sessionToken,
    },
  });
}

export type ServiceError = Error & { $metadata?: { httpStatusCode?: number; attempts?: number } };

/** The error a call fails with; a call that succeeds fails the test, so no assertion can be skipped. */
export async function rejectionOf(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise;
  } catch (error) {
    return error as ServiceError;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** Headers for a raw request signed as the SDK would sign it, so a test can send (or tamper with) it by fetch. */
export async function signedHeaders(
  endpoint: { url: string },
  op: string,
  body: string,
  credentials = { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY },
  region = DEFAULT_REGION,
): Promise<Record<string, string>> {
  const url = new URL(endpoint.url);
  const signer = new SignatureV4({ credentials, region, service: 'sagemaker', sha256: Hash.bind(null, 'sha256'), applyChecksum: false });
  const request = await signer.sign(
    new HttpRequest({
      method: 'POST',
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      headers: { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `SageMaker.${op}` },
      body,
    }),
  );
  return request.headers;
}
