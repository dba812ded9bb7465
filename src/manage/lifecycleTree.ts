// The "Lifecycle Configurations" view: per region (when several are listed) the account's configurations,
// each with its OnCreate and OnStart scripts, which open as editable files (lifecycleFs.ts).
import vscode = require('vscode');
import { toUserError } from '../aws/errors';
import type { ConnectionManager } from '../aws/connectionManager';
import type { Logger } from '../shared/log';
import { session } from './context';
import { scriptUri } from './lifecycleFs';

export type LifecycleNode =
  | { readonly kind: 'region'; readonly region: string }
  | { readonly kind: 'config'; readonly region: string; readonly name: string }
  | { readonly kind: 'script'; readonly region: string; readonly name: string; readonly hook: 'onCreate' | 'onStart' }
  | { readonly kind: 'message'; readonly region?: string; readonly label: string; readonly icon: string };

export class LifecycleTreeProvider implements vscode.TreeDataProvider<LifecycleNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<LifecycleNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly connection: ConnectionManager,
    private readonly logger: Logger,
  ) {
    this.subscription = connection.onDidChangeState(() => this.refresh());
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  async getChildren(node?: LifecycleNode): Promise<LifecycleNode[]> {
    if (!node) {
      const connection = await this.connection.current();
      if (connection.kind !== 'ready') return [];
      if (connection.regions.length > 1) return connection.regions.map((region) => ({ kind: 'region', region }));
      return this.configs(connection.regions[0]);
    }
    if (node.kind === 'region') return this.configs(node.region);
    if (node.kind === 'config')
      return (['onCreate', 'onStart'] as const).map((hook) => ({ kind: 'script', region: node.region, name: node.name, hook }));
    return [];
  }

  getTreeItem(node: LifecycleNode): vscode.TreeItem {
    switch (node.kind) {
      case 'region': {
        const item = new vscode.TreeItem(node.region, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `lifecycle-region:${node.region}`;
        item.iconPath = new vscode.ThemeIcon('globe');
        item.contextValue = 'lifecycleRegion';
        return item;
      }
      case 'config': {
        const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `lifecycle:${node.region}/${node.name}`;
        item.iconPath = new vscode.ThemeIcon('file-code');
        item.contextValue = 'lifecycleConfig';
        item.tooltip = vscode.l10n.t('Lifecycle configuration {0} in {1}', node.name, node.region);
        return item;
      }
      case 'script': {
        const label = node.hook === 'onCreate' ? vscode.l10n.t('Create notebook (OnCreate)') : vscode.l10n.t('Start notebook (OnStart)');
        const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
        const uri = scriptUri(node.region, node.name, node.hook);
        item.id = `lifecycle:${node.region}/${node.name}/${node.hook}`;
        item.resourceUri = uri;
        item.iconPath = new vscode.ThemeIcon('terminal-bash');
        item.contextValue = 'lifecycleScript';
        item.command = { title: vscode.l10n.t('Open'), command: 'vscode.open', arguments: [uri] };
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.contextValue = 'message';
        return item;
      }
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private async configs(region: string): Promise<LifecycleNode[]> {
    try {
      const { manage } = await session(this.connection, this.logger);
      const configs = await manage.listLifecycleConfigs(region);
      if (!configs.length)
        return [{ kind: 'message', region, label: vscode.l10n.t('No lifecycle configurations in {0}', region), icon: 'info' }];
      return configs.map((c) => ({ kind: 'config', region, name: c.name }));
    } catch (error) {
      const message = toUserError(error, { profile: '', region }, vscode.l10n).message;
      this.logger.warn(`Listing lifecycle configurations in ${region} failed: ${(error as Error)?.message}`);
      return [{ kind: 'message', region, label: message, icon: 'warning' }];
    }
  }
}
