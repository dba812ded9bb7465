import * as assert from 'assert';
import type { AddressInfo } from 'net';
import * as tls from 'tls';
import { certificateProblem, credentialProcessError, toUserError } from '../../src/aws/errors';
import { redact } from '../../src/shared/redact';
import { createTestCa, type TestCa } from '../endpoint/testCa';
import { stateForCredentialError } from '../../src/aws/connectionManager';

const ctx = { profile: 'dev', region: 'us-east-1' };
const err = (name: string, message: string, status?: number) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

describe('toUserError', () => {
  it('tells how to refresh an expired SSO session', () => {
    const e = toUserError(
      err(
        'CredentialsProviderError',
        'The SSO session associated with this profile has expired. To refresh this SSO session run aws sso login with the corresponding profile.',
      ),
      ctx,
    );
    assert.strictEqual(e.kind, 'ssoExpired');
    assert.match(e.message, /aws sso login --profile dev/);
  });

  it('a wrong MFA code (STS AccessDenied) asks for a new code, for every region at once', () => {
    const e = toUserError(err('AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code. ', 403), ctx);
    assert.strictEqual(e.kind, 'mfaRejected');
    assert.strictEqual(e.message, 'The MFA code for profile "dev" was not accepted. Enter a new code from your MFA device.');
    assert.strictEqual(stateForCredentialError(e.kind), 'mfaCancelled', 'the view\'s "Enter MFA Code" state, not a row per region');
  });

  it('a signature for another region is an endpoint problem, not bad credentials', () => {
    const e = toUserError(err('InvalidSignatureException', "Credential should be scoped to a valid region, not 'eu-west-1'. ", 403), {
      profile: 'dev',
      region: 'eu-west-1',
    });
    assert.notStrictEqual(e.kind, 'invalidCredentials');
    assert.match(e.message, /endpoint used for eu-west-1 serves another region/);
    assert.strictEqual(
      toUserError(err('InvalidSignatureException', 'The request signature we calculated does not match', 403), ctx).kind,
      'invalidCredentials',
    );
  });

  it('names the denied IAM action and mentions IP conditions', () => {
    const e = toUserError(
      err(
        'AccessDeniedException',
        'User: arn:aws:sts::1:assumed-role/x is not authorized to perform: sagemaker:CreatePresignedNotebookInstanceUrl on resource: arn:aws:sagemaker:us-east-1:1:notebook-instance/nb',
      ),
      ctx,
    );
    assert.strictEqual(e.kind, 'accessDenied');
    assert.match(e.message, /sagemaker:CreatePresignedNotebookInstanceUrl/);
    assert.match(e.message, /IP addresses/);
  });

  it('recognises a missing instance, throttling, unknown profiles and unreachable endpoints', () => {
    assert.strictEqual(toUserError(err('ValidationException', 'RecordNotFound'), ctx).kind, 'notFound');
    assert.strictEqual(toUserError(err('ThrottlingException', 'Rate exceeded'), ctx).kind, 'throttled');
    assert.strictEqual(toUserError(err('CredentialsProviderError', 'Profile base was not found.'), ctx).kind, 'unknownProfile');
    assert.strictEqual(
      toUserError(
        err('CredentialsProviderError', 'Could not resolve credentials using profile: [dev] in configuration/credentials file(s).'),
        ctx,
      ).kind,
      'noCredentials',
    );
    const net = toUserError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), {
      ...ctx,
      endpoint: 'http://127.0.0.1:1',
    });
    assert.strictEqual(net.kind, 'network');
    assert.match(net.message, /Could not reach SageMaker at http:\/\/127\.0\.0\.1:1/);
  });

  it('turns an HTML 503 into a service error, not a parser message', () => {
    const e = toUserError(
      err(
        'SyntaxError',
        'Unexpected token < in JSON at position 0\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.',
        503,
      ),
      ctx,
    );
    assert.strictEqual(e.kind, 'service');
    assert.doesNotMatch(e.message, /Unexpected token/);
  });

  it('never lets a token or key through in a message', () => {
    const e = toUserError(
      err('Error', 'failed https://nb.notebook.us-east-1.sagemaker.aws/lab?authToken=abc+/%2B= with AKIAIOSFODNN7EXAMPLE'),
      ctx,
    );
    assert.doesNotMatch(e.message, /abc\+/);
    assert.doesNotMatch(e.message, /AKIAIOSFODNN7EXAMPLE/);
  });
});

describe('credential_process failures', () => {
  const TOKEN = 'hvs.CAESIVaultTokenForTestsOnly';
  // What @aws-sdk/credential-provider-process throws when the command exits non-zero: the exec error's message.
  const failed = () =>
    err(
      'CredentialsProviderError',
      `Command failed: vault-creds --token=${TOKEN} --role dev\nError: permission denied for token ${TOKEN}\n`,
    );

  it('name the profile and where to look, never the command line or its output', () => {
    const e = toUserError(failed(), ctx);
    assert.strictEqual(e.kind, 'noCredentials');
    assert.strictEqual(e.message, 'The credential_process of profile "dev" failed. Run its command in a terminal to see its output.');
  });

  it('give the exit code when the error carries it', () => {
    const e = toUserError(Object.assign(failed(), { code: 3 }), ctx);
    assert.match(e.message, /failed with exit code 3\./);
    assert.doesNotMatch(e.message, /hvs\.|vault-creds|Command failed|permission denied/);
  });

  it('name the profile whose process printed something unusable, from the SDK message', () => {
    const e = toUserError(err('CredentialsProviderError', 'Profile source credential_process returned invalid JSON.'), ctx);
    assert.strictEqual(
      e.message,
      'The credential_process of profile "source" printed no valid JSON. Run its command in a terminal to see its output.',
    );
  });

  it('leave other errors to toUserError', () => {
    assert.strictEqual(credentialProcessError(err('CredentialsProviderError', 'Profile base was not found.'), 'dev'), undefined);
    assert.strictEqual(credentialProcessError(new Error('connect ECONNREFUSED 127.0.0.1:1'), 'dev'), undefined);
  });
});

describe('redact', () => {
  it('removes authToken values, signatures and secret keys', () => {
    assert.strictEqual(redact('u?authToken=a+b%2B=&x=1'), 'u?authToken=<redacted>&x=1');
    assert.strictEqual(redact('X-Amz-Signature=deadbeef'), 'X-Amz-Signature=<redacted>');
    assert.strictEqual(redact('aws_secret_access_key = abc/def'), 'aws_secret_access_key=<redacted>');
  });
});

describe('certificate problems', () => {
  // Real failures: Node's own TLS errors from a server on 127.0.0.1 whose certificate comes from a test CA.
  let ca: TestCa;
  let server: tls.Server;
  let port: number;
  before(async () => {
    ca = createTestCa('Untrusted Test CA');
    const { key, cert } = ca.issue('127.0.0.1');
    server = tls.createServer({ key, cert: cert + ca.certPem }, (s) => s.end());
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    await new Promise((r) => server.close(r));
    ca.dispose();
  });
  const failure = (options: tls.ConnectionOptions) =>
    new Promise<Error>((resolve, reject) => {
      const socket = tls.connect(
        { host: '127.0.0.1', port, ...options },
        () => (socket.destroy(), reject(new Error('the handshake succeeded'))),
      );
      socket.once('error', resolve);
    });

  it('an untrusted certificate says what to do: the CA bundle, or http.proxyStrictSSL on a trusted network', async () => {
    const e = toUserError(await failure({}), ctx);
    assert.strictEqual(e.kind, 'certificate');
    assert.strictEqual(
      e.message,
      "The TLS certificate of SageMaker in us-east-1 is not trusted (SELF_SIGNED_CERT_IN_CHAIN). Behind a TLS-inspecting proxy, point AWS_CA_BUNDLE or the profile's ca_bundle at a PEM file with its CA certificates; only on a network you trust, set http.proxyStrictSSL to false instead.",
    );
    assert.doesNotMatch(e.message, /self[- ]signed certificate in certificate chain/, 'not the raw OpenSSL words');
  });

  it('names the endpoint when one is set, and the code of a leaf the client cannot chain', async () => {
    // A client that trusts some other CA: OpenSSL cannot find the issuer.
    const other = createTestCa('Other Test CA');
    try {
      const e = toUserError(await failure({ ca: other.certPem }), { profile: 'dev', endpoint: 'https://vpce.example' });
      assert.strictEqual(e.kind, 'certificate');
      assert.match(
        e.message,
        /^The TLS certificate of https:\/\/vpce\.example is not trusted \((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\)\. .*AWS_CA_BUNDLE.*http\.proxyStrictSSL/,
      );
    } finally {
      other.dispose();
    }
  });

  it('a certificate for another host name points at the endpoint setting', async () => {
    const e = toUserError(
      await failure({
        ca: ca.certPem,
        servername: 'api.sagemaker.us-east-1.amazonaws.com',
        checkServerIdentity: (host, cert) => tls.checkServerIdentity('api.sagemaker.us-east-1.amazonaws.com', cert),
      }),
      ctx,
    );
    assert.strictEqual(e.kind, 'certificate');
    assert.match(e.message, /is for another host name \(ERR_TLS_CERT_ALTNAME_INVALID\)\. Check sagemakerNotebooks\.endpoint/);
  });

  it('expired or not yet valid: the clock; known by code, or by the words when only the message survived', () => {
    assert.match(
      toUserError(Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' }), ctx).message,
      /has expired or is not valid yet \(CERT_HAS_EXPIRED\)\. Check the date and time/,
    );
    assert.match(toUserError(new Error('request to x failed: certificate is not yet valid'), ctx).message, /\(CERT_NOT_YET_VALID\)/);
    assert.match(
      toUserError(new Error('unable to verify the first certificate'), ctx).message,
      /not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)/,
    );
    assert.match(
      toUserError(Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), ctx).message,
      /not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\)/,
    );
  });

  it('leaves other network failures to the network message', () => {
    assert.strictEqual(
      certificateProblem(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })),
      undefined,
    );
    assert.strictEqual(
      toUserError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), ctx).kind,
      'network',
    );
  });
});
