// The one owner of what the extension is connected to: the active profile, its regions, whether its
// credentials work (the state the explorer's welcome views show), and the API built for them. The tree,
// the opener, the session timer and the Jupyter connections read it and follow its events; a refresh
// (profile switch, settings change, retry) replaces the connection whole. Pure: no vscode.
import type { Agent } from 'http';
import { Agent as HttpAgent } from 'http';
import { Agent as HttpsAgent } from 'https';
import { english, type L10n } from '../shared/l10n';
import type { Logger } from '../shared/log';
import { Emitter } from '../shared/events';
import type { Connection } from './connection';
import { toUserError, type ErrorKind } from './errors';

export type AwsStateKind =
  'loading' | 'ready' | 'noConfig' | 'unknownProfile' | 'malformedConfig' | 'noRegion' | 'ssoExpired' | 'noCredentials' | 'mfaCancelled';

/** Which profile and regions, and whether they can be listed; drives the `sagemakerNotebooks.state` context key. */
export interface AwsState {
  readonly kind: AwsStateKind;
  readonly profile?: string;
  readonly regions?: readonly string[];
  readonly message?: string;
}

export type ReadyConnection = Connection & { readonly kind: 'ready' };

/** Credential problems affect every region alike, so they become one state instead of an error per region. */
export function stateForCredentialError(kind: ErrorKind): AwsStateKind | undefined {
  switch (kind) {
    case 'ssoExpired':
      return 'ssoExpired';
    case 'unknownProfile':
      return 'unknownProfile';
    case 'noCredentials':
    case 'invalidCredentials':
    case 'mfaRequired':
      return 'noCredentials';
    case 'cancelled': // the only prompt while resolving credentials is the MFA code
    case 'mfaRejected':
      return 'mfaCancelled';
    default:
      return undefined;
  }
}

export interface ConnectionManagerDeps {
  /** Builds a connection from the settings in force (reads ~/.aws; loads the SDK). */
  readonly open: () => Promise<Connection>;
  /** The profile the settings and environment name, before any connection says which one it used. */
  readonly configuredProfile: () => string;
  readonly logger: Logger;
  readonly l10n?: L10n;
}

export class ConnectionManager {
  private readonly stateChanged = new Emitter<AwsState>();
  /** Fires on every change of profile, regions or credential state. */
  readonly onDidChangeState = this.stateChanged.event;
  private readonly reset = new Emitter<void>();
  /** Fires when the connection is dropped: everything fetched with it is stale. */
  readonly onDidReset = this.reset.event;
  private stateValue: AwsState = { kind: 'loading' };
  private pending: Promise<Connection> | undefined;
  private readyValue: ReadyConnection | undefined;
  private generation = 0;

  constructor(private readonly deps: ConnectionManagerDeps) {}

  get state(): AwsState {
    return this.stateValue;
  }

  /** The active profile: the one the connection uses, else the one the settings and environment name. */
  get profile(): string {
    return this.stateValue.profile ?? this.deps.configuredProfile();
  }

  /** The connection whose credentials were accepted (or could not be checked for another reason). */
  get ready(): ReadyConnection | undefined {
    return this.readyValue;
  }

  /** The connection everything is fetched with, opened on first use and shared by concurrent callers. */
  current(): Promise<Connection> {
    this.pending ??= this.resolve();
    return this.pending;
  }

  /** Whether `connection` is the one in force and may list (a refresh since makes it stale). */
  isReady(connection: Connection): connection is ReadyConnection {
    return connection.kind === 'ready' && connection === this.readyValue;
  }

  /** Forgets the connection (its clients are destroyed) and starts over on the next use. */
  refresh(): void {
    const old = this.pending;
    this.generation++;
    this.pending = undefined;
    this.readyValue = undefined;
    void old?.then(
      (c) => c.kind === 'ready' && c.api.dispose(),
      () => undefined,
    );
    this.setState({ kind: 'loading' });
    this.reset.fire();
  }

  /** The agent for a notebook's own host (proxy, CA bundle), as the API's network plan decides. */
  async notebookAgent(url: string): Promise<Agent> {
    const connection = await this.current();
    if (connection.kind === 'ready') return connection.api.notebookAgent(url);
    return url.startsWith('https:') ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  }

  dispose(): void {
    void this.pending?.then(
      (c) => c.kind === 'ready' && c.api.dispose(),
      () => undefined,
    );
    this.stateChanged.dispose();
    this.reset.dispose();
  }

  private async resolve(): Promise<Connection> {
    const generation = this.generation;
    const stale = () => generation !== this.generation; // a refresh came meanwhile: its state wins
    const connection = await this.deps.open();
    if (stale()) return connection;
    if (connection.kind !== 'ready') {
      this.setState({ kind: connection.kind, profile: connection.profile, message: connection.message });
      return connection;
    }
    try {
      await connection.api.checkCredentials();
    } catch (error) {
      if (stale()) return connection;
      const user = toUserError(error, { profile: connection.profile }, this.deps.l10n ?? english);
      const kind = stateForCredentialError(user.kind);
      this.deps.logger.warn(`Credentials of profile "${connection.profile}": ${user.message}`);
      if (kind) {
        this.setState({ kind, profile: connection.profile, message: user.message });
        return connection; // not ready: the tree lists nothing and the welcome view explains
      }
      // anything else (network, throttling) is reported per region when listing fails
    }
    if (stale()) return connection;
    this.readyValue = connection;
    this.setState({ kind: 'ready', profile: connection.profile, regions: connection.regions });
    return connection;
  }

  private setState(state: AwsState): void {
    this.stateValue = state;
    this.stateChanged.fire(state);
  }
}
