// Describe, Start, Stop and per-account data through the real SDK, including the state machine's timing.
import assert from 'node:assert/strict';
import {
  CreatePresignedNotebookInstanceUrlCommand,
  DescribeNotebookInstanceCommand,
  ListNotebookInstancesCommand,
  SageMakerClient,
  StartNotebookInstanceCommand,
  StopNotebookInstanceCommand,
} from '@aws-sdk/client-sagemaker';
import { accountIdFor } from '../../endpoint/auth';
import {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_SECRET_ACCESS_KEY,
  startLocalSageMaker,
  TEAM_ACCESS_KEY_ID,
  type LocalSageMaker,
} from '../../endpoint/server';
import { localClient, rejectionOf } from '../../endpoint/testClient';

const TRANSITION_MS = 40;

/** Polls the endpoint's record until `done`; the transitions run on real timers of TRANSITION_MS. */
async function until(what: string, done: () => boolean, timeoutMs = 2000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !done(); await new Promise((resolve) => setTimeout(resolve, 10))) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
  }
}

describe('local SageMaker: notebook instances', () => {
  let server: LocalSageMaker;
  let client: SageMakerClient;

  beforeEach(async () => {
    server = await startLocalSageMaker({ transitionMs: TRANSITION_MS, regions: ['eu-west-1'] });
    client = localClient(server);
  });
  afterEach(async () => {
    client.destroy();
    await server.stop();
  });

  const status = async (name: string) =>
    (await client.send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: name }))).NotebookInstanceStatus;

  it('describes an instance with its ARN, URL, failure reason and account-derived role', async () => {
    server.addInstance({ name: 'Broken-One', status: 'Failed', failureReason: 'Subnet is full', instanceType: 'ml.m5.xlarge' });
    const out = await client.send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: 'Broken-One' }));
    const account = accountIdFor('AKIALOCALSAGEMAKER01');
    assert.match(account, /^\d{12}$/);
    assert.equal(out.NotebookInstanceArn, `arn:aws:sagemaker:us-east-1:${account}:notebook-instance/broken-one`);
    assert.equal(out.Url, 'broken-one.notebook.us-east-1.sagemaker.aws');
    assert.equal(out.NotebookInstanceStatus, 'Failed');
    assert.equal(out.FailureReason, 'Subnet is full');
    assert.equal(out.InstanceType, 'ml.m5.xlarge');
    assert.equal(out.RoleArn?.startsWith(`arn:aws:iam::${account}:role/`), true);
  });

  it('starts a stopped instance through Pending to InService after the transition time', async () => {
    server.addInstance({ name: 'nb', status: 'Stopped', creationTime: 0 });
    await client.send(new StartNotebookInstanceCommand({ NotebookInstanceName: 'nb' }));
    assert.equal(await status('nb'), 'Pending');
    await until('nb to be InService', () => server.getInstance('nb')?.status === 'InService');
    const out = await client.send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: 'nb' }));
    assert.equal(out.NotebookInstanceStatus, 'InService');
    assert.ok(out.LastModifiedTime!.getTime() > out.CreationTime!.getTime(), 'LastModifiedTime moves on transition');
  });

  it('moves seeded transitional instances on settlesAfterMs after the first listing, and leaves them where seeded without it', async () => {
    for (const [name, st] of [
      ['p', 'Pending'],
      ['s', 'Stopping'],
      ['u', 'Updating'],
      ['d', 'Deleting'],
    ] as const) {
      server.addInstance({ name, status: st, settlesAfterMs: 300 });
    }
    server.addInstance({ name: 'still', status: 'Pending' });
    assert.equal(server.getInstance('p')?.status, 'Pending');
    await client.send(new ListNotebookInstancesCommand({})); // a slow start of the lister must not miss them
    await until(
      'the seeded instances to settle',
      () => server.getInstance('d') === undefined && ['p', 's', 'u'].every((n) => !/ing$/.test(server.getInstance(n)!.status)),
    );
    assert.deepEqual(
      ['p', 's', 'u', 'still'].map((n) => server.getInstance(n)?.status),
      ['InService', 'Stopped', 'Stopped', 'Pending'],
    );
    assert.equal(server.getInstance('d'), undefined, 'a Deleting instance goes away');
  });

  it('stops an InService instance through Stopping to Stopped', async () => {
    server.addInstance({ name: 'nb' });
    await client.send(new StopNotebookInstanceCommand({ NotebookInstanceName: 'nb' }));
    assert.equal(await status('nb'), 'Stopping');
    await until('nb to be Stopped', () => server.getInstance('nb')?.status === 'Stopped');
    assert.equal(await status('nb'), 'Stopped');
  });

  it('refuses to start an instance that is not Stopped or Failed, with the real message', async () => {
    const record = server.addInstance({ name: 'nb', status: 'InService' });
    const error = await rejectionOf(client.send(new StartNotebookInstanceCommand({ NotebookInstanceName: 'nb' })));
    assert.equal(error.name, 'ValidationException');
    assert.equal(
      error.message,
      `Status (InService) not in ([Stopped, Failed]). Unable to transition to (Pending) for Notebook Instance (${record.arn})`,
    );
    server.setStatus('nb', 'Stopped');
    const stop = await rejectionOf(client.send(new StopNotebookInstanceCommand({ NotebookInstanceName: 'nb' })));
    assert.match(stop.message, /^Status \(Stopped\) not in \(\[InService\]\)/);
  });

  it('answers a bad name, an unknown instance and an out-of-range session with ValidationException', async () => {
    const badName = await rejectionOf(client.send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: 'x y' })));
    assert.equal(badName.name, 'ValidationException');
    assert.equal(
      badName.message,
      "1 validation error detected: Value 'x y' at 'notebookInstanceName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9])*$",
    );
    const missing = await rejectionOf(client.send(new StopNotebookInstanceCommand({ NotebookInstanceName: 'nope' })));
    assert.equal(missing.name, 'ValidationException');
    assert.equal(missing.message, 'RecordNotFound');
    server.addInstance({ name: 'nb' });
    const duration = await rejectionOf(
      client.send(new CreatePresignedNotebookInstanceUrlCommand({ NotebookInstanceName: 'nb', SessionExpirationDurationInSeconds: 60 })),
    );
    assert.equal(duration.name, 'ValidationException');
    assert.match(duration.message, /'sessionExpirationDurationInSeconds' .* greater than or equal to 1800$/);
  });

  it('refuses to presign an instance that is not InService', async () => {
    server.addInstance({ name: 'nb', status: 'Stopped' });
    const error = await rejectionOf(client.send(new CreatePresignedNotebookInstanceUrlCommand({ NotebookInstanceName: 'nb' })));
    assert.equal(error.name, 'ValidationException');
    assert.match(error.message, /^Status \(Stopped\) not in \(\[InService\]\)/);
  });

  it('keeps each access key and region apart', async () => {
    server.addInstance({ name: 'mine' });
    server.addInstance({ name: 'theirs', accessKeyId: TEAM_ACCESS_KEY_ID });
    server.addInstance({ name: 'mine-in-eu', region: 'eu-west-1' });
    const team = localClient(server, { accessKeyId: TEAM_ACCESS_KEY_ID });
    const eu = localClient({ url: server.regionUrl('eu-west-1') }, { region: 'eu-west-1' });
    const names = async (c: SageMakerClient) =>
      ((await c.send(new ListNotebookInstancesCommand({}))).NotebookInstances ?? []).map((i) => i.NotebookInstanceName);
    assert.deepEqual(await names(client), ['mine']);
    assert.deepEqual(await names(team), ['theirs']);
    assert.deepEqual(await names(eu), ['mine-in-eu']);
    const crossAccount = await rejectionOf(team.send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: 'mine' })));
    assert.equal(crossAccount.message, 'RecordNotFound');
    assert.deepEqual(server.requests.map((r) => [r.accessKeyId, r.region]).slice(0, 3), [
      ['AKIALOCALSAGEMAKER01', 'us-east-1'],
      [TEAM_ACCESS_KEY_ID, 'us-east-1'],
      ['AKIALOCALSAGEMAKER01', 'eu-west-1'],
    ]);
    team.destroy();
    eu.destroy();
  });

  it('is reachable through AWS_ENDPOINT_URL_SAGEMAKER without an endpoint in code', async () => {
    server.addInstance({ name: 'via-env' });
    const previous = process.env.AWS_ENDPOINT_URL_SAGEMAKER;
    process.env.AWS_ENDPOINT_URL_SAGEMAKER = server.url;
    try {
      const envClient = new SageMakerClient({
        region: 'us-east-1',
        credentials: { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY },
      });
      const out = await envClient.send(new ListNotebookInstancesCommand({}));
      envClient.destroy();
      assert.deepEqual(
        out.NotebookInstances?.map((i) => i.NotebookInstanceName),
        ['via-env'],
      );
    } finally {
      if (previous === undefined) delete process.env.AWS_ENDPOINT_URL_SAGEMAKER;
      else process.env.AWS_ENDPOINT_URL_SAGEMAKER = previous;
    }
  });

  it('removes instances and seeds thousands quickly', async () => {
    const started = Date.now();
    server.addMany(5000, { prefix: 'bulk' });
    assert.ok(Date.now() - started < 2000, 'addMany(5000) stays fast');
    assert.equal(server.removeInstance('bulk-0001'), true);
    assert.equal(server.getInstance('bulk-0001'), undefined);
    assert.equal(server.getInstance('bulk-0002')?.status, 'InService');
  });
});
