// What ties the Jupyter connections, the session timer and the instances together: an instance that goes
// out of service ends its sessions and connection, another profile ends the old profile's connections, and
// a connection's renewal is a new session for the timer, held by the extension and renewing itself.
import vscode = require('vscode');
import type { ConnectionManager } from '../aws/connectionManager';
import type { JupyterConnections } from '../jupyter/connections';
import type { InstanceStore } from '../notebooks/instanceStore';
import type { SessionTimer } from '../session/sessionTimer';
import { endsSessions } from '../shared/instance';

export interface HeldSessionsDeps {
  readonly connection: ConnectionManager;
  readonly instances: InstanceStore;
  readonly sessions: SessionTimer;
  readonly connections: Pick<JupyterConnections<never>, 'end' | 'onDidCreate'>;
  readonly autoRenew: () => boolean;
}

export function followInstances({ connection, instances, sessions, connections, autoRenew }: HeldSessionsDeps): vscode.Disposable[] {
  return [
    instances.onDidSeeInstances(({ instances: seen, removed }) => {
      const profile = connection.state.profile;
      if (!profile) return;
      for (const i of seen) {
        if (!endsSessions(i.status)) continue;
        void sessions.endInstance(i.arn, profile, `instance ${i.status}`);
        connections.end((k) => k.arn === i.arn, 'stopped', vscode.l10n.t('{0} is {1}.', i.name, i.status));
      }
      for (const arn of removed) {
        void sessions.endInstance(arn, profile, 'instance no longer exists');
        connections.end((k) => k.arn === arn, 'stopped', vscode.l10n.t('The notebook instance no longer exists.'));
      }
    }),
    connection.onDidChangeState((s) => {
      if (s.profile) connections.end((k) => k.profile !== s.profile, 'signedOut', vscode.l10n.t('Another AWS profile was selected.'));
    }),
    connections.onDidCreate((key, jupyter) => {
      jupyter.onDidRenew((open) => {
        const held = sessions.sessions().find((x) => x.arn === key.arn && x.profile === key.profile && x.target === 'editor');
        if (held) void sessions.started({ ...held, startedAt: open.startedAt, expiresAt: open.endsAt, renews: autoRenew() });
      });
      // SageMaker ended the session before its time: the timer shows the end, with Renew.
      jupyter.onDidChangeState(
        (state) => state.kind === 'ended' && state.reason === 'expired' && void sessions.endedEarly(key.arn, key.profile),
      );
    }),
  ];
}
