// Every command of package.json, from one table: id → handler. main.ts wraps each in the one error wrapper
// (runCommand.ts) and the activation shell registers them; a unit test pins this table to package.json.
import vscode = require('vscode');
import type { ConnectionManager } from '../aws/connectionManager';
import { UserFacingError } from '../aws/errors';
import type { AwsSdk } from '../aws/loadSdk';
import type { InstanceStore } from '../notebooks/instanceStore';
import type { InstancesTreeProvider } from '../notebooks/instancesTree';
import type { NotebookOpener } from '../open/opener';
import type { NotebookSession } from '../session/session';
import type { SessionTimer } from '../session/sessionTimer';
import type { NotebookInstance } from '../shared/instance';
import type { Ui } from '../shared/ui';
import { openConfigFile, selectProfile, selectRegions, setFilter, ssoLogin } from './connectionCommands';
import { copyText, openInConsole } from './instanceCommands';
import { chooseInstance, instanceOf, type Choosing } from '../notebooks/chooseInstance';
import { openCommand, startCommand, stopCommand } from './openCommands';

export type Handler = (...args: any[]) => unknown;
export type CommandTable = Record<string, Handler>;

export interface CommandsDeps {
  readonly connection: ConnectionManager;
  readonly instances: InstanceStore;
  readonly tree: InstancesTreeProvider;
  readonly opener: NotebookOpener;
  readonly sessions: SessionTimer;
  readonly sdk: () => AwsSdk;
  readonly env: NodeJS.ProcessEnv;
  readonly ui: Ui;
  readonly showLog: () => void;
}

/** The instance a remembered session is about, under the active profile (another profile's cannot be acted on). */
export function sessionInstance(
  s: NotebookSession,
  { connection, instances }: Pick<CommandsDeps, 'connection' | 'instances'>,
): NotebookInstance {
  const profile = connection.state.profile;
  if (profile && s.profile !== profile) {
    throw new UserFacingError(
      vscode.l10n.t('The session of {0} belongs to profile "{1}". Select that profile to renew or stop it.', s.name, s.profile),
    );
  }
  return instances.findInstance(s.arn) ?? { name: s.name, arn: s.arn, region: s.region, status: 'InService' };
}

export function createCommands(deps: CommandsDeps): CommandTable {
  const { connection, tree, opener, sessions, ui, env } = deps;
  const choosing: Choosing = { instances: deps.instances, ui };
  const connectionDeps = { sdk: deps.sdk, connection, env, ui };
  const copy = (what: 'name' | 'arn', placeHolder: string) => async (node?: unknown) => {
    const instance = await chooseInstance(choosing, node, placeHolder);
    if (instance) await copyText(what === 'name' ? instance.name : instance.arn, ui);
  };
  return {
    'sagemakerNotebooks.refresh': () => connection.refresh(),
    'sagemakerNotebooks.selectProfile': () => selectProfile(connectionDeps),
    'sagemakerNotebooks.selectRegions': () => selectRegions(connectionDeps),
    'sagemakerNotebooks.filter': () => setFilter(tree, ui),
    'sagemakerNotebooks.clearFilter': () => tree.setFilter({}),
    'sagemakerNotebooks.copyName': copy('name', vscode.l10n.t('Notebook instance whose name to copy')),
    'sagemakerNotebooks.copyArn': copy('arn', vscode.l10n.t('Notebook instance whose ARN to copy')),
    'sagemakerNotebooks.openInConsole': async (node?: { region?: string }) => {
      const target =
        !instanceOf(node) && node?.region
          ? { region: node.region }
          : await chooseInstance(choosing, node, vscode.l10n.t('Notebook instance to show in the AWS console'));
      if (target) await openInConsole(target, ui);
    },
    'sagemakerNotebooks.openConfigFile': () => openConfigFile(env),
    'sagemakerNotebooks.ssoLogin': () => ssoLogin(connection.profile),
    'sagemakerNotebooks.showLog': () => deps.showLog(),
    'sagemakerNotebooks.open': openCommand(choosing, opener),
    'sagemakerNotebooks.openInBrowser': openCommand(choosing, opener, { target: 'browser' }),
    'sagemakerNotebooks.openInEditor': openCommand(choosing, opener, { target: 'editor' }),
    'sagemakerNotebooks.openInIntegratedBrowser': openCommand(choosing, opener, { target: 'integratedBrowser' }),
    'sagemakerNotebooks.openInJupyterLab': openCommand(choosing, opener, { ui: 'jupyterlab' }),
    'sagemakerNotebooks.openInJupyter': openCommand(choosing, opener, { ui: 'jupyter' }),
    'sagemakerNotebooks.start': startCommand(choosing, opener),
    'sagemakerNotebooks.stop': stopCommand(choosing, opener),
    'sagemakerNotebooks.showSessions': () => sessions.showSessions(),
    'sagemakerNotebooks.renewSession': async (s?: NotebookSession) => {
      const session = s ?? (await sessions.pick(vscode.l10n.t('Session to renew')));
      if (session) await opener.open(sessionInstance(session, deps), { target: session.target, ui: session.ui });
    },
  };
}
