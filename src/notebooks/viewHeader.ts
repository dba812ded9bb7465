// What the explorer shows around its rows: the profile and regions after the view's title and in a status
// item (the title is cut off when the sidebar is narrow), the filter above the rows, and the context keys
// the welcome views and menus read.
import vscode = require('vscode');
import type { AwsState, ConnectionManager } from '../aws/connectionManager';
import type { Ui } from '../shared/ui';
import { describeFilter, isActive } from './filter';
import type { ExplorerNode, InstancesTreeProvider } from './instancesTree';

/** Profile and regions, after the view's title. The filter goes to the view's message (see describeFilter). */
export function viewDescription(state: AwsState): string | undefined {
  const parts: string[] = [];
  if (state.profile) parts.push(state.profile);
  if (state.kind === 'ready' && state.regions?.length) parts.push(state.regions.join(', '));
  return parts.length ? parts.join(' · ') : undefined;
}

export class ViewHeader implements vscode.Disposable {
  /** The profile in force, in the status bar while the view is visible; a click selects another one. */
  readonly profileItem: vscode.StatusBarItem;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly view: vscode.TreeView<ExplorerNode>,
    private readonly connection: ConnectionManager,
    private readonly tree: InstancesTreeProvider,
    ui: Ui,
  ) {
    this.profileItem = ui.statusItem('sagemakerNotebooks.profile', vscode.StatusBarAlignment.Left, 49);
    this.profileItem.name = vscode.l10n.t('SageMaker Profile');
    this.profileItem.command = 'sagemakerNotebooks.selectProfile';
    this.subscriptions = [
      this.profileItem,
      connection.onDidChangeState(() => this.show()),
      view.onDidChangeVisibility(() => this.show()),
      tree.onDidChangeTreeData(() => this.show()),
    ];
    this.show();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  private show(): void {
    const state = this.connection.state;
    const where = viewDescription(state);
    this.profileItem.text = `$(account) ${where ?? ''}`;
    this.profileItem.tooltip = vscode.l10n.t('AWS profile and regions of the SageMaker Notebooks view. Click to select another profile.');
    this.profileItem.accessibilityInformation = { label: vscode.l10n.t('AWS profile {0}', where ?? '') };
    if (this.view.visible && where) this.profileItem.show();
    else this.profileItem.hide();
    this.view.description = where;
    this.view.message = describeFilter(this.tree.filter, vscode.l10n);
    void vscode.commands.executeCommand('setContext', 'sagemakerNotebooks.state', state.kind);
    void vscode.commands.executeCommand('setContext', 'sagemakerNotebooks.filtered', isActive(this.tree.filter));
  }
}
