// Composition root: builds the services and registers them. No network and no AWS SDK here; the SDK
// bundle is required the first time the view or a command needs data.
import * as vscode from 'vscode';
import { connect, type Connection } from './aws/connection';
import { checkRegions } from './aws/regions';
import { loadSdk } from './aws/loadSdk';
import { openConfigFile, selectProfile, selectRegions, setFilter, ssoLogin } from './commands/connectionCommands';
import { copyArn, copyName, openInConsole } from './commands/instanceCommands';
import { registerCommand } from './commands/runCommand';
import { channelLogger } from './log';
import { viewDescription, type ExplorerState } from './notebooks/explorerState';
import { describeFilter, isActive } from './notebooks/filter';
import { InstancesTreeProvider } from './notebooks/instancesTree';
import { readSettings } from './settings';

export const VIEW_ID = 'sagemakerNotebooks.instances';

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  try {
    const channel = vscode.window.createOutputChannel('SageMaker Notebooks', { log: true });
    const logger = channelLogger(channel);
    context.subscriptions.push(channel);
    const env = process.env;

    const mfaCode = async (profile: string, serial: string): Promise<string> => {
      const code = await vscode.window.showInputBox({
        title: vscode.l10n.t('MFA code for profile {0}', profile),
        prompt: vscode.l10n.t('Enter the code from the MFA device {0}', serial),
        ignoreFocusOut: true,
        validateInput: (v) => (/^\d{6}$/.test(v.trim()) ? undefined : vscode.l10n.t('Enter the six digits of the code')),
      });
      if (code === undefined) throw new vscode.CancellationError();
      return code.trim();
    };

    const getConnection = async (): Promise<Connection> => {
      const settings = readSettings();
      const { valid, invalid } = checkRegions(settings.regions);
      if (invalid.length) {
        logger.warn(`Ignoring invalid region names in sagemakerNotebooks.regions: ${invalid.join(', ')}`);
        void vscode.window.showWarningMessage(vscode.l10n.t('Ignoring invalid region names in the setting sagemakerNotebooks.regions: {0}', invalid.join(', ')));
      }
      return connect({ ...settings, regions: valid }, { sdk: loadSdk, env, logger, mfaCode });
    };

    const tree = new InstancesTreeProvider(getConnection, logger);
    const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: tree, showCollapseAll: false });
    context.subscriptions.push(tree, view);

    let state: ExplorerState = { kind: 'loading' };
    const showState = () => {
      view.description = viewDescription(state, describeFilter(tree.filter));
      void vscode.commands.executeCommand('setContext', 'sagemakerNotebooks.state', state.kind);
      void vscode.commands.executeCommand('setContext', 'sagemakerNotebooks.filtered', isActive(tree.filter));
    };
    context.subscriptions.push(
      tree.onDidChangeState((s) => {
        state = s;
        if (s.message) logger.info(`Explorer: ${s.kind}: ${s.message}`);
        showState();
      }),
      view.onDidChangeVisibility((e) => tree.setVisible(e.visible)),
    );

    const commandDeps = {
      logger,
      showLog: () => channel.show(),
      context: () => ({ profile: state.profile ?? readSettings().profile ?? env.AWS_PROFILE ?? 'default' }),
    };
    const connectionDeps = { sdk: loadSdk, tree, env };
    const register = (id: string, handler: (...args: any[]) => unknown) => context.subscriptions.push(registerCommand(commandDeps, id, handler));
    register('sagemakerNotebooks.refresh', () => tree.refresh());
    register('sagemakerNotebooks.selectProfile', () => selectProfile(connectionDeps));
    register('sagemakerNotebooks.selectRegions', () => selectRegions(connectionDeps));
    register('sagemakerNotebooks.filter', async () => { await setFilter(tree); showState(); });
    register('sagemakerNotebooks.clearFilter', () => { tree.setFilter({}); showState(); });
    register('sagemakerNotebooks.copyName', copyName);
    register('sagemakerNotebooks.copyArn', copyArn);
    register('sagemakerNotebooks.openInConsole', (node) => openInConsole(node, vscode.env.openExternal));
    register('sagemakerNotebooks.openConfigFile', () => openConfigFile(env));
    register('sagemakerNotebooks.ssoLogin', () => ssoLogin(state.profile ?? 'default'));
    register('sagemakerNotebooks.showLog', () => channel.show());

    context.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (['profile', 'regions', 'endpoint'].some((k) => e.affectsConfiguration(`sagemakerNotebooks.${k}`))) tree.refresh();
      }),
    );
    return { tree };
  } catch (error) {
    void vscode.window.showErrorMessage(`SageMaker Notebooks failed to start: ${(error as Error).message}`);
    throw error;
  }
}

export function deactivate(): void {}

/** Returned from activate() so integration tests can reach the live services. */
export interface ExtensionApi {
  readonly tree: InstancesTreeProvider;
}
