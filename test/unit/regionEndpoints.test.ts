// An endpoint per region: the local endpoint serves one region per listener and refuses a signature for
// another, as SageMaker does; the extension never sends one region's request to another's endpoint.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ListNotebookInstancesCommand } from '@aws-sdk/client-sagemaker';
import { endpointFor, parseEndpointSetting, regionInUrl } from '../../src/aws/endpoints';
import { SdkNotebookApi } from '../../src/aws/notebookApi';
import { loadSdk } from '../../src/aws/loadSdk';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startLocalSageMaker, type LocalSageMaker } from '../endpoint/server';
import { localClient, rejectionOf } from '../endpoint/testClient';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

describe('endpoint setting: one endpoint per region', () => {
  it("a map names each region's endpoint; a region it leaves out is not sent elsewhere", () => {
    const map = { 'us-east-1': 'https://vpce-1.example', 'eu-west-1': 'https://vpce-2.example' };
    assert.deepStrictEqual(endpointFor(map, 'eu-west-1', ['us-east-1', 'eu-west-1']), { kind: 'use', url: 'https://vpce-2.example' });
    const missing = endpointFor(map, 'ap-south-1', ['ap-south-1']);
    assert.strictEqual(missing.kind, 'missing');
    assert.match((missing as { message: string }).message, /no endpoint for ap-south-1/);
  });

  it('a {region} template fills in each region', () => {
    assert.deepStrictEqual(endpointFor('https://api.sagemaker.{region}.example', 'eu-west-1', ['us-east-1', 'eu-west-1']), {
      kind: 'use',
      url: 'https://api.sagemaker.eu-west-1.example',
    });
  });

  it('a plain URL serves the region its host names, else the only or first listed region, and says so for the others', () => {
    const vpce = 'https://vpce-0abc-xyz.api.sagemaker.eu-west-1.vpce.amazonaws.com';
    assert.strictEqual(regionInUrl(vpce), 'eu-west-1');
    assert.deepStrictEqual(endpointFor(vpce, 'eu-west-1', ['us-east-1', 'eu-west-1']), { kind: 'use', url: vpce });
    const other = endpointFor(vpce, 'us-east-1', ['us-east-1', 'eu-west-1']);
    assert.strictEqual(other.kind, 'missing');
    assert.match((other as { message: string }).message, /serves eu-west-1 only, so us-east-1 is not listed/);
    assert.deepStrictEqual(endpointFor('https://sm.corp.example', 'us-east-1', ['us-east-1']), {
      kind: 'use',
      url: 'https://sm.corp.example',
    });
    assert.strictEqual(endpointFor('https://sm.corp.example', 'eu-west-1', ['us-east-1', 'eu-west-1']).kind, 'missing');
    assert.deepStrictEqual(endpointFor(undefined, 'eu-west-1', ['us-east-1', 'eu-west-1']), { kind: 'use', url: undefined });
  });

  it('reads a string or a map, and names every unusable value', () => {
    const usable = (url: string) => url.startsWith('https://');
    assert.deepStrictEqual(parseEndpointSetting(' https://a.example ', usable), { setting: 'https://a.example', problems: [] });
    const parsed = parseEndpointSetting({ 'us-east-1': 'https://a.example', 'eu-west-1': 'http://evil.example' }, usable);
    assert.deepStrictEqual(parsed.setting, { 'us-east-1': 'https://a.example' });
    assert.match(parsed.problems[0], /"http:\/\/evil\.example" is ignored/);
    assert.strictEqual(parseEndpointSetting(['x'], usable).setting, undefined);
    assert.deepStrictEqual(parseEndpointSetting('', usable), { problems: [] });
  });
});

describe('local SageMaker and the extension: a listener per region', function () {
  this.timeout(20_000);
  let endpoint: LocalSageMaker;
  const saved = { ...process.env };

  before(async () => {
    endpoint = await startLocalSageMaker({
      regions: ['us-east-1', 'eu-west-1'],
      accounts: [{ accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY }],
      seed: [
        { name: 'virginia', region: 'us-east-1' },
        { name: 'ireland', region: 'eu-west-1' },
      ],
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smn-regions-'));
    fs.writeFileSync(
      path.join(dir, 'credentials'),
      `[default]\naws_access_key_id = ${DEFAULT_ACCESS_KEY_ID}\naws_secret_access_key = ${DEFAULT_SECRET_ACCESS_KEY}\n`,
    );
    fs.writeFileSync(path.join(dir, 'config'), '[default]\nregion = us-east-1\n');
    for (const key of ['AWS_ENDPOINT_URL_SAGEMAKER', 'AWS_ENDPOINT_URL', 'AWS_PROFILE']) delete process.env[key];
    Object.assign(process.env, { AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'), AWS_CONFIG_FILE: path.join(dir, 'config') });
  });

  after(async () => {
    process.env = saved;
    await endpoint.stop();
  });

  it("refuses a signature scoped to another region with SageMaker's error", async () => {
    const client = localClient({ url: endpoint.regionUrl('us-east-1') }, { region: 'eu-west-1', maxAttempts: 1 });
    const error = await rejectionOf(client.send(new ListNotebookInstancesCommand({})));
    client.destroy();
    assert.strictEqual(error.name, 'InvalidSignatureException');
    assert.match(error.message, /Credential should be scoped to a valid region/);
    assert.strictEqual(error.$metadata?.httpStatusCode, 403);
  });

  it('takes the region from the host name the request was sent to', async () => {
    const client = localClient({ url: endpoint.regionUrl('eu-west-1') }, { region: 'eu-west-1' });
    const out = await client.send(new ListNotebookInstancesCommand({}));
    client.destroy();
    assert.deepStrictEqual(
      out.NotebookInstances?.map((i) => i.NotebookInstanceName),
      ['ireland'],
    );
  });

  const api = (endpointSetting: ConstructorParameters<typeof SdkNotebookApi>[1]['endpoint'], regions: string[]) =>
    new SdkNotebookApi(loadSdk(), { profile: 'default', endpoint: endpointSetting, regions, logger: quiet, mfaCode: async () => '' });

  it('a map of endpoints lists every region at its own endpoint', async () => {
    const client = api({ 'us-east-1': endpoint.regionUrl('us-east-1'), 'eu-west-1': endpoint.regionUrl('eu-west-1') }, [
      'us-east-1',
      'eu-west-1',
    ]);
    try {
      assert.deepStrictEqual(
        (await client.listInstances('us-east-1')).map((i) => i.name),
        ['virginia'],
      );
      assert.deepStrictEqual(
        (await client.listInstances('eu-west-1')).map((i) => i.name),
        ['ireland'],
      );
    } finally {
      client.dispose();
    }
  });

  it("one plain endpoint and two regions: the second region is told, not signed for and sent to the first's endpoint", async () => {
    endpoint.resetLog();
    const client = api(endpoint.regionUrl('us-east-1'), ['us-east-1', 'eu-west-1']);
    try {
      assert.deepStrictEqual(
        (await client.listInstances('us-east-1')).map((i) => i.name),
        ['virginia'],
      );
      await assert.rejects(client.listInstances('eu-west-1'), /serves us-east-1 only, so eu-west-1 is not listed/);
      assert.deepStrictEqual(
        endpoint.requests.map((r) => r.region),
        ['us-east-1'],
        'nothing was sent for eu-west-1',
      );
    } finally {
      client.dispose();
    }
  });
});
