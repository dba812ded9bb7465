// Composition root, in its own bundle (dist/main.js): the activation shell (extension.ts) requires it the
// first time the view asks for rows, a command runs or a tracked session needs its timer. It builds the
// services and wires them to the view and the commands the shell registered. No network and no AWS SDK here
// either; the SDK bundle is required the first time data is needed.
import vscode = require('vscode');
import { connect, type Connection } from './aws/connection';
import { loadSdk } from './aws/loadSdk';
import { mfaPrompt } from './aws/mfaPrompt';
import { activeProfileName } from './aws/profiles';
import { openConfigFile, selectProfile, selectRegions, setFilter, ssoLogin } from './commands/connectionCommands';
import { copyText, openInConsole } from './commands/instanceCommands';
import { chooseInstance, instanceOf, openCommand, startCommand, stopCommand } from './commands/openCommands';
import { commandHandler } from './commands/runCommand';
import { channelLogger } from './log';
import { viewDescription, type ExplorerState } from './notebooks/explorerState';
import { describeFilter, isActive } from './notebooks/filter';
import { InstancesTreeProvider, type ExplorerNode } from './notebooks/instancesTree';
import type { NotebookInstance } from './notebooks/model';
import { systemClock } from './shared/clock';
import { windowUi, type Ui } from './shared/ui';
import { UiRecorder } from './shared/uiRecorder';
import type { NotebookSession } from './session/session';
import { SessionStore } from './session/sessionStore';
import { SessionTimer } from './session/sessionTimer';
import { NotebookPanels } from './open/editorPanel';
import { NotebookOpener } from './open/opener';
import { loadProxy } from './open/loadProxy';
import { effectiveEndpoint, interfaceUrl, isLoopbackUrl, losesToken, type NotebookInterface } from './open/urls';
import { JupyterConnections } from './jupyter/connections';
import type { ConnectionState } from './jupyter/connection';
import { Agent as HttpAgent } from 'http';
import { Agent as HttpsAgent } from 'https';
import { endpointFor } from './aws/endpoints';
import { readOpenSettings, readSettings, readWarningMinutes, reportIgnoredWorkspaceSettings } from './settings';
import { UserFacingError } from './aws/errors';
import { registerTerminals, type TerminalProbe } from './terminal/terminals';

const INTEGRATED_BROWSER = 'workbench.action.browser.open';

/** Whether this VS Code has the Integrated Browser (1.10x forks and older versions do not). */
async function hasIntegratedBrowser(): Promise<boolean> {
  return (await vscode.commands.getCommands(true)).includes(INTEGRATED_BROWSER);
}

/** What the activation shell hands over: the tree view it created and the event that view listens to. */
export interface Shell {
  readonly view: vscode.TreeView<ExplorerNode>;
  readonly treeChanged: vscode.EventEmitter<ExplorerNode | undefined>;
}

export type CommandHandler = (...args: unknown[]) => Promise<unknown>;

export interface Services {
  /** Every command of package.json by id, each already inside the one error wrapper. */
  readonly commands: ReadonlyMap<string, CommandHandler>;
  readonly api: ExtensionApi;
  /** "New Terminal ▸ SageMaker instance…" (the shell registers the provider). */
  readonly terminalProfile: () => vscode.TerminalProfile;
}

export function start(context: vscode.ExtensionContext, { view, treeChanged }: Shell): Services {
    const channel = vscode.window.createOutputChannel('SageMaker Notebooks', { log: true });
    const logger = channelLogger(channel);
    context.subscriptions.push(channel);
    const env = process.env;

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
          warn(vscode.l10n.t('Could not open the notebook in the browser: this VS Code forwards local addresses without their sign-in token. Use Open in VS Code, or start code-server with the environment variable VSCODE_PROXY_URI set to an empty value.'));
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
    const activeProfile = () => activeProfileName(readSettings().profile, env);
    const getConnection = async (): Promise<Connection> => {
      const settings = readSettings(warn);
      void hasIntegratedBrowser().then((has) => vscode.commands.executeCommand('setContext', 'sagemakerNotebooks.integratedBrowser', has));
      void reportIgnoredWorkspaceSettings(warn);
      return connect(settings, { sdk: loadSdk, env, logger, mfaCode: mfaPrompt(ui), l10n: vscode.l10n });
    };

    const tree = new InstancesTreeProvider(getConnection, logger);
    context.subscriptions.push(tree, tree.onDidChangeTreeData((node) => treeChanged.fire(node)));

    // The profile and regions in force, in the status bar while the view is visible: the view's own
    // description is cut off when the sidebar is narrow.
    const profileItem = ui.statusItem('sagemakerNotebooks.profile', vscode.StatusBarAlignment.Left, 49);
    profileItem.name = vscode.l10n.t('SageMaker Profile');
    profileItem.command = 'sagemakerNotebooks.selectProfile';
    context.subscriptions.push(profileItem);

    let state: ExplorerState = { kind: 'loading' };
    const showState = () => {
      const where = viewDescription(state);
      profileItem.text = `$(account) ${where ?? ''}`;
      profileItem.tooltip = vscode.l10n.t('AWS profile and regions of the SageMaker Notebooks view. Click to select another profile.');
      profileItem.accessibilityInformation = { label: vscode.l10n.t('AWS profile {0}', where ?? '') };
      if (view.visible && where) profileItem.show();
      else profileItem.hide();
      view.description = where;
      view.message = describeFilter(tree.filter, vscode.l10n);
      void vscode.commands.executeCommand('setContext', 'sagemakerNotebooks.state', state.kind);
      void vscode.commands.executeCommand('setContext', 'sagemakerNotebooks.filtered', isActive(tree.filter));
    };
    context.subscriptions.push(
      tree.onDidChangeState((s) => {
        state = s;
        if (s.message) logger.info(`Explorer: ${s.kind}: ${s.message}`);
        showState();
      }),
      view.onDidChangeVisibility((e) => {
        tree.setVisible(e.visible);
        showState();
      }),
    );

    const commandDeps = {
      logger,
      ui,
      showLog: () => channel.show(),
      context: () => ({ profile: state.profile ?? activeProfile() }),
      ended: recorder && ((id: string, outcome: Parameters<UiRecorder['commandEnded']>[1]) => recorder.commandEnded(id, outcome)),
    };
    const connectionDeps = { sdk: loadSdk, tree, env, ui };
    const choosing = { tree, ui };
    // One Jupyter connection per (profile, instance), shared by its tabs (and next by kernels, files and
    // terminals); it mints its own presigned URLs through the opener's checks and renews itself.
    const autoRenew = () => vscode.workspace.getConfiguration('sagemakerNotebooks').get<boolean>('autoRenew', true) !== false;
    const connections = new JupyterConnections<{ instance: NotebookInstance; ui: NotebookInterface }>((key, { instance, ui }) => {
      const { JupyterConnection } = loadProxy();
      return new JupyterConnection({
        presign: async () => {
          const seconds = readOpenSettings(warn).sessionMinutes * 60;
          return { url: interfaceUrl(await opener.presign(instance, seconds), ui), sessionSeconds: seconds };
        },
        agentFor: async (url) => {
          const connection = await tree.currentConnection();
          if (connection.kind === 'ready') return connection.api.notebookAgent(url);
          return url.startsWith('https:') ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
        },
        logger,
        clock: systemClock,
        autoRenew,
        // Renewed a minute before the timer would warn, so a session the extension holds never warns.
        renewMarginMs: (readWarningMinutes() + 1) * 60_000,
      });
    }, logger);
    context.subscriptions.push(connections);
    const panels: NotebookPanels = new NotebookPanels({
      extensionUri: context.extensionUri,
      logger,
      startProxy: (options) => loadProxy().startNotebookProxy(options),
      connect: (instance, ui) => connections.acquire({ profile: state.profile ?? activeProfile(), arn: instance.arn }, { instance, ui }),
      autoRenew,
      externalUri,
      openInBrowser: (instance) => opener.open(instance, { target: 'browser' }),
      timeLeft: (arn) => sessions.timeLeft(arn),
    });
    const opener: NotebookOpener = new NotebookOpener({
      connection: () => tree.currentConnection(),
      instances: tree,
      settings: () => readOpenSettings(warn),
      endpoint: (region) => {
        const settings = readSettings();
        const choice = endpointFor(settings.endpoint, region, settings.regions);
        return effectiveEndpoint(choice.kind === 'use' ? choice.url : undefined, env);
      },
      targets: {
        browser: (url) => ui.openExternal(url),
        editor: (instance, ui, reopen) => panels.show(instance, ui, reopen),
        integratedBrowser: async (url) => {
          if (!(await hasIntegratedBrowser())) return false;
          await vscode.commands.executeCommand(INTEGRATED_BROWSER, url); // a string, like openExternal above
          return true;
        },
      },
      onOpened: async (session) => {
        await sessions.started(session);
        sessionsListener(session);
      },
      ui,
      logger,
    });
    let sessionsListener: (session: NotebookSession) => void = () => undefined;
    context.subscriptions.push(panels);

    const sessionInstance = (s: NotebookSession): NotebookInstance => {
      if (state.profile && s.profile !== state.profile) {
        throw new UserFacingError(vscode.l10n.t('The session of {0} belongs to profile "{1}". Select that profile to renew or stop it.', s.name, s.profile));
      }
      return tree.findInstance(s.arn) ?? { name: s.name, arn: s.arn, region: s.region, status: 'InService' };
    };
    const sessions = new SessionTimer(
      new SessionStore(context.globalState),
      {
        renew: (s) => opener.open(sessionInstance(s), { target: s.target, ui: s.ui }),
        reopen: (s) => (s.target === 'editor' && panels.reveal(s.arn) ? Promise.resolve() : opener.open(sessionInstance(s), { target: s.target, ui: s.ui })),
        stopInstance: async (s) => {
          if (await opener.stop(sessionInstance(s))) await sessions.endInstance(s.arn, s.profile, 'instance stopped');
        },
        ended: (s) => panels.close(s.arn),
      },
      () => readWarningMinutes(),
      systemClock,
      logger,
      ui,
    );
    context.subscriptions.push(
      sessions,
      vscode.window.onDidChangeWindowState((w) => w.focused && sessions.reload()),
      sessions.onDidUpdate(() => {
        for (const s of sessions.sessions()) if (s.target === 'editor') panels.postTimeLeft(s.arn, sessions.timeLeft(s.arn) ?? '');
      }),
      tree.onDidSeeInstances(({ instances, removed }) => {
        const profile = state.profile;
        if (!profile) return;
        for (const i of instances) {
          if (!['Stopping', 'Stopped', 'Failed', 'Deleting'].includes(i.status)) continue;
          void sessions.endInstance(i.arn, profile, `instance ${i.status}`);
          connections.end((k) => k.arn === i.arn, 'stopped', vscode.l10n.t('{0} is {1}.', i.name, i.status));
        }
        for (const arn of removed) {
          void sessions.endInstance(arn, profile, 'instance no longer exists');
          connections.end((k) => k.arn === arn, 'stopped', vscode.l10n.t('The notebook instance no longer exists.'));
        }
      }),
      tree.onDidChangeState((s) => {
        if (s.profile) connections.end((k) => k.profile !== s.profile, 'signedOut', vscode.l10n.t('Another AWS profile was selected.'));
      }),
      // A connection's renewal is a new session for the timer, held by the extension and renewing itself.
      connections.onDidCreate((key, connection) => {
        connection.onDidRenew((open) => {
          const held = sessions.sessions().find((x) => x.arn === key.arn && x.profile === key.profile && x.target === 'editor');
          if (held) void sessions.started({ ...held, startedAt: open.startedAt, expiresAt: open.endsAt, renews: autoRenew() });
        });
      }),
    );
    const commands = new Map<string, CommandHandler>();
    const register = (id: string, handler: (...args: any[]) => unknown) => commands.set(id, commandHandler(commandDeps, id, handler));
    register('sagemakerNotebooks.refresh', () => tree.refresh());
    register('sagemakerNotebooks.selectProfile', () => selectProfile(connectionDeps));
    register('sagemakerNotebooks.selectRegions', () => selectRegions(connectionDeps));
    register('sagemakerNotebooks.filter', async () => { await setFilter(tree, ui); showState(); });
    register('sagemakerNotebooks.clearFilter', () => { tree.setFilter({}); showState(); });
    register('sagemakerNotebooks.copyName', async (node?: unknown) => {
      const instance = await chooseInstance(choosing, node, vscode.l10n.t('Notebook instance whose name to copy'));
      if (instance) await copyText(instance.name, ui);
    });
    register('sagemakerNotebooks.copyArn', async (node?: unknown) => {
      const instance = await chooseInstance(choosing, node, vscode.l10n.t('Notebook instance whose ARN to copy'));
      if (instance) await copyText(instance.arn, ui);
    });
    register('sagemakerNotebooks.openInConsole', async (node?: { region?: string }) => {
      const target = !instanceOf(node) && node?.region ? { region: node.region } : await chooseInstance(choosing, node, vscode.l10n.t('Notebook instance to show in the AWS console'));
      if (target) await openInConsole(target, ui);
    });
    register('sagemakerNotebooks.openConfigFile', () => openConfigFile(env));
    register('sagemakerNotebooks.ssoLogin', () => ssoLogin(state.profile ?? 'default'));
    register('sagemakerNotebooks.showLog', () => channel.show());
    register('sagemakerNotebooks.open', openCommand(choosing, opener));
    register('sagemakerNotebooks.openInBrowser', openCommand(choosing, opener, { target: 'browser' }));
    register('sagemakerNotebooks.openInEditor', openCommand(choosing, opener, { target: 'editor' }));
    register('sagemakerNotebooks.openInIntegratedBrowser', openCommand(choosing, opener, { target: 'integratedBrowser' }));
    register('sagemakerNotebooks.openInJupyterLab', openCommand(choosing, opener, { ui: 'jupyterlab' }));
    register('sagemakerNotebooks.openInJupyter', openCommand(choosing, opener, { ui: 'jupyter' }));
    register('sagemakerNotebooks.start', startCommand(choosing, opener));
    register('sagemakerNotebooks.stop', stopCommand(choosing, opener));
    register('sagemakerNotebooks.showSessions', () => sessions.showSessions());
    const terminals = registerTerminals({
      ui,
      logger,
      recordOutput: recorder !== undefined,
      choose: (node, placeHolder, accept) => chooseInstance(choosing, node, placeHolder, accept),
      connect: (instance) => connections.acquire({ profile: state.profile ?? activeProfile(), arn: instance.arn }, { instance, ui: readOpenSettings(warn).ui }),
    });
    context.subscriptions.push(terminals);
    for (const [id, handler] of Object.entries(terminals.commands)) register(id, handler);
    register('sagemakerNotebooks.renewSession', async (s?: NotebookSession) => {
      const session = s ?? (await sessions.pick(vscode.l10n.t('Session to renew')));
      if (session) await opener.open(sessionInstance(session), { target: session.target, ui: session.ui });
    });

    context.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        const keys = ['sagemakerNotebooks.profile', 'sagemakerNotebooks.regions', 'sagemakerNotebooks.regionsByProfile', 'sagemakerNotebooks.endpoint', 'http.proxy', 'http.noProxy', 'http.proxyStrictSSL'];
        if (keys.some((k) => e.affectsConfiguration(k))) tree.refresh(); // a new connection: new clients and agents
      }),
    );
    const api: ExtensionApi = {
      profileItem,
      tree,
      opener,
      panels,
      sessions,
      testing: recorder && {
        connectionState: (arn) => connections.find({ profile: state.profile ?? activeProfile(), arn })?.state,
        ui: recorder,
        logLevel: () => channel.logLevel,
        userDataDir: () => vscode.Uri.joinPath(context.globalStorageUri, '..', '..', '..').fsPath,
        userSettingsFile: () => vscode.Uri.joinPath(context.globalStorageUri, '..', '..', 'settings.json').fsPath,
        logsRoot: () => vscode.Uri.joinPath(context.logUri, '..', '..').fsPath,
        globalStateJson: () => JSON.stringify(context.globalState.keys().map((k) => [k, context.globalState.get(k)])),
        onSessionStarted: (fn) => (sessionsListener = fn),
        commandIds: () => [...commands.keys()],
        terminals: () => terminals.probes(),
      },
    };
    return { commands, api, terminalProfile: () => terminals.provideProfile() };
}

/** Returned from activate() (through the shell) so integration tests can reach the live services. */
export interface ExtensionApi {
  readonly profileItem: vscode.StatusBarItem;
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
  onSessionStarted(fn: (session: NotebookSession) => void): void;
  /** The live terminals on instances, oldest first. */
  terminals(): TerminalProbe[];
  /** The commands main.ts has a handler for (the shell registers package.json's). */
  commandIds(): string[];
  globalStateJson(): string;
  /** The level of the extension's log channel. */
  logLevel(): vscode.LogLevel;
  /** The window's log folder, which holds this extension's log channel. */
  logsRoot(): string;
  /** VS Code's user-data folder: user and machine settings, global and workspace storage, logs. */
  userDataDir(): string;
  userSettingsFile(): string;
}
