// Notebook instances per (access key, region) and their state machine. Transitions run on real timers
// so a client polling the endpoint sees Pending → InService exactly as it would against AWS.
import { validationError } from './protocol';
import {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_REGION,
  type InstanceRecord,
  type InstanceScope,
  type NotebookStatus,
  type SeedInstance,
  toRecord,
} from './seed';
import { isValidName } from './validate';

export interface TransitionTimes {
  start: number;
  stop: number;
}

export interface AddManyOptions extends InstanceScope {
  prefix?: string;
}

function partitionKey(accessKeyId: string, region: string): string {
  return `${accessKeyId}\n${region}`;
}

export class InstanceStore {
  private readonly partitions = new Map<string, Map<string, InstanceRecord>>();
  private readonly timers = new Map<InstanceRecord, NodeJS.Timeout>();
  /** Instances whose next start ends in Failed with this reason (a failing lifecycle configuration). */
  private readonly startFailures = new Map<InstanceRecord, string>();
  /** The same for instances not created yet, by partition and lower-case name. */
  private readonly createFailures = new Map<string, string>();

  constructor(
    private readonly clock: () => number,
    private readonly transitions: TransitionTimes,
    private readonly onRemoved: (record: InstanceRecord) => void = () => undefined,
    /** Runs the instance's lifecycle scripts (writing their log) while it starts; `failure` ends it failing. */
    private readonly onStarting: (
      record: InstanceRecord,
      hooks: ('OnCreate' | 'OnStart')[],
      durationMs: number,
      failure: string | undefined,
    ) => void = () => undefined,
    /** The instance left InService: on SageMaker its machine, Jupyter and every kernel and terminal go down. */
    private readonly onShutDown: (record: InstanceRecord) => void = () => undefined,
  ) {}

  private listed = false;
  private readonly unlisted: (() => void)[] = [];

  /** Adds or replaces an instance; names are unique per partition regardless of case, as in AWS. */
  add(seed: SeedInstance): InstanceRecord {
    if (!isValidName(seed.name)) throw new Error(`Invalid notebook instance name: ${seed.name}`);
    const record = toRecord(seed, this.clock());
    const partition = this.partition(record.accessKeyId, record.region);
    const previous = partition.get(record.name.toLowerCase());
    if (previous) this.forget(previous);
    partition.set(record.name.toLowerCase(), record);
    if (seed.settlesAfterMs !== undefined) {
      const ms = seed.settlesAfterMs;
      if (this.listed) this.settle(record, ms);
      else this.unlisted.push(() => this.settle(record, ms));
    }
    return record;
  }

  /**
   * The first listing: seeded transitions count from here, not from the endpoint's start, so a slow start of
   * whatever lists (VS Code on a loaded machine) still sees them in their seeded status.
   */
  listedOnce(): void {
    if (this.listed) return;
    this.listed = true;
    for (const start of this.unlisted.splice(0)) start();
  }

  /** Many instances at once for scale tests: one a minute apart, the newest last. */
  addMany(count: number, options: AddManyOptions = {}): InstanceRecord[] {
    const prefix = options.prefix ?? 'notebook';
    const width = Math.max(4, String(count).length);
    const base = this.clock() - count * 60_000;
    const added: InstanceRecord[] = [];
    for (let i = 1; i <= count; i++) {
      added.push(
        this.add({
          name: `${prefix}-${String(i).padStart(width, '0')}`,
          region: options.region,
          accessKeyId: options.accessKeyId,
          creationTime: base + i * 60_000,
        }),
      );
    }
    return added;
  }

  get(name: string, scope: InstanceScope = {}): InstanceRecord | undefined {
    const partition = this.partitions.get(partitionKey(scope.accessKeyId ?? DEFAULT_ACCESS_KEY_ID, scope.region ?? DEFAULT_REGION));
    return partition?.get(name.toLowerCase());
  }

  /** Like get, but a missing instance is the ValidationException("RecordNotFound") AWS answers. */
  require(name: string, scope: InstanceScope): InstanceRecord {
    const record = this.get(name, scope);
    if (!record) throw validationError('RecordNotFound');
    return record;
  }

  all(accessKeyId: string, region: string): InstanceRecord[] {
    return [...(this.partitions.get(partitionKey(accessKeyId, region))?.values() ?? [])];
  }

  remove(name: string, scope: InstanceScope = {}): boolean {
    const record = this.get(name, scope);
    if (!record) return false;
    this.partitions.get(partitionKey(record.accessKeyId, record.region))!.delete(name.toLowerCase());
    this.forget(record);
    return true;
  }

  /** Sets a status directly (cancelling any transition in flight), for tests and demos. */
  setStatus(name: string, status: NotebookStatus, scope: InstanceScope & { failureReason?: string } = {}): void {
    const record = this.get(name, scope);
    if (!record) throw new Error(`No notebook instance ${name} in ${scope.region ?? DEFAULT_REGION}`);
    this.cancelTransition(record);
    this.update(record, status);
    if (status === 'Failed') record.failureReason = scope.failureReason ?? 'Unknown failure';
  }

  start(record: InstanceRecord): void {
    this.requireStatus(record, ['Stopped', 'Failed'], 'Pending');
    this.update(record, 'Pending');
    this.launch(record, ['OnStart']);
  }

  /** CreateNotebookInstance: a new Pending instance that runs OnCreate then OnStart and becomes InService. */
  create(seed: SeedInstance): InstanceRecord {
    const record = this.add({ ...seed, status: 'Pending' });
    const key = `${partitionKey(record.accessKeyId, record.region)}\n${record.name.toLowerCase()}`;
    const failure = this.createFailures.get(key);
    this.createFailures.delete(key);
    if (failure !== undefined) this.startFailures.set(record, failure);
    this.launch(record, ['OnCreate', 'OnStart']);
    return record;
  }

  /** UpdateNotebookInstance: only a Stopped instance; Updating for the stop time, then Stopped again. */
  beginUpdate(record: InstanceRecord, apply: () => void): void {
    this.requireStatus(record, ['Stopped'], 'Updating');
    apply();
    this.update(record, 'Updating');
    this.schedule(record, 'Stopped', this.transitions.stop);
  }

  /** DeleteNotebookInstance: only Stopped or Failed; Deleting for the stop time, then gone. */
  delete(record: InstanceRecord): void {
    this.requireStatus(record, ['Stopped', 'Failed'], 'Deleting');
    this.update(record, 'Deleting');
    this.cancelTransition(record);
    this.timers.set(
      record,
      setTimeout(() => this.remove(record.name, record), this.transitions.stop),
    );
  }

  private launch(record: InstanceRecord, hooks: ('OnCreate' | 'OnStart')[]): void {
    const failure = this.startFailures.get(record);
    this.startFailures.delete(record);
    this.onStarting(record, hooks, this.transitions.start, failure);
    this.schedule(record, failure === undefined ? 'InService' : 'Failed', this.transitions.start, failure);
  }

  /** Makes the instance's next start end in Failed with this reason. */
  failNextStart(record: InstanceRecord, reason: string): void {
    this.startFailures.set(record, reason);
  }

  /** Makes the creation of this instance (not there yet) end in Failed with this reason. */
  failCreation(name: string, scope: InstanceScope, reason: string): void {
    this.createFailures.set(
      `${partitionKey(scope.accessKeyId ?? DEFAULT_ACCESS_KEY_ID, scope.region ?? DEFAULT_REGION)}\n${name.toLowerCase()}`,
      reason,
    );
  }

  stop(record: InstanceRecord): void {
    this.requireStatus(record, ['InService'], 'Stopping');
    this.update(record, 'Stopping');
    this.schedule(record, 'Stopped', this.transitions.stop);
  }

  /** Clears every pending transition; the endpoint calls this when it stops. */
  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /** What a seeded transitional instance becomes; Updating ends Stopped (AWS updates stopped instances only). */
  private settle(record: InstanceRecord, ms: number): void {
    if (record.status === 'Deleting') {
      this.timers.set(
        record,
        setTimeout(() => this.remove(record.name, record), ms),
      );
      return;
    }
    const next: Partial<Record<NotebookStatus, NotebookStatus>> = { Pending: 'InService', Stopping: 'Stopped', Updating: 'Stopped' };
    const to = next[record.status];
    if (to) this.schedule(record, to, ms);
  }

  private requireStatus(record: InstanceRecord, allowed: NotebookStatus[], target: NotebookStatus): void {
    if (allowed.includes(record.status)) return;
    throw validationError(
      `Status (${record.status}) not in ([${allowed.join(', ')}]). ` +
        `Unable to transition to (${target}) for Notebook Instance (${record.arn})`,
    );
  }

  private update(record: InstanceRecord, status: NotebookStatus): void {
    const leftService = record.status === 'InService' && status !== 'InService';
    record.status = status;
    if (leftService) this.onShutDown(record);
    record.failureReason = undefined;
    record.lastModifiedTime = this.clock();
  }

  private schedule(record: InstanceRecord, to: NotebookStatus, ms: number, failureReason?: string): void {
    this.cancelTransition(record);
    this.timers.set(
      record,
      setTimeout(() => {
        this.timers.delete(record);
        this.update(record, to);
        if (failureReason !== undefined) record.failureReason = failureReason;
      }, ms),
    );
  }

  private cancelTransition(record: InstanceRecord): void {
    clearTimeout(this.timers.get(record));
    this.timers.delete(record);
  }

  private forget(record: InstanceRecord): void {
    this.cancelTransition(record);
    this.onRemoved(record);
  }

  private partition(accessKeyId: string, region: string): Map<string, InstanceRecord> {
    const key = partitionKey(accessKeyId, region);
    let partition = this.partitions.get(key);
    if (!partition) this.partitions.set(key, (partition = new Map()));
    return partition;
  }
}
