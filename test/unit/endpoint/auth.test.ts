// SigV4 handling: who is calling, whether the signature holds, and the AWS errors when it does not.
import assert from 'node:assert/strict';
import { DescribeNotebookInstanceCommand, ListNotebookInstancesCommand } from '@aws-sdk/client-sagemaker';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startLocalSageMaker, type LocalSageMaker } from '../../endpoint/server';
import { localClient, rejectionOf, signedHeaders } from '../../endpoint/testClient';

const ACCOUNT = { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY };

async function post(server: LocalSageMaker, headers: Record<string, string>, body = '{}') {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', ...headers },
    body,
  });
  return { status: res.status, errorType: res.headers.get('x-amzn-errortype'), body: (await res.json()) as Record<string, string> };
}

describe('local SageMaker: authentication', () => {
  let server: LocalSageMaker;
  afterEach(() => server.stop());

  it('accepts the SDK signature for a registered secret, with a session token', async () => {
    server = await startLocalSageMaker({ accounts: [ACCOUNT], seed: [{ name: 'nb' }] });
    const client = localClient(server, { sessionToken: 'FwoGZXIvYXdzEXAMPLESESSION' });
    const out = await client.send(new ListNotebookInstancesCommand({}));
    client.destroy();
    assert.equal(out.NotebookInstances?.length, 1);
    const log = JSON.stringify(server.requests);
    assert.ok(!log.includes(DEFAULT_SECRET_ACCESS_KEY) && !log.includes('EXAMPLESESSION'), 'credentials stay out of the log');
  });

  it('rejects a signature made with the wrong secret as InvalidSignatureException (403)', async () => {
    server = await startLocalSageMaker({ accounts: [ACCOUNT] });
    const client = localClient(server, { secretAccessKey: 'not-the-registered-secret' });
    const error = await rejectionOf(client.send(new ListNotebookInstancesCommand({})));
    client.destroy();
    assert.equal(error.name, 'InvalidSignatureException');
    assert.equal(error.$metadata?.httpStatusCode, 403);
  });

  it('rejects a body changed after signing', async () => {
    server = await startLocalSageMaker({ accounts: [ACCOUNT] });
    const headers = await signedHeaders(server, 'ListNotebookInstances', '{"MaxResults":5}', ACCOUNT);
    assert.equal((await post(server, headers, '{"MaxResults":5}')).status, 200);
    const tampered = await post(server, headers, '{"MaxResults":6}');
    assert.equal(tampered.status, 403);
    assert.equal(tampered.body.__type, 'InvalidSignatureException');
  });

  it('verifies the seed accounts without being told: a wrong secret for the default key is refused', async () => {
    server = await startLocalSageMaker();
    const impostor = localClient(server, { secretAccessKey: 'not-the-secret' });
    const error = await rejectionOf(impostor.send(new ListNotebookInstancesCommand({})));
    impostor.destroy();
    assert.equal(error.name, 'InvalidSignatureException');
  });

  it('answers an unknown key with UnrecognizedClientException', async () => {
    server = await startLocalSageMaker({ accounts: [ACCOUNT] });
    const stranger = localClient(server, { accessKeyId: 'AKIASTRANGER0000000' });
    const error = await rejectionOf(stranger.send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: 'nb' })));
    stranger.destroy();
    assert.equal(error.name, 'UnrecognizedClientException');
    assert.equal(error.message, 'The security token included in the request is invalid.');
  });

  it('answers missing and garbled Authorization headers as AWS does', async () => {
    server = await startLocalSageMaker();
    const target = { 'x-amz-target': 'SageMaker.ListNotebookInstances' };
    const missing = await post(server, target);
    assert.deepEqual(
      [missing.status, missing.errorType, missing.body.__type],
      [400, 'MissingAuthenticationTokenException', 'MissingAuthenticationTokenException'],
    );
    const garbled = await post(server, {
      ...target,
      authorization: 'AWS4-HMAC-SHA256 Credential=AKIA/20240101',
      'x-amz-date': '20240101T000000Z',
    });
    assert.equal(garbled.body.__type, 'IncompleteSignatureException');
    assert.match(garbled.body.message, /requires 'SignedHeaders' parameter/);
  });

  it('answers an operation it does not implement with UnknownOperationException', async () => {
    server = await startLocalSageMaker({ accounts: [ACCOUNT] });
    const headers = await signedHeaders(server, 'CreateTrainingJob', '{}', ACCOUNT);
    const res = await post(server, headers);
    assert.deepEqual([res.status, res.body.__type], [400, 'UnknownOperationException']);
  });
});
