// Fault injection as the SDK experiences it: retried throttling, HTML outages, permission errors, hangs.
import assert from 'node:assert/strict';
import { ListNotebookInstancesCommand, StartNotebookInstanceCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import { accountIdFor } from '../../endpoint/auth';
import { startLocalSageMaker, type LocalSageMaker } from '../../endpoint/server';
import { localClient, rejectionOf, signedHeaders } from '../../endpoint/testClient';

describe('local SageMaker: fault injection', () => {
  let server: LocalSageMaker;
  let client: SageMakerClient;

  beforeEach(async () => {
    server = await startLocalSageMaker({ seed: [{ name: 'nb' }] });
    client = localClient(server, { maxAttempts: 2 });
  });
  afterEach(async () => {
    client.destroy();
    await server.stop();
  });

  it('throttles once, the SDK retries, and the second attempt succeeds', async function () {
    this.timeout(5000); // the SDK's throttling back-off is random, up to about a second
    server.inject('ListNotebookInstances', { error: 'ThrottlingException', times: 1 });
    const out = await client.send(new ListNotebookInstancesCommand({}));
    assert.equal(out.$metadata.attempts, 2);
    assert.deepEqual(
      server.requests.map((r) => r.statusCode),
      [400, 200],
    );
  });

  it('surfaces an HTML 503 from the load balancer as an error after the retries', async () => {
    server.inject('*', { error: 'http503' });
    const error = await rejectionOf(client.send(new ListNotebookInstancesCommand({})));
    assert.equal(error.$metadata?.httpStatusCode, 503);
    assert.equal(server.count('ListNotebookInstances'), 2, 'the SDK retried the 503 once');
    const raw = await fetch(server.url, {
      method: 'POST',
      headers: await signedHeaders(server, 'ListNotebookInstances', '{}'),
      body: '{}',
    });
    assert.equal(raw.status, 503);
    assert.equal(raw.headers.get('content-type'), 'text/html');
    assert.equal(await raw.text(), '<html><body><h1>503 Service Unavailable</h1></body></html>');
    const unsigned = await fetch(server.url, { method: 'POST', headers: { authorization: 'x' } });
    assert.equal(unsigned.status, 400, 'faults apply only after authentication');
  });

  it('names the action and resource in AccessDeniedException, like IAM does', async () => {
    server.inject('StartNotebookInstance', { error: 'AccessDeniedException' });
    const error = await rejectionOf(client.send(new StartNotebookInstanceCommand({ NotebookInstanceName: 'nb' })));
    const account = accountIdFor('AKIALOCALSAGEMAKER01');
    assert.equal(error.name, 'AccessDeniedException');
    assert.equal(
      error.message,
      `User: arn:aws:sts::${account}:assumed-role/LocalDeveloper/local-session is not authorized to perform: ` +
        `sagemaker:StartNotebookInstance on resource: arn:aws:sagemaker:us-east-1:${account}:notebook-instance/nb ` +
        'because no identity-based policy allows the sagemaker:StartNotebookInstance action',
    );
    const other = await client.send(new ListNotebookInstancesCommand({}));
    assert.equal(other.NotebookInstances?.length, 1, 'a fault for one operation leaves the others alone');
  });

  it('uses a custom message, counts down `times`, and clears', async () => {
    server.inject('*', { error: 'ResourceLimitExceeded', message: 'quota', times: 1 });
    server.inject('*', { error: 'ValidationException', message: 'second' });
    const first = await rejectionOf(client.send(new ListNotebookInstancesCommand({})));
    assert.deepEqual([first.name, first.message], ['ResourceLimitExceeded', 'quota']);
    const second = await rejectionOf(client.send(new ListNotebookInstancesCommand({})));
    assert.deepEqual([second.name, second.message], ['ValidationException', 'second']);
    server.clearFaults();
    await client.send(new ListNotebookInstancesCommand({}));
  });

  it('delays an answer by latencyMs', async () => {
    server.inject('ListNotebookInstances', { latencyMs: 120 });
    const started = Date.now();
    await client.send(new ListNotebookInstancesCommand({}));
    assert.ok(Date.now() - started >= 120);
    const [entry] = server.requests;
    assert.ok(entry.endedAt! - entry.startedAt >= 120);
  });

  it('hangs until the endpoint stops, then the pending call fails', async () => {
    server.inject('*', { hang: true });
    const pending = rejectionOf(client.send(new ListNotebookInstancesCommand({})));
    while (server.count() === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await server.stop();
    const error = await pending;
    assert.ok(error instanceof Error);
    assert.equal(server.requests[0].statusCode, undefined, 'no answer was ever sent');
  });
});
