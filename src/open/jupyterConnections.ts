// The window's Jupyter connections, built the way the opener opens a notebook: each signs in with a
// presigned URL minted through the opener's checks, over the network plan of the AWS connection in force,
// and renews itself a minute before the timer would warn (so a session the extension holds never warns).
import type { ConnectionManager } from '../aws/connectionManager';
import { JupyterConnections } from '../jupyter/connections';
import { systemClock } from '../shared/clock';
import type { NotebookInstance } from '../shared/instance';
import type { Logger } from '../shared/log';
import type { NotebookInterface } from '../shared/openChoice';
import { loadProxy } from './loadProxy';
import type { NotebookOpener } from './opener';
import { interfaceUrl } from './urls';

/** What the first user of an instance's connection says: the instance, and the page to sign in at. */
export interface FirstUse {
  readonly instance: NotebookInstance;
  readonly ui: NotebookInterface;
}

export interface JupyterConnectionsDeps {
  readonly opener: Pick<NotebookOpener, 'presign'>;
  readonly connection: Pick<ConnectionManager, 'notebookAgent'>;
  readonly logger: Logger;
  readonly sessionSeconds: () => number;
  readonly autoRenew: () => boolean;
  readonly warningMinutes: () => number;
}

export function createJupyterConnections(deps: JupyterConnectionsDeps): JupyterConnections<FirstUse> {
  return new JupyterConnections<FirstUse>((_key, { instance, ui }) => {
    const { JupyterConnection } = loadProxy();
    return new JupyterConnection({
      presign: async () => {
        const seconds = deps.sessionSeconds();
        return { url: interfaceUrl(await deps.opener.presign(instance, seconds), ui), sessionSeconds: seconds };
      },
      agentFor: (url) => deps.connection.notebookAgent(url),
      logger: deps.logger,
      clock: systemClock,
      autoRenew: deps.autoRenew,
      renewMarginMs: (deps.warningMinutes() + 1) * 60_000,
    });
  }, deps.logger);
}
