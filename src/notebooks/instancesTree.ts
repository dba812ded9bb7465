// The tree of notebook instances: one TreeDataProvider with explicit loading, empty and error rows; never
// a popup from getChildren. Credential problems become a welcome state (see explorerState.ts).
import vscode = require('vscode');
import type { Connection } from '../aws/connection';
import { toUserError } from '../aws/errors';
import type { Logger } from '../shared/log';
import { stateForCredentialError, type ExplorerState } from './explorerState';
import { applyFilter, isActive, type InstanceFilter } from './filter';
import type { NotebookInstance } from '../shared/instance';
import type { Clock } from '../shared/clock';
import { TransitionPoller, type PollerOptions } from './poller';
import { instanceLook } from './treeItems';

export type ExplorerNode =
  | { readonly kind: 'region'; readonly region: string }
  | { readonly kind: 'instance'; readonly instance: NotebookInstance }
  | { readonly kind: 'message'; readonly id: string; readonly label: string; readonly icon: string; readonly region?: string; readonly command?: vscode.Command; readonly tooltip?: string };

type Ready = Connection & { kind: 'ready' };
type RegionResult =
  | { readonly state: 'loaded'; readonly instances: readonly NotebookInstance[] }
  | { readonly state: 'error'; readonly message: string };

export class InstancesTreeProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly stateChanged = new vscode.EventEmitter<ExplorerState>();
  readonly onDidChangeState = this.stateChanged.event;
  private stateValue: ExplorerState = { kind: 'loading' };
  private readonly seen = new vscode.EventEmitter<{ readonly instances: readonly NotebookInstance[]; readonly removed: readonly string[] }>();
  /** Fresh instance data (a listing, a poll, an action) and instances that no longer exist. */
  readonly onDidSeeInstances = this.seen.event;

  private connection: Promise<Connection> | undefined;
  private ready: Ready | undefined;
  private readonly pending = new Map<string, Promise<RegionResult>>();
  private readonly loaded = new Map<string, RegionResult>();
  private abort = new AbortController();
  private filterValue: InstanceFilter = {};
  private readonly poller: TransitionPoller;

  constructor(
    private readonly getConnection: () => Promise<Connection>,
    private readonly logger: Logger,
    clock?: Clock,
    polling?: PollerOptions,
  ) {
    this.poller = new TransitionPoller(
      (i) => this.describeOrUndefined(i),
      (fresh, previous) => (fresh ? this.updateInstance(fresh) : this.removeInstance(previous.arn)),
      clock,
      polling,
    );
  }

  /** Forgets everything fetched, including the connection (profile, clients), and asks again. */
  refresh(): void {
    this.abort.abort();
    this.abort = new AbortController();
    this.pending.clear();
    this.loaded.clear();
    this.poller.clear();
    const old = this.connection;
    this.connection = undefined;
    this.ready = undefined;
    void old?.then((c) => c.kind === 'ready' && c.api.dispose(), () => undefined);
    this.setState({ kind: 'loading' });
    this.changed.fire(undefined);
  }

  get state(): ExplorerState {
    return this.stateValue;
  }

  get filter(): InstanceFilter {
    return this.filterValue;
  }

  setFilter(filter: InstanceFilter): void {
    this.filterValue = filter;
    this.changed.fire(undefined);
  }

  /** Stops polling while nobody can see the tree; the next tick after showing it catches up. */
  setVisible(visible: boolean): void {
    this.poller.setPaused(!visible);
  }

  /** The instances currently known, for pickers and commands (all regions, unfiltered). */
  knownInstances(): NotebookInstance[] {
    return [...this.loaded.values()].flatMap((r) => (r.state === 'loaded' ? r.instances : []));
  }

  findInstance(arn: string): NotebookInstance | undefined {
    return this.knownInstances().find((i) => i.arn === arn);
  }

  /** Replaces an instance's row with fresh data and keeps watching it while it is transitional. */
  updateInstance(fresh: NotebookInstance, options: { resetPolling?: boolean } = {}): void {
    const result = this.loaded.get(fresh.region);
    if (result?.state !== 'loaded') return;
    const instances = result.instances.map((i) => (i.arn === fresh.arn ? fresh : i));
    this.setLoaded(fresh.region, { state: 'loaded', instances });
    this.poller.track([fresh], { reset: options.resetPolling });
    this.seen.fire({ instances: [fresh], removed: [] });
    this.changed.fire(undefined);
  }

  removeInstance(arn: string): void {
    for (const [region, result] of this.loaded) {
      if (result.state === 'loaded' && result.instances.some((i) => i.arn === arn)) {
        this.setLoaded(region, { state: 'loaded', instances: result.instances.filter((i) => i.arn !== arn) });
      }
    }
    this.seen.fire({ instances: [], removed: [arn] });
    this.changed.fire(undefined);
  }

  /** Every instance of every active region, fetching what the tree has not fetched yet. */
  async loadAll(): Promise<NotebookInstance[]> {
    const connection = await this.currentConnection();
    if (connection.kind !== 'ready' || this.ready !== connection) return [];
    await Promise.all(connection.regions.map((region) => this.fetchRegion(connection, region)));
    return this.knownInstances();
  }

  /** The connection everything is fetched with; shared by concurrent callers. */
  currentConnection(): Promise<Connection> {
    this.connection ??= this.resolveConnection();
    return this.connection;
  }

  get pollerState(): { watching: number; scheduled: boolean } {
    return { watching: this.poller.watching, scheduled: this.poller.scheduled };
  }

  async getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    if (node?.kind === 'instance' || node?.kind === 'message') return [];
    if (node) return this.regionChildren(node.region);
    let connection: Connection;
    const generation = this.abort.signal;
    try {
      connection = await this.currentConnection();
      if (generation.aborted) return this.getChildren();
    } catch (error) {
      return [this.errorRow('error:root', toUserError(error, { profile: '' }, vscode.l10n).message)];
    }
    if (connection.kind !== 'ready' || this.ready !== connection) return [];
    if (connection.regions.length === 1) return this.regionChildren(connection.regions[0]);
    for (const region of connection.regions) void this.fetchRegion(connection, region); // all regions at once
    return connection.regions.map((region) => ({ kind: 'region', region }));
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    switch (node.kind) {
      case 'region': {
        const item = new vscode.TreeItem(node.region, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `region:${node.region}`;
        item.iconPath = new vscode.ThemeIcon('globe');
        item.contextValue = 'region';
        const result = this.loaded.get(node.region);
        if (result?.state === 'loaded') item.description = `${applyFilter(result.instances, this.filterValue).length}`;
        return item;
      }
      case 'instance': {
        const look = instanceLook(node.instance, new Date(), vscode.l10n);
        const item = new vscode.TreeItem(look.label, vscode.TreeItemCollapsibleState.None);
        item.id = look.id;
        item.description = look.description;
        item.iconPath = new vscode.ThemeIcon(look.icon, look.color ? new vscode.ThemeColor(look.color) : undefined);
        item.contextValue = look.contextValue;
        item.tooltip = new vscode.MarkdownString(look.tooltip);
        item.accessibilityInformation = { label: look.accessibilityLabel };
        if (look.opensOnClick) {
          // Open also starts a Stopped instance, after asking (NotebookOpener.readyToOpen).
          item.command = { title: vscode.l10n.t('Open'), command: 'sagemakerNotebooks.open', arguments: [node] };
        }
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.command = node.command;
        item.tooltip = node.tooltip;
        item.contextValue = node.id.startsWith('error:') ? 'message.error' : 'message';
        return item;
      }
    }
  }

  getParent(node: ExplorerNode): ExplorerNode | undefined {
    const region = node.kind === 'instance' ? node.instance.region : node.kind === 'message' ? node.region : undefined;
    if (!region || !this.ready || this.ready.regions.length < 2) return undefined;
    return { kind: 'region', region };
  }

  dispose(): void {
    this.abort.abort();
    this.poller.dispose();
    void this.connection?.then((c) => c.kind === 'ready' && c.api.dispose(), () => undefined);
    this.changed.dispose();
    this.stateChanged.dispose();
    this.seen.dispose();
  }

  private async resolveConnection(): Promise<Connection> {
    const connection = await this.getConnection();
    if (connection.kind !== 'ready') {
      this.setState({ kind: connection.kind, profile: connection.profile, message: connection.message });
      return connection;
    }
    try {
      await connection.api.checkCredentials();
    } catch (error) {
      const user = toUserError(error, { profile: connection.profile }, vscode.l10n);
      const kind = stateForCredentialError(user.kind);
      this.logger.warn(`Credentials of profile "${connection.profile}": ${user.message}`);
      if (kind) {
        this.setState({ kind, profile: connection.profile, message: user.message });
        return connection; // not `ready` for the tree: getChildren returns [] and the welcome view explains
      }
      // anything else (cancelled MFA prompt, network) is reported per region when listing fails
    }
    this.ready = connection;
    this.setState({ kind: 'ready', profile: connection.profile, regions: connection.regions });
    return connection;
  }

  private async regionChildren(region: string): Promise<ExplorerNode[]> {
    const generation = this.abort.signal;
    const connection = await this.currentConnection();
    if (connection.kind !== 'ready' || this.ready !== connection) return [];
    const result = await this.fetchRegion(connection, region);
    // A refresh while this was in flight: answer with the new state, not the aborted one.
    if (generation.aborted) return this.regionChildren(region);
    if (result.state === 'error') return [this.errorRow(`error:${region}`, result.message, region)];
    if (!result.instances.length) {
      return [{ kind: 'message', id: `empty:${region}`, region, label: vscode.l10n.t('No notebook instances in {0}', region), icon: 'info', tooltip: vscode.l10n.t('Create one in the AWS console'), command: { title: vscode.l10n.t('Open AWS Console'), command: 'sagemakerNotebooks.openInConsole', arguments: [{ region }] } }];
    }
    const shown = applyFilter(result.instances, this.filterValue);
    if (!shown.length && isActive(this.filterValue)) {
      return [{ kind: 'message', id: `filtered:${region}`, region, label: vscode.l10n.t('No instances match the filter'), icon: 'filter', command: { title: vscode.l10n.t('Clear Filter'), command: 'sagemakerNotebooks.clearFilter' } }];
    }
    return shown.map((instance) => ({ kind: 'instance', instance }));
  }

  private fetchRegion(connection: Ready, region: string): Promise<RegionResult> {
    let pending = this.pending.get(region);
    if (!pending) {
      const signal = this.abort.signal;
      pending = connection.api.listInstances(region, signal).then(
        (instances): RegionResult => ({ state: 'loaded', instances }),
        (error): RegionResult => {
          const user = toUserError(error, { profile: connection.profile, region }, vscode.l10n);
          // An abort is a refresh superseding this listing, not a failure; its result is never shown.
          if (!signal.aborted) this.logger.error(`Listing notebook instances in ${region} failed: ${(error as Error)?.name ?? ''} ${(error as Error)?.message ?? error}`);
          return { state: 'error', message: user.message };
        },
      ).then((result) => {
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

  private setLoaded(region: string, result: RegionResult): void {
    this.loaded.set(region, result);
    this.pending.set(region, Promise.resolve(result));
  }

  private setState(state: ExplorerState): void {
    this.stateValue = state;
    this.stateChanged.fire(state);
  }

  private errorRow(id: string, message: string, region?: string): ExplorerNode {
    return { kind: 'message', id, region, label: message, icon: 'warning', tooltip: `${message}\n\n${vscode.l10n.t('Click to retry.')}`, command: { title: vscode.l10n.t('Retry'), command: 'sagemakerNotebooks.refresh' } };
  }

  private async describeOrUndefined(instance: NotebookInstance): Promise<NotebookInstance | undefined> {
    if (!this.ready) return instance;
    try {
      return await this.ready.api.describeInstance(instance.region, instance.name, this.abort.signal);
    } catch (error) {
      if (toUserError(error, { profile: this.ready.profile }).kind === 'notFound') return undefined;
      throw error;
    }
  }
}
