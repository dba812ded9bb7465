// Management wiring: the commands (create, update, delete, migrate, startup log, lifecycle configurations),
// the lifecycle file system and view, the script diagnostics, and the platform a hovered row learns. The
// composition root calls registerManage once and adds the commands to its table.
import vscode = require('vscode');
import { chooseInstance, instanceOf } from '../notebooks/chooseInstance';
import type { Logger } from '../shared/log';
import type { ConnectionManager } from '../aws/connectionManager';
import type { InstanceStore } from '../notebooks/instanceStore';
import type { ExplorerNode } from '../notebooks/instancesTree';
import type { NotebookInstance } from '../shared/instance';
import { instanceLook } from '../notebooks/instanceLook';
import type { Ui } from '../shared/ui';
import { session, type ManageDeps } from './context';
import { createInstance } from './createWizard';
import { deleteInstance, migrateToAl2023, updateInstance } from './instanceActions';
import { LIFECYCLE_SCHEME, LifecycleFileSystem, lifecycleDiagnostics, scriptUri, TEMPLATE } from './lifecycleFs';
import { LifecycleTreeProvider, type LifecycleNode } from './lifecycleTree';
import { BACK, quickInputPrompter, type Prompter } from './prompter';
import { validateName } from './rules';
import { StartupLogs, STARTUP_LOG_SCHEME } from './startupLog';

export interface ManageOptions {
  readonly connection: ConnectionManager;
  readonly instances: InstanceStore;
  readonly ui: Ui;
  readonly logger: Logger;
  readonly open: (instance: NotebookInstance) => Thenable<unknown>;
  /** Fired to redraw the Lifecycle Configurations view (the shell owns the view). */
  readonly lifecycleChanged: vscode.EventEmitter<LifecycleNode | undefined>;
  /** Redraws the instance rows (their running time) without fetching anything. */
  readonly redraw: () => void;
  readonly visible: () => boolean;
}

export interface Manage extends vscode.Disposable {
  readonly commands: Readonly<Record<string, (...args: any[]) => unknown>>;
  readonly lifecycleTree: LifecycleTreeProvider;
  readonly startupLogs: StartupLogs;
  /**
   * An instance row whose platform is not known yet leaves its tooltip to resolveTreeItem (VS Code resolves
   * only what is undefined), which describes the instance on hover and shows the platform too.
   */
  treeItem(item: vscode.TreeItem, node: ExplorerNode): vscode.TreeItem;
  /** Adds what a Describe knows (the platform) to a hovered instance row. */
  resolveTreeItem(item: vscode.TreeItem, node: ExplorerNode, token: vscode.CancellationToken): Promise<vscode.TreeItem>;
  /** Tests put a scripted prompter here; undefined restores the quick inputs. */
  setPrompter(prompter: Prompter | undefined): void;
}

export function registerManage(options: ManageOptions): Manage {
  const { connection, instances, ui, logger } = options;
  let prompter: Prompter | undefined;
  const deps: ManageDeps = { connection, instances, ui, logger, open: options.open, prompter: () => prompter ?? quickInputPrompter };
  const manageApi = async () => (await session(connection, logger)).manage;
  const fs = new LifecycleFileSystem(manageApi);
  const lifecycleTree = new LifecycleTreeProvider(connection, logger);
  const startupLogs = new StartupLogs(connection, instances, logger);
  const platforms = new Map<string, string>();
  // The running time in InService rows moves on once a minute, while someone can see it; no request.
  const minute = setInterval(() => {
    if (options.visible() && instances.knownInstances().some((i) => i.status === 'InService')) options.redraw();
  }, 60_000);
  const disposables: vscode.Disposable[] = [
    new vscode.Disposable(() => clearInterval(minute)),
    fs,
    vscode.workspace.registerFileSystemProvider(LIFECYCLE_SCHEME, fs, { isCaseSensitive: true }),
    lifecycleDiagnostics(),
    lifecycleTree,
    lifecycleTree.onDidChangeTreeData((n) => options.lifecycleChanged.fire(n)),
    startupLogs,
    vscode.workspace.registerTextDocumentContentProvider(STARTUP_LOG_SCHEME, startupLogs),
    vscode.languages.registerDocumentLinkProvider({ scheme: STARTUP_LOG_SCHEME }, startupLogs),
    // What a Describe taught (the platform) is kept per ARN: a listing's summary has none.
    instances.onDidSeeInstances(({ instances }) => {
      for (const i of instances) if (i.platformIdentifier) platforms.set(i.arn, i.platformIdentifier);
    }),
  ];

  const createLifecycleConfig = async () => {
    const { manage, regions } = await session(connection, logger);
    const title = vscode.l10n.t('Create Lifecycle Configuration');
    let region: string | undefined = regions[0];
    if (regions.length > 1) {
      const a = await deps.prompter().pick({
        title,
        step: 1,
        totalSteps: 1,
        placeholder: vscode.l10n.t('Region of the new lifecycle configuration'),
        items: regions.map((r) => ({ label: r })),
      });
      region = a && a !== BACK ? a.label : undefined;
    }
    if (!region) return;
    const name = await deps.prompter().input({
      title,
      step: 1,
      totalSteps: 1,
      prompt: vscode.l10n.t(
        'Name of the lifecycle configuration in {0} (letters, digits, hyphens; at most 63). It starts from a template OnStart script.',
        region,
      ),
      validate: (v) => validateName(v, vscode.l10n),
    });
    if (typeof name !== 'string') return;
    await manage.createLifecycleConfig(region, name, { onStart: TEMPLATE });
    lifecycleTree.refresh();
    await vscode.window.showTextDocument(scriptUri(region, name, 'onStart'), { preview: false });
  };

  const deleteLifecycleConfig = async (node?: LifecycleNode) => {
    if (node?.kind !== 'config') return;
    const { manage } = await session(connection, logger);
    const ok = await ui.confirm(
      vscode.l10n.t('Delete lifecycle configuration "{0}" in {1}?', node.name, node.region),
      vscode.l10n.t('Instances it is attached to will fail to start until another is attached or it is detached.'),
      vscode.l10n.t('Delete'),
    );
    if (!ok) return;
    await manage.deleteLifecycleConfig(node.region, node.name);
    lifecycleTree.refresh();
  };

  const showStartupLog = async (node?: unknown) => {
    const instance = await chooseInstance(deps, node, vscode.l10n.t('Notebook instance whose startup log to show'), (i) =>
      ['Failed', 'Pending', 'InService'].includes(i.status),
    );
    if (instance) await startupLogs.show(instance.region, instance.name);
  };

  return {
    commands: {
      'sagemakerNotebooks.create': () => createInstance(deps),
      'sagemakerNotebooks.update': (node?: unknown) => updateInstance(deps, node),
      'sagemakerNotebooks.delete': (node?: unknown) => deleteInstance(deps, node),
      'sagemakerNotebooks.migrateToAl2023': (node?: unknown) => migrateToAl2023(deps, node),
      'sagemakerNotebooks.showStartupLog': showStartupLog,
      'sagemakerNotebooks.createLifecycleConfig': createLifecycleConfig,
      'sagemakerNotebooks.deleteLifecycleConfig': deleteLifecycleConfig,
      'sagemakerNotebooks.refreshLifecycleConfigs': () => lifecycleTree.refresh(),
    },
    lifecycleTree,
    startupLogs,
    treeItem(item, node) {
      const instance = instanceOf(node);
      if (!instance || instance.platformIdentifier) return item;
      const known = platforms.get(instance.arn);
      if (!known) {
        item.tooltip = undefined;
        return item;
      }
      const look = instanceLook({ ...instance, platformIdentifier: known }, new Date(), vscode.l10n);
      item.description = look.description;
      item.tooltip = new vscode.MarkdownString(look.tooltip);
      return item;
    },
    async resolveTreeItem(item, node, token) {
      const instance = instanceOf(node);
      if (!instance || item.tooltip !== undefined) return item;
      let platformIdentifier = instance.platformIdentifier ?? platforms.get(instance.arn);
      try {
        if (!platformIdentifier) {
          const { api } = await session(connection, logger);
          platformIdentifier = (await api.describeInstance(instance.region, instance.name)).platformIdentifier;
          // Kept for the row's next redraw (its AL2 mark); not redrawn now, which would close this hover.
          if (platformIdentifier && !token.isCancellationRequested) platforms.set(instance.arn, platformIdentifier);
        }
      } catch (error) {
        logger.debug(`Describe on hover of ${instance.name} failed: ${(error as Error)?.message}`);
      }
      item.tooltip = new vscode.MarkdownString(instanceLook({ ...instance, platformIdentifier }, new Date(), vscode.l10n).tooltip);
      return item;
    },
    setPrompter: (p) => (prompter = p),
    dispose: () => {
      for (const d of disposables) d.dispose();
    },
  };
}
