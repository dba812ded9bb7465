// Activation shell: what VS Code loads when the view opens or a command runs. It registers the view and
// every command package.json contributes, and requires the services (dist/main.js, built from main.ts) on
// their first use: the first rows the view asks for, the first command, or a tracked session whose timer
// must show. Activation itself then costs about what an empty extension costs (`npm run bench`).
import vscode = require('vscode');
import type * as Main from './main';
import type { ExtensionApi, Services } from './main';
import type { ExplorerNode } from './notebooks/instancesTree';
import type { LifecycleNode } from './manage/lifecycleTree';
import { SESSIONS_KEY } from './session/sessionStore';
import { FILES_SCHEME, lazyFileSystem } from './files/lazyProvider';
import { BINDINGS_KEY } from './kernels/bindings';

const VIEW_ID = 'sagemakerNotebooks.instances';

function activate(context: vscode.ExtensionContext): ExtensionApi | undefined {
  try {
    let services: Services | undefined;
    const treeChanged = new vscode.EventEmitter<ExplorerNode | undefined>();
    const filesChanged = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
    const load = (): Services => {
      if (services) return services;
      try {
        // A path esbuild leaves alone, so main.ts stays out of this bundle.
        services = (require(`${__dirname}/main.js`) as typeof Main).start(context, { view, treeChanged, filesChanged, lifecycleChanged });
        return services;
      } catch (error) {
        reportStartFailure(error);
        throw error;
      }
    };

    const view = vscode.window.createTreeView<ExplorerNode>(VIEW_ID, {
      treeDataProvider: {
        onDidChangeTreeData: treeChanged.event,
        getChildren: (node) => load().api.tree.getChildren(node),
        getTreeItem: (node) => load().manage.treeItem(load().api.tree.getTreeItem(node), node),
        getParent: (node) => load().api.tree.getParent(node),
        resolveTreeItem: (item, node, token) => load().manage.resolveTreeItem(item, node, token),
      },
      showCollapseAll: false,
    });
    context.subscriptions.push(treeChanged, view);
    // Instance folders (a reload, a saved workspace) reach their files through this from the start.
    context.subscriptions.push(
      filesChanged,
      vscode.workspace.registerFileSystemProvider(
        FILES_SCHEME,
        lazyFileSystem(() => load().files, filesChanged),
        { isCaseSensitive: true },
      ),
    );
    const lifecycleChanged = new vscode.EventEmitter<LifecycleNode | undefined>();
    const lifecycleView = vscode.window.createTreeView<LifecycleNode>('sagemakerNotebooks.lifecycleConfigs', {
      treeDataProvider: {
        onDidChangeTreeData: lifecycleChanged.event,
        getChildren: (node) => load().manage.lifecycleTree.getChildren(node),
        getTreeItem: (node) => load().manage.lifecycleTree.getTreeItem(node),
      },
    });
    context.subscriptions.push(lifecycleChanged, lifecycleView);

    const contributed: { command: string }[] = context.extension.packageJSON?.contributes?.commands ?? [];
    for (const { command } of contributed) {
      context.subscriptions.push(
        vscode.commands.registerCommand(command, (...args: unknown[]) => {
          const handler = load().commands.get(command);
          if (!handler) throw new Error(`${command} has no handler`); // a manifest/main.ts mismatch; a unit test pins them equal
          return handler(...args);
        }),
      );
    }

    // "New Terminal ▸ SageMaker instance…": the services load when it is chosen, not before.
    context.subscriptions.push(
      vscode.window.registerTerminalProfileProvider('sagemakerNotebooks.instanceTerminal', {
        provideTerminalProfile: () => load().terminalProfile(),
      }),
    );

    // A session tracked before a reload or restart: its timer shows as soon as the extension is active.
    // A local notebook of this workspace that runs on an instance's kernel (onNotebook activation): its controller
    // must be there when it opens. A workspace without one loads nothing more: no request, no SDK.
    const bound = Object.keys(context.workspaceState.get<Record<string, unknown>>(BINDINGS_KEY) ?? {}).length > 0;
    if (context.globalState.get<unknown[]>(SESSIONS_KEY)?.length || bound) {
      try {
        load();
      } catch {
        // Reported by load(); the view and the commands stay registered and try again when used.
      }
    }

    // The services reach URLs, the proxy's secret and the notebook's session: the integration suite needs
    // them, no other extension may have them. VS Code sets Test only for the extension under development
    // while an extensionTestsPath suite runs; the installed extension returns nothing.
    if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
    return {
      get profileItem() {
        return load().api.profileItem;
      },
      get connection() {
        return load().api.connection;
      },
      get instances() {
        return load().api.instances;
      },
      get tree() {
        return load().api.tree;
      },
      get opener() {
        return load().api.opener;
      },
      get panels() {
        return load().api.panels;
      },
      get sessions() {
        return load().api.sessions;
      },
      get testing() {
        return load().api.testing;
      },
    };
  } catch (error) {
    reportStartFailure(error);
    throw error;
  }
}

function reportStartFailure(error: unknown): void {
  void vscode.window.showErrorMessage(vscode.l10n.t('SageMaker Notebooks failed to start: {0}', (error as Error).message));
}

function deactivate(): void {}

// `export =` rather than `export function`: esbuild then writes plain `module.exports`, without the ES-module
// interop helpers it otherwise puts in front (a measurable part of this file's require time).
export = { activate, deactivate };
