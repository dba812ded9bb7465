// The tree of notebook instances: one TreeDataProvider with explicit loading, empty and error rows; never
// a popup from getChildren. What it shows comes from the connection manager (profile, regions, credential
// state: a welcome view when they cannot list) and the instance store (the rows).
import vscode = require('vscode');
import type { ConnectionManager } from '../aws/connectionManager';
import { toUserError } from '../aws/errors';
import type { NotebookInstance } from '../shared/instance';
import { applyFilter, isActive, type InstanceFilter } from './filter';
import { instanceLook } from './instanceLook';
import type { InstanceStore } from './instanceStore';

export type ExplorerNode =
  | { readonly kind: 'region'; readonly region: string }
  | { readonly kind: 'instance'; readonly instance: NotebookInstance }
  /** A listing that failed: the message, and a click that retries. */
  | { readonly kind: 'error'; readonly message: string; readonly region?: string }
  /** Nothing to list (no instances, or none matches the filter), with the action that helps. */
  | {
      readonly kind: 'message';
      readonly id: string;
      readonly label: string;
      readonly icon: string;
      readonly region?: string;
      readonly command?: vscode.Command;
      readonly tooltip?: string;
    };

export class InstancesTreeProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private filterValue: InstanceFilter = {};
  private readonly subscriptions: { dispose(): void }[];

  constructor(
    private readonly connection: ConnectionManager,
    private readonly store: InstanceStore,
  ) {
    this.subscriptions = [store.onDidChange(() => this.changed.fire(undefined)), connection.onDidReset(() => this.changed.fire(undefined))];
  }

  get filter(): InstanceFilter {
    return this.filterValue;
  }

  setFilter(filter: InstanceFilter): void {
    this.filterValue = filter;
    this.changed.fire(undefined);
  }

  async getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    if (node && node.kind !== 'region') return [];
    if (node) return this.regionChildren(node.region);
    const generation = this.store.signal;
    let connection;
    try {
      connection = await this.connection.current();
      if (generation.aborted) return this.getChildren();
    } catch (error) {
      return [{ kind: 'error', message: toUserError(error, { profile: '' }, vscode.l10n).message }];
    }
    if (!this.connection.isReady(connection)) return [];
    if (connection.regions.length === 1) return this.regionChildren(connection.regions[0]);
    for (const region of connection.regions) void this.store.fetchRegion(connection, region); // all regions at once
    return connection.regions.map((region) => ({ kind: 'region', region }));
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    switch (node.kind) {
      case 'region': {
        const item = new vscode.TreeItem(node.region, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `region:${node.region}`;
        item.iconPath = new vscode.ThemeIcon('globe');
        item.contextValue = 'region';
        const result = this.store.result(node.region);
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
      case 'error': {
        const item = new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
        item.id = `error:${node.region ?? ''}`;
        item.iconPath = new vscode.ThemeIcon('warning');
        item.tooltip = `${node.message}\n\n${vscode.l10n.t('Click to retry.')}`;
        item.command = { title: vscode.l10n.t('Retry'), command: 'sagemakerNotebooks.refresh' };
        item.contextValue = 'message.error';
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.command = node.command;
        item.tooltip = node.tooltip;
        item.contextValue = 'message';
        return item;
      }
    }
  }

  getParent(node: ExplorerNode): ExplorerNode | undefined {
    const region = node.kind === 'instance' ? node.instance.region : node.kind === 'region' ? undefined : node.region;
    const ready = this.connection.ready;
    if (!region || !ready || ready.regions.length < 2) return undefined;
    return { kind: 'region', region };
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }

  private async regionChildren(region: string): Promise<ExplorerNode[]> {
    const generation = this.store.signal;
    const connection = await this.connection.current();
    if (!this.connection.isReady(connection)) return [];
    const result = await this.store.fetchRegion(connection, region);
    // A refresh while this was in flight: answer with the new state, not the aborted one.
    if (generation.aborted) return this.regionChildren(region);
    if (result.state === 'error') return [{ kind: 'error', message: result.message, region }];
    if (!result.instances.length) {
      return [
        {
          kind: 'message',
          id: `empty:${region}`,
          region,
          label: vscode.l10n.t('No notebook instances in {0}', region),
          icon: 'info',
          tooltip: vscode.l10n.t('Create one in the AWS console'),
          command: { title: vscode.l10n.t('Open AWS Console'), command: 'sagemakerNotebooks.openInConsole', arguments: [{ region }] },
        },
      ];
    }
    const shown = applyFilter(result.instances, this.filterValue);
    if (!shown.length && isActive(this.filterValue)) {
      return [
        {
          kind: 'message',
          id: `filtered:${region}`,
          region,
          label: vscode.l10n.t('No instances match the filter'),
          icon: 'filter',
          command: { title: vscode.l10n.t('Clear Filter'), command: 'sagemakerNotebooks.clearFilter' },
        },
      ];
    }
    return shown.map((instance) => ({ kind: 'instance', instance }));
  }
}
