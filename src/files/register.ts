// The instance files feature, wired: the file system behind the `sagemaker-notebook` scheme (registered by
// the activation shell, which hands every call here once main is loaded), its watcher, and the
// "Open Instance Files" command that adds an instance's Jupyter root as a workspace folder.
import vscode = require('vscode');
import { chooseInstance } from '../notebooks/chooseInstance';
import type { JupyterConnections } from '../jupyter/connections';
import type { Logger } from '../shared/log';
import type { ConnectionManager } from '../aws/connectionManager';
import type { InstanceStore } from '../notebooks/instanceStore';
import type { NotebookInstance } from '../shared/instance';
import type { NotebookOpener } from '../open/opener';
import type { NotebookInterface } from '../open/urls';
import type { Ui } from '../shared/ui';
import { InstanceFileSystem } from './fileSystem';
import { authorityOf, parseParts, SCHEME, uriPath, type InstanceFolder, type InstancePath } from './uri';
import { FileWatcher } from './watcher';

export interface FilesDeps {
  readonly connections: JupyterConnections<{ instance: NotebookInstance; ui: NotebookInterface }>;
  readonly connection: ConnectionManager;
  readonly instances: InstanceStore;
  readonly opener: NotebookOpener;
  readonly ui: Ui;
  readonly logger: Logger;
  /** The page the connection signs in at when files are its first user. */
  notebookInterface(): NotebookInterface;
  /** The shell's event, which VS Code listens to (the provider it registered forwards to this one). */
  readonly changed: vscode.EventEmitter<vscode.FileChangeEvent[]>;
}

export interface Files extends vscode.Disposable {
  readonly provider: InstanceFileSystem;
  readonly watcher: FileWatcher;
  /** The command `sagemakerNotebooks.openFiles`. */
  readonly openFiles: (node?: unknown) => Promise<void>;
  /** Where a `sagemaker-notebook` URI points: profile, region, instance and path; undefined for any other URI. */
  locate(uri: vscode.Uri): InstancePath | undefined;
  /** The instance of one of its files, under the active profile (undefined for another profile's or another URI). */
  instanceOf(uri: vscode.Uri): Promise<NotebookInstance | undefined>;
  /** Contents API requests made for an instance folder so far (tests and the benchmark count them). */
  requests(folder: InstanceFolder): number;
}

const START_POLL_MS = [2_000, 3_000, 5_000, 10_000];

export function registerFiles(deps: FilesDeps): Files {
  const { connection: aws, instances, ui, logger } = deps;
  const describe = async (region: string, name: string): Promise<NotebookInstance> => {
    const connection = await aws.current();
    if (connection.kind !== 'ready') throw new Error(connection.message);
    const fresh = await connection.api.describeInstance(region, name);
    instances.updateInstance(fresh);
    return fresh;
  };
  const provider: InstanceFileSystem = new InstanceFileSystem({
    activeProfile: () => aws.profile,
    describe: async (region, name) => {
      // The view's InService is trusted (no request); anything else is asked again.
      const known = instances.knownInstances().find((i) => i.region === region && i.name === name);
      return known?.status === 'InService' ? known : describe(region, name);
    },
    acquire: (profile, instance) => deps.connections.acquire({ profile, arn: instance.arn }, { instance, ui: deps.notebookInterface() }),
    startAndWait: async (instance) => {
      await deps.opener.startInstance(instance);
      return ui.progress(
        {
          location: vscode.ProgressLocation.Notification,
          title: vscode.l10n.t('Waiting for {0} to start', instance.name),
          cancellable: true,
        },
        async (progress, token) => {
          for (let attempt = 0; !token.isCancellationRequested; attempt++) {
            await new Promise((resolve) => setTimeout(resolve, START_POLL_MS[Math.min(attempt, START_POLL_MS.length - 1)]));
            const now = await describe(instance.region, instance.name);
            progress.report({ message: vscode.l10n.t('now {0}', now.status) });
            if (now.status === 'InService' || now.status === 'Failed' || now.status === 'Stopped') return now;
          }
          return undefined;
        },
      );
    },
    refresh: (folder) => {
      const uri = folderUri(folder);
      provider.forget(uri);
      provider.fire([{ type: vscode.FileChangeType.Changed, uri }]);
      // The Explorer does not read a root again on a change event once the root failed: ask it to.
      void vscode.commands.executeCommand('workbench.files.action.refreshFilesExplorer').then(undefined, () => undefined);
    },
    ui,
    logger,
  });
  const watcher = new FileWatcher({
    fs: provider,
    logger,
    openUris: () => [...vscode.workspace.textDocuments.map((d) => d.uri), ...vscode.workspace.notebookDocuments.map((d) => d.uri)],
    focused: () => vscode.window.state.focused,
  });
  provider.watcher = watcher;
  const subscriptions = [
    provider,
    watcher,
    provider.onDidChangeFile((events) => deps.changed.fire(events)),
    vscode.window.onDidChangeWindowState((w) => watcher.focusChanged(w.focused)),
  ];

  const openFiles = async (node?: unknown) => {
    const instance = await chooseInstance({ instances, ui }, node, vscode.l10n.t('Notebook instance whose files to open'));
    if (!instance) return;
    const folder: InstanceFolder = { profile: aws.profile, region: instance.region, instance: instance.name };
    const uri = folderUri(folder);
    const existing = vscode.workspace.getWorkspaceFolder(uri);
    if (existing && existing.uri.toString() === uri.toString()) {
      await vscode.commands.executeCommand('revealInExplorer', uri);
      return;
    }
    const at = vscode.workspace.workspaceFolders?.length ?? 0;
    logger.info(`Files: adding ${instance.name} (${instance.region}) as a workspace folder`);
    // With no folder open, VS Code restarts the extension host into the new workspace: the folder then
    // reconnects through the provider (activation onFileSystem:sagemaker-notebook).
    if (!vscode.workspace.updateWorkspaceFolders(at, 0, { uri, name: vscode.l10n.t('{0} (SageMaker)', instance.name) })) {
      throw new Error(vscode.l10n.t('VS Code did not add the folder of {0}.', instance.name));
    }
    await vscode.commands.executeCommand('workbench.view.explorer');
  };

  const locate = (uri: vscode.Uri): InstancePath | undefined => (uri.scheme === SCHEME ? parseParts(uri.authority, uri.path) : undefined);
  return {
    provider,
    watcher,
    openFiles,
    locate,
    instanceOf: async (uri) => {
      const at = locate(uri);
      if (!at || at.profile !== aws.profile) return undefined;
      const known = instances.knownInstances().find((i) => i.region === at.region && i.name === at.instance);
      return known?.status === 'InService' ? known : describe(at.region, at.instance);
    },
    requests: (folder) =>
      provider
        .knownFolders()
        .find((f) => f.folder.instance === folder.instance && f.folder.region === folder.region && f.folder.profile === folder.profile)
        ?.requests ?? 0,
    dispose: () => {
      for (const s of subscriptions) s.dispose();
    },
  };
}

export function folderUri(folder: InstanceFolder): vscode.Uri {
  return vscode.Uri.from({ scheme: SCHEME, authority: authorityOf(folder.profile, folder.region), path: uriPath(folder.instance, '') });
}
