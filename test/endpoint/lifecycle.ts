// Notebook instance lifecycle configurations per (access key, region), and what running one writes to
// CloudWatch Logs: while an instance starts, its OnCreate/OnStart script's output appears line by line in
// the streams `<name>/LifecycleConfigOnCreate` and `<name>/LifecycleConfigOnStart` of the log group
// `/aws/sagemaker/NotebookInstances`, as on SageMaker; a failing start ends its stream with the error.
import { validationError } from './protocol';
import type { InstanceRecord } from './seed';
import type { LogStore } from './logs';

export const LOG_GROUP = '/aws/sagemaker/NotebookInstances';

export interface LifecycleConfigRecord {
  name: string;
  arn: string;
  /** Base64, exactly as the API carries it. */
  onCreate?: string;
  onStart?: string;
  creationTime: number;
  lastModifiedTime: number;
}

export interface SeedLifecycleConfig {
  name: string;
  region?: string;
  accessKeyId?: string;
  /** Plain script text; stored base64 as the API holds it. */
  onCreate?: string;
  onStart?: string;
}

export type Hook = 'OnCreate' | 'OnStart';

export function lifecycleConfigArn(region: string, accountId: string, name: string): string {
  return `arn:aws:sagemaker:${region}:${accountId}:notebook-instance-lifecycle-config/${name.toLowerCase()}`;
}

export class LifecycleConfigStore {
  private readonly partitions = new Map<string, Map<string, LifecycleConfigRecord>>();

  private partition(accessKeyId: string, region: string): Map<string, LifecycleConfigRecord> {
    const key = `${accessKeyId}\n${region}`;
    let p = this.partitions.get(key);
    if (!p) this.partitions.set(key, (p = new Map()));
    return p;
  }

  get(accessKeyId: string, region: string, name: string): LifecycleConfigRecord | undefined {
    return this.partition(accessKeyId, region).get(name.toLowerCase());
  }

  /** Like get, but missing is the ValidationException SageMaker answers. */
  require(accessKeyId: string, region: string, accountId: string, name: string): LifecycleConfigRecord {
    const found = this.get(accessKeyId, region, name);
    if (!found)
      throw validationError(`Unable to describe Notebook Instance Lifecycle Config (${lifecycleConfigArn(region, accountId, name)})`);
    return found;
  }

  all(accessKeyId: string, region: string): LifecycleConfigRecord[] {
    return [...this.partition(accessKeyId, region).values()];
  }

  put(accessKeyId: string, region: string, record: LifecycleConfigRecord): void {
    this.partition(accessKeyId, region).set(record.name.toLowerCase(), record);
  }

  remove(accessKeyId: string, region: string, name: string): boolean {
    return this.partition(accessKeyId, region).delete(name.toLowerCase());
  }
}

/** The commands of a script, as `bash -x` would trace them. */
function traced(script: string): string[] {
  return script
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => `+ ${l}`);
}

/**
 * Writes the scripts' output while the instance starts: the first line at once, the rest spread over the
 * start, the last just before it ends. A failing start ends with the script's error and exit code.
 */
export class LifecycleRunner {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly configs: LifecycleConfigStore,
    private readonly logs: LogStore,
    private readonly clock: () => number,
  ) {}

  run(record: InstanceRecord, hooks: Hook[], durationMs: number, failure: string | undefined): void {
    const name = record.details.NotebookInstanceLifecycleConfigName;
    if (typeof name !== 'string') return;
    const config = this.configs.get(record.accessKeyId, record.region, name);
    if (!config) return;
    const lines: { stream: string; message: string }[] = [];
    for (const hook of hooks) {
      const content = hook === 'OnCreate' ? config.onCreate : config.onStart;
      if (!content) continue;
      const stream = `${record.name}/LifecycleConfig${hook}`;
      const script = Buffer.from(content, 'base64').toString('utf8');
      const steps = traced(script);
      lines.push({ stream, message: `Starting ${hook} script of lifecycle configuration ${config.name}` });
      for (const step of steps) lines.push({ stream, message: step });
      if (failure !== undefined && hook === hooks[hooks.length - 1]) {
        lines.push({ stream, message: `${steps[steps.length - 1]?.slice(2) ?? 'script'}: line ${steps.length}: command failed` });
        lines.push({ stream, message: `${hook} script exited with code 1` });
      } else {
        lines.push({ stream, message: `${hook} script finished (exit code 0)` });
      }
    }
    const span = Math.max(0, durationMs - 50);
    lines.forEach((line, i) => {
      const at = lines.length > 1 ? Math.floor((span * i) / (lines.length - 1)) : 0;
      const write = () => this.logs.append(record.accessKeyId, record.region, LOG_GROUP, line.stream, line.message, this.clock());
      if (at === 0) write();
      else {
        const timer = setTimeout(() => (this.timers.delete(timer), write()), at);
        this.timers.add(timer);
      }
    });
  }

  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
