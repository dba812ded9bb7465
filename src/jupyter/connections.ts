// The Jupyter connections of this window: one per (profile, instance), shared and counted. The first user
// opens it (one presigned URL), the last one to leave closes it; an instance that leaves InService, a change
// of profile or the window closing ends it for every user at once.
import type { Logger } from '../shared/log';
import type { EndReason, JupyterConnection } from './connection';

export interface ConnectionKey {
  readonly profile: string;
  /** The instance's ARN: it names the account, region and instance. */
  readonly arn: string;
}

/** One user's hold on a connection. */
export interface ConnectionLease {
  readonly connection: JupyterConnection;
  /** Lets go; the connection closes when nobody holds it. Idempotent. */
  release(): void;
}

interface Entry {
  readonly key: ConnectionKey;
  readonly connection: JupyterConnection;
  users: number;
}

/** `F` is what the first user of an instance's connection tells its factory: the instance, the page to sign in at. */
export class JupyterConnections<F> {
  private readonly entries = new Map<string, Entry>();
  private readonly openedListeners = new Set<(key: ConnectionKey, connection: JupyterConnection) => void>();

  constructor(
    private readonly create: (key: ConnectionKey, firstUse: F) => JupyterConnection,
    private readonly logger: Logger,
  ) {}

  /** Holds the instance's connection, opening it if this is its first user. */
  acquire(key: ConnectionKey, firstUse: F): ConnectionLease {
    const id = idOf(key);
    let entry = this.entries.get(id);
    if (!entry || entry.connection.state.kind === 'ended') {
      entry = { key, connection: this.create(key, firstUse), users: 0 };
      this.entries.set(id, entry);
      const created = entry;
      created.connection.onDidChangeState((state) => {
        if (state.kind === 'ended' && this.entries.get(id) === created) this.entries.delete(id);
      });
      for (const listener of [...this.openedListeners]) listener(key, created.connection);
    }
    entry.users++;
    const held = entry;
    let released = false;
    return {
      connection: held.connection,
      release: () => {
        if (released) return;
        released = true;
        held.users--;
        if (held.users === 0) {
          this.logger.debug('Jupyter connection: its last user left');
          held.connection.close('closed', 'The connection to the notebook was closed.');
        }
      },
    };
  }

  /** The open connection of an instance, if any (no new one is opened). */
  find(key: ConnectionKey): JupyterConnection | undefined {
    return this.entries.get(idOf(key))?.connection;
  }

  /** Fires when a connection is created, so the session timer can follow its sign-ins. */
  onDidCreate(listener: (key: ConnectionKey, connection: JupyterConnection) => void): { dispose(): void } {
    this.openedListeners.add(listener);
    return { dispose: () => this.openedListeners.delete(listener) };
  }

  /** Ends the connections that match: one instance (any profile), or everything of a profile but `keep`. */
  end(match: (key: ConnectionKey) => boolean, reason: EndReason, message: string): void {
    for (const entry of [...this.entries.values()]) if (match(entry.key)) entry.connection.close(reason, message);
  }

  dispose(): void {
    this.end(() => true, 'closed', 'VS Code closed the connection to the notebook.');
  }
}

function idOf(key: ConnectionKey): string {
  return `${key.profile}\u0000${key.arn}`;
}
