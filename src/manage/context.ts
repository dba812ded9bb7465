// What the management commands are given by the composition root, and the connection they work through.
import vscode = require('vscode');
import { UserFacingError } from '../aws/errors';
import type { NotebookApi } from '../aws/notebookApi';
import type { Logger } from '../shared/log';
import type { ConnectionManager } from '../aws/connectionManager';
import type { InstanceStore } from '../notebooks/instanceStore';
import type { NotebookInstance } from '../shared/instance';
import type { Ui } from '../shared/ui';
import { loadManageSdk } from './loadManageSdk';
import { ManageApi } from './manageApi';
import type { Prompter } from './prompter';

export interface ManageDeps {
  readonly connection: ConnectionManager;
  readonly instances: InstanceStore;
  readonly ui: Ui;
  readonly logger: Logger;
  /** The wizard's steps (quick inputs; tests put a scripted prompter here). */
  prompter(): Prompter;
  /** Opens an instance the way a click in the tree does. */
  open(instance: NotebookInstance): Thenable<unknown>;
}

export interface Session {
  readonly api: NotebookApi;
  readonly manage: ManageApi;
  readonly profile: string;
  readonly regions: readonly string[];
}

const sessions = new WeakMap<NotebookApi, ManageApi>();

/** The ready connection's APIs; one ManageApi per connection, so its clients go when the connection does. */
export async function session(manager: ConnectionManager, logger: Logger): Promise<Session> {
  const connection = await manager.current();
  if (connection.kind !== 'ready') throw new UserFacingError(connection.message);
  let manage = sessions.get(connection.api);
  if (!manage) {
    manage = new ManageApi(connection.api, loadManageSdk, logger);
    sessions.set(connection.api, manage);
  }
  return { api: connection.api, manage, profile: connection.profile, regions: connection.regions };
}

/** Waits (polling Describe) until the instance is in one of `statuses`; throws when it ends elsewhere. */
export async function waitForStatus(
  api: NotebookApi,
  instance: { region: string; name: string },
  statuses: string[],
  token?: vscode.CancellationToken,
  intervalMs = 2000,
): Promise<NotebookInstance> {
  for (;;) {
    if (token?.isCancellationRequested) throw new vscode.CancellationError();
    const fresh = await api.describeInstance(instance.region, instance.name);
    if (statuses.includes(fresh.status)) return fresh;
    if (!['Pending', 'Stopping', 'Updating'].includes(fresh.status)) {
      throw new UserFacingError(vscode.l10n.t('{0} is {1}, not {2}.', instance.name, fresh.status, statuses.join('/')));
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
