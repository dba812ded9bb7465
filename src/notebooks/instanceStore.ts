// The instances the extension knows: fetched per region from the connection in force, shared by the tree,
// the pickers and the opener, refreshed by the poller while one is transitional, dropped whole when the
// connection is replaced. Pure: no vscode.
import type { ConnectionManager, ReadyConnection } from '../aws/connectionManager';
import { toUserError } from '../aws/errors';
import type { Clock } from '../shared/clock';
import { Emitter } from '../shared/events';
import type { NotebookInstance } from '../shared/instance';
import { english, type L10n } from '../shared/l10n';
import type { Logger } from '../shared/log';
import { TransitionPoller, type PollerOptions } from './poller';

export type RegionResult =
  { readonly state: 'loaded'; readonly instances: readonly NotebookInstance[] } | { readonly state: 'error'; readonly message: string };

export interface SeenInstances {
  readonly instances: readonly NotebookInstance[];
  /** ARNs of instances that no longer exist. */
  readonly removed: readonly string[];
}

export class InstanceStore {
  private readonly changed = new Emitter<void>();
  /** Something the tree shows changed: a region loaded, an instance moved on or went away. */
  readonly onDidChange = this.changed.event;
  private readonly seen = new Emitter<SeenInstances>();
  /** Fresh instance data (a listing, a poll, an action) and instances that no longer exist. */
  readonly onDidSeeInstances = this.seen.event;
  private readonly pending = new Map<string, Promise<RegionResult>>();
  private readonly loaded = new Map<string, RegionResult>();
  private abort = new AbortController();
  private readonly poller: TransitionPoller;
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly connection: ConnectionManager,
    private readonly logger: Logger,
    private readonly l10n: L10n = english,
    clock?: Clock,
    polling?: PollerOptions,
  ) {
    this.poller = new TransitionPoller(
      (i) => this.describeOrUndefined(i),
      (fresh, previous) => (fresh ? this.updateInstance(fresh) : this.removeInstance(previous.arn)),
      clock,
      polling,
    );
    this.subscription = connection.onDidReset(() => this.clear());
  }

  /** The signal of the current generation: aborted when the connection is replaced. */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** Stops polling while nobody can see the instances; the next tick after showing them catches up. */
  setVisible(visible: boolean): void {
    this.poller.setPaused(!visible);
  }

  get pollerState(): { watching: number; scheduled: boolean } {
    return { watching: this.poller.watching, scheduled: this.poller.scheduled };
  }

  /** What is known of a region, without fetching. */
  result(region: string): RegionResult | undefined {
    return this.loaded.get(region);
  }

  /** The instances currently known, for pickers and commands (all regions, unfiltered). */
  knownInstances(): NotebookInstance[] {
    return [...this.loaded.values()].flatMap((r) => (r.state === 'loaded' ? r.instances : []));
  }

  findInstance(arn: string): NotebookInstance | undefined {
    return this.knownInstances().find((i) => i.arn === arn);
  }

  /** Every instance of every active region, fetching what is not fetched yet. */
  async loadAll(): Promise<NotebookInstance[]> {
    const connection = await this.connection.current();
    if (!this.connection.isReady(connection)) return [];
    await Promise.all(connection.regions.map((region) => this.fetchRegion(connection, region)));
    return this.knownInstances();
  }

  /** A region's instances, fetched once per connection and shared by concurrent callers. */
  fetchRegion(connection: ReadyConnection, region: string): Promise<RegionResult> {
    let pending = this.pending.get(region);
    if (!pending) {
      const signal = this.abort.signal;
      pending = connection.api
        .listInstances(region, signal)
        .then(
          (instances): RegionResult => ({ state: 'loaded', instances }),
          (error): RegionResult => {
            const user = toUserError(error, { profile: connection.profile, region }, this.l10n);
            // An abort is a refresh superseding this listing, not a failure; its result is never shown.
            if (!signal.aborted)
              this.logger.error(
                `Listing notebook instances in ${region} failed: ${(error as Error)?.name ?? ''} ${(error as Error)?.message ?? error}`,
              );
            return { state: 'error', message: user.message };
          },
        )
        .then((result) => {
          if (!signal.aborted) {
            this.setLoaded(region, result);
            if (result.state === 'loaded') {
              this.poller.track(result.instances);
              this.seen.fire({ instances: result.instances, removed: [] });
            }
          }
          return result;
        });
      this.pending.set(region, pending);
    }
    return pending;
  }

  /** Replaces an instance with fresh data and keeps watching it while it is transitional. */
  updateInstance(fresh: NotebookInstance, options: { resetPolling?: boolean } = {}): void {
    const result = this.loaded.get(fresh.region);
    if (result?.state !== 'loaded') return;
    const instances = result.instances.map((i) => (i.arn === fresh.arn ? fresh : i));
    this.setLoaded(fresh.region, { state: 'loaded', instances });
    this.poller.track([fresh], { reset: options.resetPolling });
    this.seen.fire({ instances: [fresh], removed: [] });
    this.changed.fire();
  }

  removeInstance(arn: string): void {
    for (const [region, result] of this.loaded) {
      if (result.state === 'loaded' && result.instances.some((i) => i.arn === arn)) {
        this.setLoaded(region, { state: 'loaded', instances: result.instances.filter((i) => i.arn !== arn) });
      }
    }
    this.seen.fire({ instances: [], removed: [arn] });
    this.changed.fire();
  }

  dispose(): void {
    this.abort.abort();
    this.poller.dispose();
    this.subscription.dispose();
    this.changed.dispose();
    this.seen.dispose();
  }

  private clear(): void {
    this.abort.abort();
    this.abort = new AbortController();
    this.pending.clear();
    this.loaded.clear();
    this.poller.clear();
    this.changed.fire();
  }

  private setLoaded(region: string, result: RegionResult): void {
    this.loaded.set(region, result);
    this.pending.set(region, Promise.resolve(result));
  }

  private async describeOrUndefined(instance: NotebookInstance): Promise<NotebookInstance | undefined> {
    const ready = this.connection.ready;
    if (!ready) return instance;
    try {
      return await ready.api.describeInstance(instance.region, instance.name, this.abort.signal);
    } catch (error) {
      if (toUserError(error, { profile: ready.profile }).kind === 'notFound') return undefined;
      throw error;
    }
  }
}
