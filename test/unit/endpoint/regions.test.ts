// The local endpoint's main listener serves exactly one region, as a regional SageMaker endpoint does: a
// request signed (by the real SDK client) for another region is refused with SageMaker's error, in every
// test, not only on the listeners added with `regions`. CloudWatch Logs is regional too; STS, IAM and
// the SSO portal are not.
import * as assert from 'assert';
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ListNotebookInstancesCommand } from '@aws-sdk/client-sagemaker';
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_REGION,
  DEFAULT_SECRET_ACCESS_KEY,
  startLocalSageMaker,
  type LocalSageMaker,
} from '../../endpoint/server';
import { localClient, rejectionOf } from '../../endpoint/testClient';

const credentials = { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY };

describe('local SageMaker: the main listener serves one region', function () {
  this.timeout(20_000);
  const seed = [
    { name: 'virginia', region: 'us-east-1' },
    { name: 'ireland', region: 'eu-west-1' },
  ];

  describe('by default, us-east-1', () => {
    let endpoint: LocalSageMaker;
    before(async () => (endpoint = await startLocalSageMaker({ seed })));
    after(() => endpoint.stop());

    it('answers a request signed for its own region, and only with that region’s instances', async () => {
      assert.strictEqual(DEFAULT_REGION, 'us-east-1');
      assert.strictEqual(endpoint.region, 'us-east-1');
      assert.strictEqual(endpoint.regionUrl('us-east-1'), endpoint.url);
      const client = localClient(endpoint, { region: 'us-east-1' });
      const out = await client.send(new ListNotebookInstancesCommand({}));
      client.destroy();
      assert.deepStrictEqual(
        out.NotebookInstances?.map((i) => i.NotebookInstanceName),
        ['virginia'],
      );
    });

    it("refuses a request signed for another region with SageMaker's error, and serves nothing of it", async () => {
      endpoint.resetLog();
      const client = localClient(endpoint, { region: 'eu-west-1', maxAttempts: 1 });
      const error = await rejectionOf(client.send(new ListNotebookInstancesCommand({})));
      client.destroy();
      assert.strictEqual(error.name, 'InvalidSignatureException');
      assert.strictEqual(error.message.trim(), "Credential should be scoped to a valid region, not 'eu-west-1'.");
      assert.strictEqual(error.$metadata?.httpStatusCode, 403);
      assert.deepStrictEqual(
        endpoint.requests.map((r) => [r.op, r.region, r.statusCode]),
        [['ListNotebookInstances', 'eu-west-1', 403]],
      );
    });

    it('CloudWatch Logs is regional too: another region is refused the same way', async () => {
      const logs = (region: string) => new CloudWatchLogsClient({ endpoint: endpoint.url, region, credentials, maxAttempts: 1 });
      const input = { logGroupName: '/aws/sagemaker/NotebookInstances', logStreamName: 'virginia/LifecycleConfigOnStart' };
      const other = logs('eu-west-1');
      const error = await rejectionOf(other.send(new GetLogEventsCommand(input)));
      other.destroy();
      assert.strictEqual(error.name, 'InvalidSignatureException');
      assert.match(error.message, /Credential should be scoped to a valid region, not 'eu-west-1'\./);
      const own = logs('us-east-1');
      // Its own region is answered: no such group yet (nothing ran), CloudWatch's own answer for that.
      const notFound = await rejectionOf(own.send(new GetLogEventsCommand(input)));
      own.destroy();
      assert.strictEqual(notFound.name, 'ResourceNotFoundException');
    });

    it('IAM (global, signed for us-east-1 by AWS) is not held to the listener’s region', async () => {
      const iam = new IAMClient({ endpoint: endpoint.url, region: 'eu-west-1', credentials, maxAttempts: 1 });
      const out = await iam.send(new ListRolesCommand({}));
      iam.destroy();
      assert.ok((out.Roles ?? []).length > 0);
    });
  });

  describe('the region option', () => {
    let endpoint: LocalSageMaker;
    before(async () => (endpoint = await startLocalSageMaker({ seed, region: 'eu-west-1', regions: ['us-east-1'] })));
    after(() => endpoint.stop());

    it('chooses the main listener’s region; `regions` adds a listener for each other one', async () => {
      assert.strictEqual(endpoint.regionUrl('eu-west-1'), endpoint.url);
      assert.notStrictEqual(endpoint.regionUrl('us-east-1'), endpoint.url);
      assert.throws(() => endpoint.regionUrl('ap-south-1'), /No listener for ap-south-1/);
      const names = async (url: string, region: string) => {
        const client = localClient({ url }, { region, maxAttempts: 1 });
        try {
          return (await client.send(new ListNotebookInstancesCommand({}))).NotebookInstances?.map((i) => i.NotebookInstanceName);
        } finally {
          client.destroy();
        }
      };
      assert.deepStrictEqual(await names(endpoint.url, 'eu-west-1'), ['ireland']);
      assert.deepStrictEqual(await names(endpoint.regionUrl('us-east-1'), 'us-east-1'), ['virginia']);
      const refused = await rejectionOf(names(endpoint.url, 'us-east-1'));
      assert.strictEqual(refused.name, 'InvalidSignatureException');
      assert.match(refused.message, /not 'us-east-1'/);
    });
  });
});
