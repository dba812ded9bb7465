// Where the local endpoint behaves like SageMaker and a lenient stand-in would not: the full Describe
// output, NextTokens that expire, and empty pages that still carry a token. The extension's listing is
// driven against both.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DescribeNotebookInstanceCommand, ListNotebookInstancesCommand } from '@aws-sdk/client-sagemaker';
import { SdkNotebookApi } from '../../../src/aws/notebookApi';
import { loadSdk } from '../../../src/aws/loadSdk';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startLocalSageMaker, type LocalSageMaker } from '../../endpoint/server';
import { localClient, rejectionOf } from '../../endpoint/testClient';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

describe('local SageMaker: like the real API', function () {
  this.timeout(20_000);
  let server: LocalSageMaker;
  let offset: number;
  const saved = { ...process.env };

  before(() => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smn-realism-'));
    fs.writeFileSync(
      path.join(dir, 'credentials'),
      `[default]\naws_access_key_id = ${DEFAULT_ACCESS_KEY_ID}\naws_secret_access_key = ${DEFAULT_SECRET_ACCESS_KEY}\n`,
    );
    fs.writeFileSync(path.join(dir, 'config'), '[default]\nregion = us-east-1\n');
    for (const key of ['AWS_ENDPOINT_URL_SAGEMAKER', 'AWS_ENDPOINT_URL', 'AWS_PROFILE']) delete process.env[key];
    Object.assign(process.env, { AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'), AWS_CONFIG_FILE: path.join(dir, 'config') });
  });

  beforeEach(async () => {
    offset = 0;
    server = await startLocalSageMaker({ clock: () => Date.now() + offset, tokenTtlMs: 60_000 });
  });

  afterEach(() => server.stop());
  after(() => (process.env = saved));

  it('DescribeNotebookInstance returns the network, encryption, lifecycle, repository and platform fields', async () => {
    server.addInstance({
      name: 'full',
      lifecycleConfigName: 'setup-conda',
      defaultCodeRepository: 'https://github.com/aws/amazon-sagemaker-examples.git',
      additionalCodeRepositories: ['team-utils'],
      acceleratorTypes: ['ml.eia2.medium'],
      volumeSizeInGB: 50,
      rootAccess: 'Disabled',
    });
    const client = localClient(server);
    const out = await client.send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: 'full' }));
    client.destroy();
    assert.match(out.SubnetId ?? '', /^subnet-[0-9a-f]{17}$/);
    assert.equal(out.SecurityGroups?.length, 1);
    assert.match(out.SecurityGroups[0], /^sg-[0-9a-f]{17}$/);
    assert.match(out.NetworkInterfaceId ?? '', /^eni-[0-9a-f]{17}$/);
    assert.match(out.KmsKeyId ?? '', /^arn:aws:kms:us-east-1:\d{12}:key\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(out.DirectInternetAccess, 'Disabled');
    assert.deepEqual(out.AcceleratorTypes, ['ml.eia2.medium']);
    assert.equal(out.NotebookInstanceLifecycleConfigName, 'setup-conda');
    assert.equal(out.DefaultCodeRepository, 'https://github.com/aws/amazon-sagemaker-examples.git');
    assert.deepEqual(out.AdditionalCodeRepositories, ['team-utils']);
    assert.equal(out.PlatformIdentifier, 'notebook-al2-v3');
    assert.equal(out.RootAccess, 'Disabled');
    assert.equal(out.VolumeSizeInGB, 50);
  });

  it('an instance outside a VPC has no subnet, security groups or network interface, and direct internet access', async () => {
    server.addInstance({ name: 'public', vpc: false, kms: false });
    const client = localClient(server);
    const out = await client.send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: 'public' }));
    client.destroy();
    assert.equal(out.SubnetId, undefined);
    assert.equal(out.NetworkInterfaceId, undefined);
    assert.equal(out.KmsKeyId, undefined);
    assert.equal(out.DirectInternetAccess, 'Enabled');
  });

  it('a NextToken expires', async () => {
    server.addMany(15);
    const client = localClient(server);
    const first = await client.send(new ListNotebookInstancesCommand({ MaxResults: 10 }));
    offset += 61_000;
    const error = await rejectionOf(client.send(new ListNotebookInstancesCommand({ MaxResults: 10, NextToken: first.NextToken })));
    client.destroy();
    assert.equal(error.name, 'ValidationException');
    assert.match(error.message, /pagination token has expired/);
  });

  it('a page can be empty and still carry a token to the rest', async () => {
    server.addMany(15);
    server.inject('ListNotebookInstances', { emptyPage: true, times: 1 });
    const client = localClient(server);
    const first = await client.send(new ListNotebookInstancesCommand({ MaxResults: 10 }));
    const second = await client.send(new ListNotebookInstancesCommand({ MaxResults: 10, NextToken: first.NextToken }));
    client.destroy();
    assert.deepEqual(first.NotebookInstances, []);
    assert.ok(first.NextToken);
    assert.equal(second.NotebookInstances?.length, 10);
  });

  const api = () => new SdkNotebookApi(loadSdk(), { profile: 'default', endpoint: server.url, logger: quiet, mfaCode: async () => '' });

  it('the extension lists every instance once through empty pages', async () => {
    server.addMany(250);
    server.inject('ListNotebookInstances', { emptyPage: true, times: 2 });
    const client = api();
    try {
      const names = (await client.listInstances('us-east-1')).map((i) => i.name);
      assert.equal(names.length, 250);
      assert.equal(new Set(names).size, 250);
    } finally {
      client.dispose();
    }
  });

  it('the extension starts the listing again when a NextToken expires mid-way, and lists every instance once', async () => {
    await server.stop();
    let expired = false;
    // Every token issued so far expires as soon as the first page has been answered.
    server = await startLocalSageMaker({
      clock: () => Date.now() + offset,
      tokenTtlMs: 60_000,
      onRequest: (r) => {
        if (!expired && r.op === 'ListNotebookInstances' && r.statusCode === 200) {
          expired = true;
          offset += 61_000;
        }
      },
    });
    server.addMany(250);
    const client = api();
    try {
      const names = (await client.listInstances('us-east-1')).map((i) => i.name);
      assert.equal(names.length, 250);
      assert.equal(new Set(names).size, 250);
      const statuses = server.requests.filter((r) => r.op === 'ListNotebookInstances').map((r) => r.statusCode);
      assert.deepEqual(statuses, [200, 400, 200, 200, 200], 'one page refused for its expired token, then all three again');
    } finally {
      client.dispose();
    }
  });
});
