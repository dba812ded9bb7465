// Create, update, delete, lifecycle configurations, CloudWatch Logs and IAM ListRoles on the local endpoint,
// through the real SDK clients (signed, serialized and parsed as against AWS).
import assert from 'node:assert/strict';
import { CloudWatchLogsClient, GetLogEventsCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import {
  CreateNotebookInstanceCommand,
  CreateNotebookInstanceLifecycleConfigCommand,
  DeleteNotebookInstanceCommand,
  DeleteNotebookInstanceLifecycleConfigCommand,
  DescribeNotebookInstanceCommand,
  DescribeNotebookInstanceLifecycleConfigCommand,
  ListNotebookInstanceLifecycleConfigsCommand,
  SageMakerClient,
  StartNotebookInstanceCommand,
  UpdateNotebookInstanceCommand,
  UpdateNotebookInstanceLifecycleConfigCommand,
} from '@aws-sdk/client-sagemaker';
import { accountIdFor } from '../../endpoint/auth';
import {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_SECRET_ACCESS_KEY,
  LOG_GROUP,
  startLocalSageMaker,
  type LocalSageMaker,
} from '../../endpoint/server';
import { localClient, rejectionOf } from '../../endpoint/testClient';

const TRANSITION_MS = 120;
const ACCOUNT = accountIdFor(DEFAULT_ACCESS_KEY_ID);
const ROLE = `arn:aws:iam::${ACCOUNT}:role/service-role/AmazonSageMaker-ExecutionRole-20240115T093000`;
const credentials = { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY };
const b64 = (text: string) => Buffer.from(text).toString('base64');

async function until(what: string, done: () => boolean | Promise<boolean>, timeoutMs = 3000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await done()); await new Promise((r) => setTimeout(r, 10))) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
  }
}

describe('local SageMaker: managing instances, lifecycle configurations, logs and roles', () => {
  let server: LocalSageMaker;
  let client: SageMakerClient;
  let logs: CloudWatchLogsClient;
  let iam: IAMClient;

  beforeEach(async () => {
    server = await startLocalSageMaker({
      transitionMs: TRANSITION_MS,
      seed: [
        { name: 'stopped-one', status: 'Stopped', volumeSizeInGB: 10 },
        { name: 'running', status: 'InService' },
      ],
      lifecycleConfigs: [{ name: 'install-deps', onStart: '#!/bin/bash\nset -e\npip install pandas\necho done\n' }],
    });
    client = localClient(server);
    logs = new CloudWatchLogsClient({ endpoint: server.url, region: 'us-east-1', credentials });
    iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials });
  });
  afterEach(async () => {
    client.destroy();
    logs.destroy();
    iam.destroy();
    await server.stop();
  });

  const describeStatus = async (name: string) =>
    (await client.send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: name }))).NotebookInstanceStatus;

  it('creates an instance that is Pending, runs its lifecycle scripts into CloudWatch and becomes InService', async () => {
    const out = await client.send(
      new CreateNotebookInstanceCommand({
        NotebookInstanceName: 'fresh',
        InstanceType: 'ml.t3.medium',
        RoleArn: ROLE,
        LifecycleConfigName: 'install-deps',
      }),
    );
    assert.equal(out.NotebookInstanceArn, `arn:aws:sagemaker:us-east-1:${ACCOUNT}:notebook-instance/fresh`);
    const d = await client.send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: 'fresh' }));
    assert.equal(d.NotebookInstanceStatus, 'Pending');
    assert.equal(d.PlatformIdentifier, 'notebook-al2023-v1', 'AL2023 is the default platform');
    assert.equal(d.RoleArn, ROLE);
    assert.equal(d.NotebookInstanceLifecycleConfigName, 'install-deps');
    await until('InService', async () => (await describeStatus('fresh')) === 'InService');
    const events = await logs.send(
      new GetLogEventsCommand({ logGroupName: LOG_GROUP, logStreamName: 'fresh/LifecycleConfigOnStart', startFromHead: true }),
    );
    const messages = (events.events ?? []).map((e) => e.message);
    assert.ok(messages.includes('+ pip install pandas'), messages.join('\n'));
    assert.match(messages.at(-1) ?? '', /exit code 0/);
  });

  it('follows a stream with the forward token: the same token at the end, only new events after', async () => {
    server.failNextStart('stopped-one', 'Notebook Instance Lifecycle Config took longer than 5 minutes.');
    await client.send(new UpdateNotebookInstanceCommand({ NotebookInstanceName: 'stopped-one', LifecycleConfigName: 'install-deps' }));
    await until('Stopped after update', async () => (await describeStatus('stopped-one')) === 'Stopped');
    await client.send(new StartNotebookInstanceCommand({ NotebookInstanceName: 'stopped-one' }));
    const first = await logs.send(
      new GetLogEventsCommand({ logGroupName: LOG_GROUP, logStreamName: 'stopped-one/LifecycleConfigOnStart', startFromHead: true }),
    );
    assert.ok((first.events ?? []).length >= 1, 'the first line is written when the start begins');
    await until('Failed', async () => (await describeStatus('stopped-one')) === 'Failed');
    const rest = await logs.send(
      new GetLogEventsCommand({
        logGroupName: LOG_GROUP,
        logStreamName: 'stopped-one/LifecycleConfigOnStart',
        nextToken: first.nextForwardToken,
      }),
    );
    assert.ok((rest.events ?? []).length >= 1);
    assert.match(rest.events!.at(-1)!.message!, /exited with code 1/);
    const again = await logs.send(
      new GetLogEventsCommand({
        logGroupName: LOG_GROUP,
        logStreamName: 'stopped-one/LifecycleConfigOnStart',
        nextToken: rest.nextForwardToken,
      }),
    );
    assert.deepEqual(again.events, []);
    assert.equal(again.nextForwardToken, rest.nextForwardToken);
    const d = await client.send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: 'stopped-one' }));
    assert.match(d.FailureReason ?? '', /5 minutes/);
    const filtered = await logs.send(
      new FilterLogEventsCommand({ logGroupName: LOG_GROUP, logStreamNamePrefix: 'stopped-one/', filterPattern: 'pip' }),
    );
    assert.deepEqual(
      filtered.events?.map((e) => e.message),
      ['+ pip install pandas'],
    );
  });

  it('names a missing stream and a missing permission as CloudWatch does', async () => {
    const missing = await rejectionOf(
      logs.send(new GetLogEventsCommand({ logGroupName: LOG_GROUP, logStreamName: 'nobody/LifecycleConfigOnStart' })),
    );
    assert.equal(missing.name, 'ResourceNotFoundException');
    server.inject('logs:GetLogEvents', { error: 'AccessDeniedException', times: 1 });
    const denied = await rejectionOf(
      logs.send(new GetLogEventsCommand({ logGroupName: LOG_GROUP, logStreamName: 'x/LifecycleConfigOnStart' })),
    );
    assert.equal(denied.name, 'AccessDeniedException');
    assert.match(
      denied.message,
      /logs:GetLogEvents on resource: arn:aws:logs:us-east-1:\d{12}:log-group:\/aws\/sagemaker\/NotebookInstances:log-stream:x\/LifecycleConfigOnStart/,
    );
  });

  it('refuses what SageMaker refuses on create: duplicates, invalid values, unsupported platform rules, a role it cannot assume', async () => {
    const create = (input: Partial<ConstructorParameters<typeof CreateNotebookInstanceCommand>[0]>) =>
      rejectionOf(
        client.send(
          new CreateNotebookInstanceCommand({ NotebookInstanceName: 'new-one', InstanceType: 'ml.t3.medium', RoleArn: ROLE, ...input }),
        ),
      );
    assert.match(
      (await create({ NotebookInstanceName: 'running' })).message,
      /Cannot create a duplicate Notebook Instance \(arn:aws:sagemaker:us-east-1:\d+:notebook-instance\/running\)/,
    );
    const bad = await create({ NotebookInstanceName: 'bad_name', VolumeSizeInGB: 2 });
    assert.equal(bad.name, 'ValidationException');
    assert.match(
      bad.message,
      /^2 validation errors detected: Value 'bad_name' at 'notebookInstanceName' failed to satisfy constraint: Member must satisfy regular expression pattern: .*; Value '2' at 'volumeSizeInGB' failed to satisfy constraint: Member must have value greater than or equal to 5$/,
    );
    assert.match((await create({ InstanceType: 'ml.t9.huge' as 'ml.t3.medium' })).message, /instanceType.*enum value set/);
    assert.match(
      (await create({ InstanceType: 'ml.p3.2xlarge' })).message,
      /ml\.p3\.2xlarge is not supported on platform notebook-al2023-v1/,
    );
    assert.match((await create({ PlatformIdentifier: 'notebook-al3-v1' })).message, /platformIdentifier.*regular expression/);
    assert.match(
      (await create({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/service-role/nightly-etl-lambda-role` })).message,
      /Could not assume role/,
    );
    assert.match((await create({ LifecycleConfigName: 'missing' })).message, /Unable to describe Notebook Instance Lifecycle Config/);
    await client.send(
      new CreateNotebookInstanceCommand({
        NotebookInstanceName: 'on-al2',
        InstanceType: 'ml.p3.2xlarge',
        RoleArn: ROLE,
        PlatformIdentifier: 'notebook-al2-v3',
      }),
    );
  });

  it('updates only a Stopped instance, grows the volume only, and deletes only Stopped or Failed ones', async () => {
    const wrongState = await rejectionOf(
      client.send(new UpdateNotebookInstanceCommand({ NotebookInstanceName: 'running', InstanceType: 'ml.t3.large' })),
    );
    assert.match(wrongState.message, /^Status \(InService\) not in \(\[Stopped\]\)\. Unable to transition to \(Updating\)/);
    const shrink = await rejectionOf(
      client.send(new UpdateNotebookInstanceCommand({ NotebookInstanceName: 'stopped-one', VolumeSizeInGB: 5 })),
    );
    assert.match(shrink.message, /can only grow/);
    await client.send(
      new UpdateNotebookInstanceCommand({
        NotebookInstanceName: 'stopped-one',
        PlatformIdentifier: 'notebook-al2023-v1',
        VolumeSizeInGB: 20,
        RootAccess: 'Disabled',
      }),
    );
    assert.equal(await describeStatus('stopped-one'), 'Updating');
    await until('Stopped', async () => (await describeStatus('stopped-one')) === 'Stopped');
    const d = await client.send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: 'stopped-one' }));
    assert.deepEqual([d.PlatformIdentifier, d.VolumeSizeInGB, d.RootAccess], ['notebook-al2023-v1', 20, 'Disabled']);
    const deleteRunning = await rejectionOf(client.send(new DeleteNotebookInstanceCommand({ NotebookInstanceName: 'running' })));
    assert.match(deleteRunning.message, /^Status \(InService\) not in \(\[Stopped, Failed\]\)\. Unable to transition to \(Deleting\)/);
    await client.send(new DeleteNotebookInstanceCommand({ NotebookInstanceName: 'stopped-one' }));
    assert.equal(await describeStatus('stopped-one'), 'Deleting');
    await until('gone', () => server.getInstance('stopped-one') === undefined);
  });

  it('creates, lists, describes, updates and deletes lifecycle configurations', async () => {
    await client.send(
      new CreateNotebookInstanceLifecycleConfigCommand({
        NotebookInstanceLifecycleConfigName: 'second',
        OnCreate: [{ Content: b64('#!/bin/bash\necho created\n') }],
      }),
    );
    const dup = await rejectionOf(
      client.send(new CreateNotebookInstanceLifecycleConfigCommand({ NotebookInstanceLifecycleConfigName: 'second' })),
    );
    assert.match(dup.message, /already exists/);
    const tooLong = await rejectionOf(
      client.send(
        new CreateNotebookInstanceLifecycleConfigCommand({
          NotebookInstanceLifecycleConfigName: 'big',
          OnStart: [{ Content: 'x'.repeat(16385) }],
        }),
      ),
    );
    assert.match(tooLong.message, /onStart\.1\.member\.content.*less than or equal to 16384/);
    const list = await client.send(new ListNotebookInstanceLifecycleConfigsCommand({ SortBy: 'Name', SortOrder: 'Ascending' }));
    assert.deepEqual(
      list.NotebookInstanceLifecycleConfigs?.map((c) => c.NotebookInstanceLifecycleConfigName),
      ['install-deps', 'second'],
    );
    await client.send(
      new UpdateNotebookInstanceLifecycleConfigCommand({
        NotebookInstanceLifecycleConfigName: 'second',
        OnStart: [{ Content: b64('#!/bin/bash\necho started\n') }],
      }),
    );
    const d = await client.send(new DescribeNotebookInstanceLifecycleConfigCommand({ NotebookInstanceLifecycleConfigName: 'second' }));
    assert.equal(Buffer.from(d.OnStart![0].Content!, 'base64').toString(), '#!/bin/bash\necho started\n');
    assert.equal(Buffer.from(d.OnCreate![0].Content!, 'base64').toString(), '#!/bin/bash\necho created\n', 'a hook not sent is kept');
    await client.send(new DeleteNotebookInstanceLifecycleConfigCommand({ NotebookInstanceLifecycleConfigName: 'second' }));
    const gone = await rejectionOf(
      client.send(new DescribeNotebookInstanceLifecycleConfigCommand({ NotebookInstanceLifecycleConfigName: 'second' })),
    );
    assert.match(
      gone.message,
      /^Unable to describe Notebook Instance Lifecycle Config \(arn:aws:sagemaker:us-east-1:\d+:notebook-instance-lifecycle-config\/second\)$/,
    );
  });

  it('lists IAM roles with their trust policies, and refuses an unsigned or denied caller', async () => {
    const out = await iam.send(new ListRolesCommand({}));
    const names = out.Roles?.map((r) => r.RoleName);
    assert.deepEqual(names, ['AmazonSageMaker-ExecutionRole-20240115T093000', 'DataScienceNotebookRole', 'nightly-etl-lambda-role']);
    const policy = JSON.parse(decodeURIComponent(out.Roles![0].AssumeRolePolicyDocument!)) as {
      Statement: { Principal: { Service: string } }[];
    };
    assert.equal(policy.Statement[0].Principal.Service, 'sagemaker.amazonaws.com');
    server.inject('iam:ListRoles', { error: 'AccessDeniedException', times: 1 });
    const denied = await rejectionOf(iam.send(new ListRolesCommand({})));
    assert.equal(denied.name, 'AccessDenied');
    assert.match(denied.message, /iam:ListRoles/);
    const wrong = new IAMClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { ...credentials, secretAccessKey: 'wrong' },
      maxAttempts: 1,
    });
    assert.equal((await rejectionOf(wrong.send(new ListRolesCommand({})))).name, 'InvalidSignatureException');
    wrong.destroy();
  });
});
