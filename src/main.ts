// Composition root, in its own bundle (dist/main.js): the activation shell (extension.ts) requires it the
// first time the view asks for rows, a command runs or a tracked session needs its timer. It only wires:
// every rule lives in the module it belongs to. No network and no AWS SDK here either; the SDK bundle is
// required the first time data is needed.
import vscode = require('vscode');
import { connect } from './aws/connection';
import { ConnectionManager } from './aws/connectionManager';
import { endpointFor } from './aws/endpoints';
import { loadSdk } from './aws/loadSdk';
import { mfaPrompt } from './aws/mfaPrompt';
import { activeProfileName } from './aws/profiles';
import { createCommands, sessionInstance, type Handler } from './commands';
import { wrapCommand } from './commands/runCommand';
import { registerFiles, type Files } from './files/register';
import type { KernelControllers } from './kernels/kernels';
import { registerKernels } from './kernels/register';
import { chooseInstance } from './notebooks/chooseInstance';
import type { ConnectionState } from './jupyter/connection';
import { InstanceStore } from './notebooks/instanceStore';
import { InstancesTreeProvider, type ExplorerNode } from './notebooks/instancesTree';
import { ViewHeader } from './notebooks/viewHeader';
import { NotebookPanels } from './open/editorPanel';
import { followInstances } from './open/heldSessions';
import { openInIntegratedBrowser, updateIntegratedBrowserContext } from './open/integratedBrowser';
import { createJupyterConnections } from './open/jupyterConnections';
import { loadProxy } from './open/loadProxy';
import { NotebookOpener } from './open/opener';
import { effectiveEndpoint, losesToken } from './open/urls';
import type { NotebookSession } from './session/session';
import { SessionStore } from './session/sessionStore';
import { SessionTimer } from './session/sessionTimer';
import {
  affectsConnection,
  readAutoRenew,
  readOpenSettings,
  readSettings,
  readWarningMinutes,
  reportIgnoredWorkspaceSettings,
} from './settings';
import { systemClock } from './shared/clock';
import { channelLogger } from './shared/log';
import { isLoopbackUrl } from './shared/loopback';
import { windowUi, type Ui } from './shared/ui';
import { UiRecorder } from './shared/uiRecorder';
import { registerTerminals, type TerminalProbe } from './terminal/terminals';
import { registerManage, type Manage } from './manage';
import type { LifecycleNode } from './manage/lifecycleTree';

/** What the activation shell hands over: the tree view it created and the event that view listens to. */
export interface Shell {
  readonly view: vscode.TreeView<ExplorerNode>;
  readonly treeChanged: vscode.EventEmitter<ExplorerNode | undefined>;
  readonly filesChanged: vscode.EventEmitter<vscode.FileChangeEvent[]>;
  /** The Lifecycle Configurations view's change event (src/manage fires it). */
  readonly lifecycleChanged: vscode.EventEmitter<LifecycleNode | undefined>;
}

export type CommandHandler = (...args: unknown[]) => Promise<unknown>;

export interface Services {
  /** Every command of package.json by id, each already inside the one error wrapper. */
  readonly commands: ReadonlyMap<string, CommandHandler>;
  readonly api: ExtensionApi;
  /** "New Terminal ▸ SageMaker instance…" (the shell registers the provider). */
  readonly terminalProfile: () => vscode.TerminalProfile;
  /** The `sagemaker-notebook` file system the shell registered. */
  readonly files: vscode.FileSystemProvider;
  readonly manage: Manage;
}

export function start(context: vscode.ExtensionContext, { view, treeChanged, filesChanged, lifecycleChanged }: Shell): Services {
  const channel = vscode.window.createOutputChannel('SageMaker Notebooks', { log: true });
  const logger = channelLogger(channel);
  const env = process.env;
  const subscriptions: vscode.Disposable[] = [channel];

  const externalUri = async (url: string): Promise<string | undefined> => {
    try {
      return (await vscode.env.asExternalUri(vscode.Uri.parse(url))).toString(true);
    } catch (error) {
      logger.debug(`asExternalUri refused a local address: ${(error as Error).message}`);
      return undefined;
    }
  };
  const window = windowUi();
  const checkedUi: Ui = {
    ...window,
    openExternal: async (url) => {
      // code-server (by default) replaces a loopback URL by its /proxy/<port>/ path and drops the query, and
      // with it the token: the page would only say "not signed in". Only a local endpoint's URLs are loopback.
      if (isLoopbackUrl(url) && losesToken(url, await externalUri(url))) {
        warn(
          vscode.l10n.t(
            'Could not open the notebook in the browser: this VS Code forwards local addresses without their sign-in token. Use Open in VS Code, or start code-server with the environment variable VSCODE_PROXY_URI set to an empty value.',
          ),
        );
        return false;
      }
      return window.openExternal(url);
    },
  };
  // Under the test runner every text shown is recorded (the shell exports the recorder in that mode only).
  const recorder = context.extensionMode === vscode.ExtensionMode.Test ? new UiRecorder(checkedUi) : undefined;
  const ui = recorder?.ui ?? checkedUi;
  const warn = (message: string) => {
    logger.warn(message);
    void ui.warn(message);
  };

  const connection = new ConnectionManager({
    open: () => {
      updateIntegratedBrowserContext();
      void reportIgnoredWorkspaceSettings(warn);
      return connect(readSettings(warn), { sdk: loadSdk, env, logger, mfaCode: mfaPrompt(ui), l10n: vscode.l10n });
    },
    configuredProfile: () => activeProfileName(readSettings().profile, env),
    logger,
    l10n: vscode.l10n,
  });
  const instances = new InstanceStore(connection, logger, vscode.l10n);
  const tree = new InstancesTreeProvider(connection, instances);
  const header = new ViewHeader(view, connection, tree, ui);
  subscriptions.push(
    connection,
    instances,
    tree,
    header,
    tree.onDidChangeTreeData((node) => treeChanged.fire(node)),
    connection.onDidChangeState((s) => s.message && logger.info(`Explorer: ${s.kind}: ${s.message}`)),
    view.onDidChangeVisibility((e) => instances.setVisible(e.visible)),
    vscode.workspace.onDidChangeConfiguration((e) => affectsConnection(e) && connection.refresh()),
  );

  const opened = new vscode.EventEmitter<NotebookSession>();
  const opener: NotebookOpener = new NotebookOpener({
    connection: () => connection.current(),
    instances,
    settings: () => readOpenSettings(warn),
    endpoint: (region) => {
      const settings = readSettings();
      const choice = endpointFor(settings.endpoint, region, settings.regions);
      return effectiveEndpoint(choice.kind === 'use' ? choice.url : undefined, env);
    },
    targets: {
      browser: (url) => ui.openExternal(url),
      editor: (instance, ui, reopen) => panels.show(instance, ui, reopen),
      integratedBrowser: openInIntegratedBrowser,
    },
    onOpened: async (session) => {
      await sessions.started(session);
      opened.fire(session);
    },
    ui,
    logger,
  });
  // One Jupyter connection per (profile, instance), shared by its tabs (and next by kernels, files and
  // terminals); it mints its own presigned URLs through the opener's checks and renews itself.
  const connections = createJupyterConnections({
    opener,
    connection,
    logger,
    sessionSeconds: () => readOpenSettings(warn).sessionMinutes * 60,
    autoRenew: readAutoRenew,
    warningMinutes: readWarningMinutes,
  });
  const panels: NotebookPanels = new NotebookPanels({
    extensionUri: context.extensionUri,
    logger,
    startProxy: (options) => loadProxy().startNotebookProxy(options),
    connect: (instance, ui) => connections.acquire({ profile: connection.profile, arn: instance.arn }, { instance, ui }),
    autoRenew: readAutoRenew,
    externalUri,
    openInBrowser: (instance) => opener.open(instance, { target: 'browser' }),
    timeLeft: (arn) => sessions.timeLeft(arn),
  });
  const sessions = new SessionTimer(
    new SessionStore(context.globalState),
    {
      renew: (s) => opener.open(sessionInstance(s, { connection, instances }), { target: s.target, ui: s.ui }),
      reopen: (s) =>
        s.target === 'editor' && panels.reveal(s.arn)
          ? Promise.resolve()
          : opener.open(sessionInstance(s, { connection, instances }), { target: s.target, ui: s.ui }),
      stopInstance: async (s) => {
        if (await opener.confirmAndStop(sessionInstance(s, { connection, instances })))
          await sessions.endInstance(s.arn, s.profile, 'instance stopped');
      },
      // A tab whose session ran out stays, saying so, with Renew (src/open/editorPanel.ts), unless it renews itself.
      ended: (s, reason) => (reason !== 'expired' || readAutoRenew()) && panels.close(s.arn),
    },
    readWarningMinutes,
    systemClock,
    logger,
    ui,
  );
  subscriptions.push(
    opened,
    connections,
    panels,
    sessions,
    vscode.window.onDidChangeWindowState((w) => w.focused && sessions.reload()),
    sessions.onDidUpdate(() => {
      for (const s of sessions.sessions()) if (s.target === 'editor') panels.postTimeLeft(s.arn, sessions.timeLeft(s.arn) ?? '');
    }),
    ...followInstances({ connection, instances, sessions, connections, autoRenew: readAutoRenew }),
  );

  // The instance's files in the Explorer: the file system behind the `sagemaker-notebook` scheme.
  const files = registerFiles({
    connections,
    connection,
    instances,
    opener,
    ui,
    logger,
    notebookInterface: () => readOpenSettings(warn).ui,
    changed: filesChanged,
  });
  subscriptions.push(files);
  // The instance's kernels in VS Code's notebook editor.
  const kernels = registerKernels({
    logger,
    ui,
    state: context.workspaceState,
    profile: () => connection.profile,
    findInstance: (arn) => instances.findInstance(arn),
    connect: (instance) =>
      connections.acquire({ profile: connection.profile, arn: instance.arn }, { instance, ui: readOpenSettings(warn).ui }),
    readyToUse: (instance) => opener.readyToUse(instance),
    chooseInstance: (node, placeHolder) => chooseInstance({ instances, ui }, node, placeHolder),
    // A notebook of the instance's own files runs where it lives, on that instance's kernel.
    pathOnInstance: (uri) => files.locate(uri)?.path,
    instanceOfFile: (uri) => files.instanceOf(uri),
  });
  subscriptions.push(kernels.kernels);
  // A terminal on the instance in VS Code's terminal panel.
  const terminals = registerTerminals({
    ui,
    logger,
    recordOutput: recorder !== undefined,
    choose: (node, placeHolder, accept) => chooseInstance({ instances, ui }, node, placeHolder, accept),
    connect: (instance) =>
      connections.acquire({ profile: connection.profile, arn: instance.arn }, { instance, ui: readOpenSettings(warn).ui }),
  });
  subscriptions.push(terminals);

  // Create, update, delete, lifecycle configurations, startup logs.
  const manage = registerManage({
    connection,
    instances,
    ui,
    logger,
    open: (instance) => opener.open(instance),
    lifecycleChanged,
    redraw: () => treeChanged.fire(undefined),
    visible: () => view.visible,
  });
  subscriptions.push(manage);

  const table: Record<string, Handler> = {
    ...createCommands({ connection, instances, tree, opener, sessions, sdk: loadSdk, env, ui, showLog: () => channel.show() }),
    'sagemakerNotebooks.openFiles': files.openFiles,
    ...kernels.commands,
    ...terminals.commands,
    ...manage.commands,
  };
  const commandDeps = {
    logger,
    ui,
    showLog: () => channel.show(),
    context: () => ({ profile: connection.profile }),
    ended: recorder && ((id: string, outcome: Parameters<UiRecorder['commandEnded']>[1]) => recorder.commandEnded(id, outcome)),
  };
  const commands = new Map(Object.entries(table).map(([id, handler]) => [id, wrapCommand(commandDeps, id, handler)]));
  context.subscriptions.push(...subscriptions);

  const api: ExtensionApi = {
    profileItem: header.profileItem,
    connection,
    instances,
    tree,
    opener,
    panels,
    sessions,
    testing: recorder && {
      connectionState: (arn) => connections.find({ profile: connection.profile, arn })?.state,
      ui: recorder,
      logLevel: () => channel.logLevel,
      userDataDir: () => vscode.Uri.joinPath(context.globalStorageUri, '..', '..', '..').fsPath,
      userSettingsFile: () => vscode.Uri.joinPath(context.globalStorageUri, '..', '..', 'settings.json').fsPath,
      logsRoot: () => vscode.Uri.joinPath(context.logUri, '..', '..').fsPath,
      globalStateJson: () => JSON.stringify(context.globalState.keys().map((k) => [k, context.globalState.get(k)])),
      onSessionStarted: opened.event,
      commandIds: () => [...commands.keys()],
      files,
      kernels: kernels.kernels,
      terminals: () => terminals.probes(),
      manage,
    },
  };
  return { commands, api, files: files.provider, manage, terminalProfile: () => terminals.provideProfile() };
}

/** Returned from activate() (through the shell) to the integration tests only (ExtensionMode.Test). */
export interface ExtensionApi {
  readonly profileItem: vscode.StatusBarItem;
  readonly connection: ConnectionManager;
  readonly instances: InstanceStore;
  readonly tree: InstancesTreeProvider;
  readonly opener: NotebookOpener;
  readonly panels: NotebookPanels;
  readonly sessions: SessionTimer;
  /** Under the test runner only (ExtensionMode.Test): what the integration tests observe and answer. */
  readonly testing: Testing | undefined;
}

export interface Testing {
  /** Every text shown, the questions asked, the URLs handed to the browser, and each command's outcome. */
  readonly ui: UiRecorder;
  /** The state of the instance's Jupyter connection under the active profile; undefined when it has none. */
  connectionState(arn: string): ConnectionState | undefined;
  /** Fires for every session an open started. */
  readonly onSessionStarted: vscode.Event<NotebookSession>;
  /** The commands main.ts has a handler for (the shell registers package.json's). */
  commandIds(): string[];
  /** The live terminals on instances, oldest first. */
  terminals(): TerminalProbe[];
  globalStateJson(): string;
  /** The level of the extension's log channel. */
  logLevel(): vscode.LogLevel;
  /** The window's log folder, which holds this extension's log channel. */
  logsRoot(): string;
  /** VS Code's user-data folder: user and machine settings, global and workspace storage, logs. */
  userDataDir(): string;
  userSettingsFile(): string;
  /** The instance files feature: its provider, watcher and request counts. */
  readonly files: Files;
  /** The notebook kernels (controllers, states, attached kernels). */
  readonly kernels: KernelControllers;
  /** Management (src/manage): its startup logs, and where tests put a scripted wizard prompter. */
  readonly manage: Manage;
}
