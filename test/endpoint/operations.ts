// The five notebook-instance operations: validated input in, the API's output shape out (timestamps as
// epoch seconds, which is how AWS JSON 1.1 carries them).
import type { Caller } from './auth';
import { listPage, type Paging } from './list';
import { validationError } from './protocol';
import type { InstanceRecord } from './seed';
import type { InstanceStore } from './store';
import { validateListInput, validateNameInput, validatePresignInput } from './validate';

export interface OperationContext {
  store: InstanceStore;
  caller: Caller;
  /** How this request's list tokens are made and checked. */
  paging: Paging;
  /** Issues a presigned URL on the instance's notebook gateway, starting the gateway if needed. */
  presign(record: InstanceRecord, sessionSeconds: number): Promise<string>;
}

type Input = Record<string, unknown>;
type Operation = (input: Input, ctx: OperationContext) => unknown;

const seconds = (ms: number) => ms / 1000;

function summary(r: InstanceRecord): Record<string, unknown> {
  return {
    NotebookInstanceName: r.name,
    NotebookInstanceArn: r.arn,
    NotebookInstanceStatus: r.status,
    Url: `${r.name.toLowerCase()}.notebook.${r.region}.sagemaker.aws`,
    InstanceType: r.instanceType,
    CreationTime: seconds(r.creationTime),
    LastModifiedTime: seconds(r.lastModifiedTime),
  };
}

function describe(r: InstanceRecord): Record<string, unknown> {
  return {
    ...summary(r),
    FailureReason: r.failureReason,
    RoleArn: `arn:aws:iam::${r.accountId}:role/service-role/AmazonSageMaker-ExecutionRole-20240115T093000`,
    ...r.details,
    VolumeSizeInGB: r.volumeSizeInGB,
    PlatformIdentifier: r.platformIdentifier,
    InstanceMetadataServiceConfiguration: { MinimumInstanceMetadataServiceVersion: '2' },
  };
}

function scopeOf(caller: Caller) {
  return { accessKeyId: caller.accessKeyId, region: caller.region };
}

export const OPERATIONS: Record<string, Operation> = {
  ListNotebookInstances(input, { store, caller, paging }) {
    const query = validateListInput(input);
    store.listedOnce();
    const page = listPage(store.all(caller.accessKeyId, caller.region), query, paging);
    return { NotebookInstances: page.items.map(summary), NextToken: page.nextToken };
  },

  DescribeNotebookInstance(input, { store, caller }) {
    return describe(store.require(validateNameInput(input), scopeOf(caller)));
  },

  StartNotebookInstance(input, { store, caller }) {
    store.start(store.require(validateNameInput(input), scopeOf(caller)));
    return {};
  },

  StopNotebookInstance(input, { store, caller }) {
    store.stop(store.require(validateNameInput(input), scopeOf(caller)));
    return {};
  },

  async CreatePresignedNotebookInstanceUrl(input, ctx) {
    const { name, sessionSeconds } = validatePresignInput(input);
    const record = ctx.store.require(name, scopeOf(ctx.caller));
    if (record.status !== 'InService') {
      throw validationError(
        `Status (${record.status}) not in ([InService]). ` + `Unable to create presigned URL for Notebook Instance (${record.arn})`,
      );
    }
    return { AuthorizedUrl: await ctx.presign(record, sessionSeconds) };
  },
};
