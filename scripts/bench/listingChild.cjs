// The client side of the listing benchmark, in its own process (forked with --expose-gc) so the local
// endpoint's work does not share its event loop: our SdkNotebookApi from out/ with the real SDK lists every
// region at once, as the tree does. Commands arrive over IPC: { run: regions } → { wallMs, counts, heap }.
'use strict';
const path = require('path');
const { performance } = require('perf_hooks');

const OUT = path.join(__dirname, '..', '..', 'out', 'src');
const logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
let sdk;
let sdkLoadMs;

function heapUsed() {
  global.gc();
  global.gc();
  return process.memoryUsage().heapUsed;
}

async function run(regions) {
  if (!sdk) {
    const t = performance.now();
    sdk = require(path.join(OUT, 'aws', 'sdk.js'));
    sdkLoadMs = performance.now() - t;
  }
  const { SdkNotebookApi } = require(path.join(OUT, 'aws', 'notebookApi.js'));
  const before = heapUsed();
  const start = Date.now();
  const t0 = performance.now();
  // A fresh API object per run, as a refresh or a new profile gets: new clients, credentials resolved again.
  // The endpoint setting's map (one local listener per region), as a user with VPC endpoints sets it.
  const endpoint = JSON.parse(process.env.SMN_BENCH_ENDPOINTS ?? '{}');
  const api = new SdkNotebookApi(sdk, {
    profile: process.env.AWS_PROFILE ?? 'default',
    endpoint,
    regions,
    mfaCode: async () => '',
    logger,
  });
  const lists = await Promise.all(regions.map((r) => api.listInstances(r)));
  const wallMs = performance.now() - t0;
  const held = heapUsed();
  api.dispose();
  return { start, wallMs, counts: lists.map((l) => l.length), heapGrowthBytes: held - before, sdkLoadMs, keep: lists.length };
}

/**
 * The SDK's own cost per page, without a network: the same client configuration answering from a canned
 * 100-instance page (build, endpoint resolution, signing, deserialization), median over `calls` calls.
 */
async function sdkOverhead(calls) {
  const { HttpResponse } = require('@smithy/protocol-http');
  const { Readable } = require('stream');
  const seconds = Date.now() / 1000;
  const page = Buffer.from(
    JSON.stringify({
      NotebookInstances: Array.from({ length: 100 }, (_, i) => ({
        NotebookInstanceName: `bench-${i}`,
        NotebookInstanceArn: `arn:aws:sagemaker:us-east-1:000000000000:notebook-instance/bench-${i}`,
        NotebookInstanceStatus: 'InService',
        Url: `bench-${i}.notebook.us-east-1.sagemaker.aws`,
        InstanceType: 'ml.t3.medium',
        CreationTime: seconds,
        LastModifiedTime: seconds,
      })),
      NextToken: 'next',
    }),
  );
  const client = new sdk.SageMakerClient({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'secret' },
    requestHandler: {
      handle: async () => ({
        response: new HttpResponse({
          statusCode: 200,
          headers: { 'content-type': 'application/x-amz-json-1.1' },
          body: Readable.from([page]),
        }),
      }),
    },
  });
  const { ListNotebookInstancesCommand } = require('@aws-sdk/client-sagemaker');
  const times = [];
  for (let i = 0; i < calls; i++) {
    const t = performance.now();
    await client.send(new ListNotebookInstancesCommand({ MaxResults: 100 }));
    times.push(performance.now() - t);
  }
  client.destroy();
  const first = times[0];
  times.sort((a, b) => a - b);
  return { calls, firstMs: first, medianMs: times[Math.floor(times.length / 2)] };
}

process.on('message', (message) => {
  (message.overhead ? sdkOverhead(message.overhead) : run(message.regions)).then(
    (result) => process.send({ ok: true, result }),
    (error) => process.send({ ok: false, error: `${error?.name}: ${error?.message}` }),
  );
});
