// One instance folder's way to its files: the instance checked InService under the folder's profile, a lease
// on the instance's shared Jupyter connection, and the Contents API over it. When the instance is not
// running it says so once (a notification offering Start), and every call fails with one clear reason until
// it runs again; when the connection ends (the instance stopped, another profile was selected) the next call
// finds its way again.
import vscode = require('vscode');
import type { ConnectionLease } from '../jupyter/connections';
import type { Logger } from '../shared/log';
import type { NotebookInstance } from '../shared/instance';
import type { Ui } from '../shared/ui';
import { ContentsApi } from './contents';
import type { InstanceFolder } from './uri';

export interface InstanceAccess {
  /** The profile the SageMaker view uses now: the only one whose instances this window can reach. */
  activeProfile(): string;
  /** The instance as SageMaker describes it now (one DescribeNotebookInstance), or as the view knows it. */
  describe(region: string, name: string): Promise<NotebookInstance>;
  /** A lease on the instance's Jupyter connection (opened on first use, shared with tabs and kernels). */
  acquire(profile: string, instance: NotebookInstance): ConnectionLease;
  /** Starts the instance (StartNotebookInstance) and resolves once it is InService. */
  startAndWait(instance: NotebookInstance): Promise<NotebookInstance | undefined>;
  /** Asks VS Code to read the folder again (it came back). */
  refresh(folder: InstanceFolder): void;
  readonly ui: Ui;
  readonly logger: Logger;
}

/** Why the folder's files cannot be reached now; the message is for the user. */
export class UnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnavailableError';
  }
}

/** A state that holds this long before SageMaker is asked again (the user may have started it elsewhere). */
const RECHECK_MS = 15_000;

export class InstanceFiles {
  private lease: ConnectionLease | undefined;
  private api: ContentsApi | undefined;
  private opening: Promise<ContentsApi> | undefined;
  private unavailable: { message: string; at: number } | undefined;
  private notified = false;
  /** Requests of connections that have ended, so the count is the folder's. */
  private earlierRequests = 0;

  constructor(
    readonly folder: InstanceFolder,
    private readonly access: InstanceAccess,
  ) {}

  /** Contents API calls made for this folder. */
  get requests(): number {
    return this.earlierRequests + (this.api?.requests ?? 0);
  }

  /** The Contents API, reaching the instance first if needed. Throws UnavailableError when it cannot. */
  async contents(): Promise<ContentsApi> {
    if (this.api && this.lease && this.lease.connection.state.kind !== 'ended') return this.api;
    this.drop();
    if (this.unavailable && Date.now() - this.unavailable.at < RECHECK_MS) throw new UnavailableError(this.unavailable.message);
    this.opening ??= this.open().finally(() => (this.opening = undefined));
    return this.opening;
  }

  /** The Contents API if the folder is connected now; never connects (the watcher polls only what is reachable). */
  current(): ContentsApi | undefined {
    return this.api && this.lease?.connection.state.kind !== 'ended' ? this.api : undefined;
  }

  /** Drops the connection after it failed in a way that says the instance is gone (not a file's error). */
  lost(): void {
    this.drop();
  }

  dispose(): void {
    this.drop();
  }

  private async open(): Promise<ContentsApi> {
    const { profile, region, instance: name } = this.folder;
    const active = this.access.activeProfile();
    if (profile !== active) {
      return this.fail(
        vscode.l10n.t(
          'The folder of {0} belongs to AWS profile "{1}", and the SageMaker view uses "{2}". Select profile "{1}" to reach its files.',
          name,
          profile,
          active,
        ),
        undefined,
      );
    }
    let instance: NotebookInstance;
    try {
      instance = await this.access.describe(region, name);
    } catch (error) {
      return this.fail(vscode.l10n.t('Could not reach {0} in {1}: {2}', name, region, (error as Error).message), undefined);
    }
    if (instance.status !== 'InService') {
      return this.fail(
        vscode.l10n.t('The notebook instance {0} is {1}; its files are available while it is InService.', name, instance.status),
        instance,
      );
    }
    this.unavailable = undefined;
    this.notified = false;
    const lease = this.access.acquire(profile, instance);
    this.lease = lease;
    this.api = new ContentsApi(lease.connection);
    lease.connection.onDidChangeState((state) => {
      if (state.kind === 'ended' && this.lease === lease) {
        this.access.logger.info(`Files of ${name}: the Jupyter connection ended (${state.reason})`);
        // The next call asks SageMaker again: a stopped instance then gets its one notification with Start.
        this.drop();
      }
    });
    return this.api;
  }

  private fail(message: string, instance: NotebookInstance | undefined): never {
    this.unavailable = { message, at: Date.now() };
    this.access.logger.warn(`Files of ${this.folder.instance}: ${message}`);
    if (!this.notified) {
      // One notification per episode, not one per file VS Code asks about.
      this.notified = true;
      const start = vscode.l10n.t('Start');
      const canStart = instance && (instance.status === 'Stopped' || instance.status === 'Failed');
      void (canStart ? this.access.ui.warn(message, start) : this.access.ui.warn(message)).then(async (choice) => {
        if (choice !== start || !instance) return;
        const running = await this.access.startAndWait(instance).catch((error: unknown) => {
          void this.access.ui.error(vscode.l10n.t('Could not start {0}: {1}', instance.name, (error as Error).message));
          return undefined;
        });
        if (running?.status === 'InService') {
          this.unavailable = undefined;
          this.notified = false;
          this.access.refresh(this.folder);
        }
      });
    }
    throw new UnavailableError(message);
  }

  private drop(): void {
    this.earlierRequests += this.api?.requests ?? 0;
    this.api = undefined;
    const lease = this.lease;
    this.lease = undefined;
    lease?.release();
  }
}
