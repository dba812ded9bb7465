// ListNotebookInstances through the real SDK: paging, sorting, filtering and input validation.
import assert from 'node:assert/strict';
import { ListNotebookInstancesCommand, paginateListNotebookInstances, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import { startLocalSageMaker, type LocalSageMaker } from '../../endpoint/server';
import { localClient, rejectionOf as rejection } from '../../endpoint/testClient';

describe('local SageMaker: ListNotebookInstances', () => {
  let server: LocalSageMaker;
  let client: SageMakerClient;

  beforeEach(async () => {
    server = await startLocalSageMaker();
    client = localClient(server);
  });
  afterEach(async () => {
    client.destroy();
    await server.stop();
  });

  it('pages 250 instances as 100 + 100 + 50, by name (descending by default), without overlap', async () => {
    server.addMany(250, { prefix: 'scale' });
    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const out = await client.send(new ListNotebookInstancesCommand({ MaxResults: 100, NextToken: token }));
      pages.push((out.NotebookInstances ?? []).map((i) => i.NotebookInstanceName!));
      token = out.NextToken;
    } while (token);
    assert.deepEqual(
      pages.map((p) => p.length),
      [100, 100, 50],
    );
    const all = pages.flat();
    assert.equal(new Set(all).size, 250);
    assert.equal(all[0], 'scale-0250');
    assert.equal(all[249], 'scale-0001');
    assert.equal(server.count('ListNotebookInstances'), 3);
  });

  it('returns 10 per page by default, as the real API does, and the SDK paginator follows the tokens', async () => {
    server.addMany(23);
    const first = await client.send(new ListNotebookInstancesCommand({}));
    assert.equal(first.NotebookInstances?.length, 10);
    assert.ok(first.NextToken);
    let total = 0;
    for await (const page of paginateListNotebookInstances({ client }, {})) total += page.NotebookInstances?.length ?? 0;
    assert.equal(total, 23);
  });

  it('sorts by name and status in either order and carries timestamps as dates', async () => {
    server.addInstance({ name: 'bravo', status: 'Stopped', creationTime: '2024-02-01T00:00:00Z' });
    server.addInstance({ name: 'alpha', status: 'InService', creationTime: '2024-03-01T00:00:00Z' });
    server.addInstance({ name: 'charlie', status: 'Failed', failureReason: 'x', creationTime: '2024-01-01T00:00:00Z' });
    const names = async (input: object) =>
      ((await client.send(new ListNotebookInstancesCommand(input))).NotebookInstances ?? []).map((i) => i.NotebookInstanceName);
    assert.deepEqual(await names({ SortBy: 'Name', SortOrder: 'Ascending' }), ['alpha', 'bravo', 'charlie']);
    assert.deepEqual(await names({ SortBy: 'Status', SortOrder: 'Descending' }), ['bravo', 'alpha', 'charlie']);
    assert.deepEqual(await names({}), ['charlie', 'bravo', 'alpha'], 'by Name by default, as the API reference says');
    assert.deepEqual(await names({ SortBy: 'CreationTime', SortOrder: 'Descending' }), ['alpha', 'bravo', 'charlie']);
    const [first] =
      (await client.send(new ListNotebookInstancesCommand({ SortBy: 'Name', SortOrder: 'Ascending' }))).NotebookInstances ?? [];
    assert.ok(first.CreationTime instanceof Date);
    assert.equal(first.CreationTime.toISOString(), '2024-03-01T00:00:00.000Z');
    assert.equal(first.Url, 'alpha.notebook.us-east-1.sagemaker.aws');
  });

  it('filters by NameContains (case-insensitively) and StatusEquals together', async () => {
    server.addInstance({ name: 'Team-A-one', status: 'InService' });
    server.addInstance({ name: 'team-a-two', status: 'Stopped' });
    server.addInstance({ name: 'team-b', status: 'InService' });
    const out = await client.send(new ListNotebookInstancesCommand({ NameContains: 'team-a', StatusEquals: 'InService' }));
    assert.deepEqual(
      out.NotebookInstances?.map((i) => i.NotebookInstanceName),
      ['Team-A-one'],
    );
  });

  it('rejects out-of-range MaxResults, unknown enums and a forged token as ValidationException', async () => {
    const zero = await rejection(client.send(new ListNotebookInstancesCommand({ MaxResults: 0 })));
    assert.equal(zero.name, 'ValidationException');
    assert.equal(
      zero.message,
      "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    const two = await rejection(client.send(new ListNotebookInstancesCommand({ MaxResults: 101, StatusEquals: 'Running' as never })));
    assert.match(two.message, /^2 validation errors detected: .*less than or equal to 100; Value 'Running' at 'statusEquals'/);
    const token = await rejection(client.send(new ListNotebookInstancesCommand({ NextToken: 'not-a-token' })));
    assert.equal(token.name, 'ValidationException');
    assert.equal(token.$metadata?.httpStatusCode, 400);
  });

  it('refuses a NextToken replayed with a different filter', async () => {
    server.addMany(15);
    const first = await client.send(new ListNotebookInstancesCommand({ MaxResults: 5 }));
    const error = await rejection(
      client.send(new ListNotebookInstancesCommand({ MaxResults: 5, NextToken: first.NextToken, SortBy: 'CreationTime' })),
    );
    assert.equal(error.name, 'ValidationException');
  });
});
