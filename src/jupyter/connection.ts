// One authenticated connection to a notebook instance's Jupyter server, shared by everything that talks to
// it (the in-editor view's proxy now; kernels, files and terminals next). It signs in with a presigned URL
// minted when needed, keeps the notebook's cookies, satisfies Jupyter's `_xsrf` check, and renews itself:
// before the session ends, and when the server answers that it has (a 401/403, or a redirect off the
// notebook's host), with one sign-in that every waiting request shares.
import type { Agent, IncomingHttpHeaders } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from '../shared/agentTls'; // keeps the CA and strict SSL under VS Code's proxy support
import type { Readable } from 'node:stream';
import type { Logger } from '../shared/log';
import type { Clock } from '../shared/clock';
import { JupyterLogin, pathOf } from './login';

/** A fresh presigned URL (the AuthorizedUrl as issued) and the session length it was asked for. */
export interface Presigned {
  readonly url: string;
  readonly sessionSeconds: number;
}

export interface ConnectionDeps {
  /** Mints a presigned URL; it is used at once and never kept. */
  readonly presign: () => Promise<Presigned>;
  /**
   * The notebook host's agent for its first presigned URL: the user's proxy tunnel and CA. Made once, owned
   * by the connection, destroyed when it ends.
   */
  readonly agentFor: (url: string) => Promise<Agent>;
  readonly logger: Logger;
  readonly clock: Clock;
  /** `sagemakerNotebooks.autoRenew`: renew before the end and after a lost session, or let it end. */
  readonly autoRenew: () => boolean;
  /** How long before the session's end it renews. Default 5 minutes. */
  readonly renewMarginMs?: number;
  readonly signInTimeoutMs?: number;
}

export type EndReason = 'expired' | 'stopped' | 'signedOut' | 'closed' | 'failed';

export type ConnectionState =
  | { readonly kind: 'signingIn' }
  | { readonly kind: 'open'; readonly startedAt: number; readonly endsAt: number }
  | { readonly kind: 'ended'; readonly reason: EndReason; readonly message: string };

export interface JupyterRequest {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  /** A body that can be sent again after a renewal. A stream cannot: such a request is not retried. */
  readonly body?: string | Buffer | Readable;
}

export interface JupyterResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** Streamed: read it, or `resume()` it, or the socket stays busy. */
  readonly body: Readable;
}

/** Why a request cannot be made: the connection ended. Its message is written for the user. */
export class ConnectionEndedError extends Error {
  constructor(
    readonly reason: EndReason,
    message: string,
  ) {
    super(message);
    this.name = 'ConnectionEndedError';
  }
}

const DEFAULT_MARGIN_MS = 5 * 60_000;
/** Refusals lead to a new sign-in at most this often. */
const REFUSAL_RENEWAL_INTERVAL_MS = 60_000;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export class JupyterConnection {
  private host: { origin: string; agent: Agent } | undefined;
  private login: JupyterLogin | undefined;
  private signingIn: Promise<JupyterLogin> | undefined;
  private checkingSession: Promise<void> | undefined;
  private renewTimer: unknown;
  private lastRefusalRenewal: number | undefined;
  /** Counts sign-ins: a request knows which one its cookies came from. */
  private generation = 0;
  private current: ConnectionState = { kind: 'signingIn' };
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private readonly renewListeners = new Set<(state: ConnectionState & { kind: 'open' }) => void>();

  constructor(private readonly deps: ConnectionDeps) {}

  /** The notebook's own origin, `https://<name>.notebook.<region>.sagemaker.aws`; known once signed in. */
  get origin(): string {
    if (!this.host) throw new Error('The Jupyter connection has not signed in yet.');
    return this.host.origin;
  }

  get agent(): Agent {
    if (!this.host) throw new Error('The Jupyter connection has not signed in yet.');
    return this.host.agent;
  }

  get state(): ConnectionState {
    return this.current;
  }

  /** Signed in, signing in first if needed (every caller shares one sign-in). */
  async ready(): Promise<void> {
    await this.loginNow();
  }

  /** A new sign-in now, shared by everyone waiting; the old cookies are dropped. */
  renew(): Promise<void> {
    return this.signIn(true).then(() => undefined);
  }

  /** Fires on every change of state: open (first or renewed), ended. */
  onDidChangeState(listener: (state: ConnectionState) => void): { dispose(): void } {
    this.stateListeners.add(listener);
    return { dispose: () => this.stateListeners.delete(listener) };
  }

  /** Fires after each sign-in that replaced an earlier one: WebSocket users reconnect then. */
  onDidRenew(listener: (state: ConnectionState & { kind: 'open' }) => void): { dispose(): void } {
    this.renewListeners.add(listener);
    return { dispose: () => this.renewListeners.delete(listener) };
  }

  /**
   * The Cookie header for a request to `path` upstream, the `_xsrf` value for writes, and which sign-in they
   * belong to (for retryAfter).
   */
  async credentials(path: string): Promise<{ cookie: string; xsrf: string; login: number }> {
    const login = await this.loginNow();
    const xsrf = login.xsrfToken(); // first: it may mint the `_xsrf` cookie the Cookie header must then carry
    return { cookie: login.cookieFor(pathOf(this.origin + path)), xsrf, login: this.generation };
  }

  /** Keeps cookies a response to `path` set (Jupyter renews `_xsrf`, say). */
  absorb(setCookies: readonly string[], path: string): void {
    this.login?.absorb(setCookies, this.origin + path);
  }

  /**
   * Any HTTP request to the server, as Jupyter's own page would make it (its Host, Origin and Referer, the
   * cookies, X-XSRFToken on writes). A lost session is renewed once and the request sent again, unless its
   * body was a stream.
   */
  async request(path: string, init: JupyterRequest = {}): Promise<JupyterResponse> {
    const first = await this.send(path, init);
    if (isStream(init.body) || !this.retryAfter(first.status, first.headers.location, first.login)) return first;
    first.body.resume();
    this.deps.logger.info(`Jupyter connection: ${pathOf(this.origin + path)} answered ${first.status}; sent again on a new sign-in`);
    return this.send(path, init); // waits for the sign-in under way
  }

  /** A request whose answer is JSON (or nothing); a status of 400 and above is an error naming it. */
  async json<T>(path: string, method = 'GET', body?: unknown): Promise<T> {
    const res = await this.request(path, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await readText(res.body);
    if (res.status >= 400) throw new Error(`Jupyter answered ${res.status} to ${method} ${pathOf(this.origin + path)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** The headers a WebSocket handshake to `path` needs: Host, Origin, cookies. */
  async webSocketHeaders(path: string): Promise<Record<string, string>> {
    const { cookie } = await this.credentials(path);
    return { Origin: this.origin, ...(cookie ? { Cookie: cookie } : {}) };
  }

  /** Ends the connection for good; requests after it fail with a ConnectionEndedError. */
  close(reason: EndReason = 'closed', message = 'The connection to the notebook was closed.'): void {
    this.end(reason, message);
  }

  private async loginNow(): Promise<JupyterLogin> {
    if (this.current.kind === 'ended') throw new ConnectionEndedError(this.current.reason, this.current.message);
    if (this.login && !this.signingIn) return this.login;
    return this.signIn(false);
  }

  private signIn(replace: boolean): Promise<JupyterLogin> {
    if (this.current.kind === 'ended') return Promise.reject(new ConnectionEndedError(this.current.reason, this.current.message));
    if (this.signingIn) return this.signingIn;
    if (this.login && !replace) return Promise.resolve(this.login);
    const renewing = this.login !== undefined;
    const attempt = (async () => {
      const presigned = await this.deps.presign();
      this.host ??= { origin: new URL(presigned.url).origin, agent: await this.deps.agentFor(presigned.url) };
      if (new URL(presigned.url).origin !== this.host.origin) throw new Error('SageMaker sent the notebook to another host than before.');
      const login = await JupyterLogin.signIn(presigned.url, this.deps.logger, this.deps.signInTimeoutMs ?? 15_000, this.host.agent);
      return { login, sessionSeconds: presigned.sessionSeconds };
    })();
    this.signingIn = attempt.then(
      ({ login, sessionSeconds }) => {
        this.signingIn = undefined;
        if (this.current.kind === 'ended') throw new ConnectionEndedError(this.current.reason, this.current.message);
        this.login = login;
        this.generation++;
        const startedAt = this.deps.clock.now();
        const open = { kind: 'open' as const, startedAt, endsAt: startedAt + sessionSeconds * 1000 };
        this.setState(open);
        this.scheduleRenewal(open.endsAt);
        this.deps.logger.info(`Jupyter connection: ${renewing ? 'renewed' : 'signed in'} (session ${sessionSeconds} s)`);
        if (renewing) for (const listener of [...this.renewListeners]) listener(open);
        return login;
      },
      (error: unknown) => {
        this.signingIn = undefined;
        throw error;
      },
    );
    return this.signingIn;
  }

  private scheduleRenewal(endsAt: number): void {
    if (this.renewTimer !== undefined) this.deps.clock.clearTimeout(this.renewTimer);
    // Never more than half the session ahead: a margin longer than the session would renew in a loop.
    const margin = Math.min(this.deps.renewMarginMs ?? DEFAULT_MARGIN_MS, (endsAt - this.deps.clock.now()) / 2);
    const renewAt = endsAt - margin;
    const at = Math.max(0, renewAt - this.deps.clock.now());
    this.renewTimer = this.deps.clock.setTimeout(() => {
      this.renewTimer = undefined;
      if (this.current.kind !== 'open') return;
      if (!this.deps.autoRenew()) {
        // Left to the session timer's warning and Renew; the connection ends with the session.
        this.renewTimer = this.deps.clock.setTimeout(
          () => this.end('expired', 'The notebook session ended.'),
          Math.max(0, endsAt - this.deps.clock.now()),
        );
        return;
      }
      this.signIn(true).catch((error: unknown) => this.deps.logger.warn(`Jupyter connection: renewal failed: ${(error as Error).message}`));
    }, at);
  }

  private async send(path: string, init: JupyterRequest): Promise<JupyterResponse & { login: number }> {
    const method = (init.method ?? 'GET').toUpperCase();
    const { cookie, xsrf, login } = await this.credentials(path);
    const headers: Record<string, string> = {
      ...init.headers,
      Host: new URL(this.origin).host,
      Origin: this.origin,
      Referer: `${this.origin}/`,
    };
    if (cookie) headers.Cookie = cookie;
    if (!SAFE_METHODS.has(method)) headers['X-XSRFToken'] = xsrf;
    const target = new URL(path, this.origin);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(target, { method, headers, agent: this.agent }, (res) => {
        this.absorb(res.headers['set-cookie'] ?? [], target.pathname);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res, login });
      });
      req.once('error', reject);
      if (isStream(init.body)) init.body.pipe(req);
      else req.end(init.body);
    });
  }

  /**
   * Whether a request sent on sign-in `login` that got this answer should be sent again: the answer says the
   * session is gone, and a new sign-in is under way or done since, or starts now. A refusal starts one at most
   * once a minute: one that a new sign-in did not cure is Jupyter's own (a missing permission, a bad
   * `_xsrf`), and renewing on each would loop.
   */
  retryAfter(status: number, location: string | undefined, login: number): boolean {
    if (!isLostSession(this.origin, status, location) || this.current.kind !== 'open') return false;
    if (!this.deps.autoRenew()) {
      if (login === this.generation && !this.signingIn) this.checkSessionEnded();
      return false;
    }
    if (login !== this.generation || this.signingIn) return true;
    const now = this.deps.clock.now();
    if (this.lastRefusalRenewal !== undefined && now - this.lastRefusalRenewal < REFUSAL_RENEWAL_INTERVAL_MS) return false;
    this.lastRefusalRenewal = now;
    this.signIn(true).catch((error: unknown) => this.deps.logger.warn(`Jupyter connection: renewal failed: ${(error as Error).message}`));
    return true;
  }

  /**
   * With autoRenew off, a refusal that looks like a lost session ends the connection as `expired` (its users
   * show that, with Renew) once a request that only a live session passes is refused too: Jupyter refuses
   * some requests of its own (a 403 for a bad `_xsrf`), SageMaker refuses them all.
   */
  private checkSessionEnded(): void {
    if (this.checkingSession) return;
    const login = this.generation;
    this.checkingSession = this.send('/api/status', {})
      .then(
        (res) => {
          res.body.resume();
          if (this.current.kind === 'open' && login === this.generation && isLostSession(this.origin, res.status, res.headers.location)) {
            this.deps.logger.info('Jupyter connection: the session ended (autoRenew is off)');
            this.end('expired', 'The notebook session ended.');
          }
        },
        (error: unknown) => this.deps.logger.debug(`Jupyter connection: session check failed: ${(error as Error).message}`),
      )
      .finally(() => (this.checkingSession = undefined));
  }

  private end(reason: EndReason, message: string): void {
    if (this.current.kind === 'ended') return;
    if (this.renewTimer !== undefined) this.deps.clock.clearTimeout(this.renewTimer);
    this.renewTimer = undefined;
    this.login = undefined;
    this.host?.agent.destroy();
    this.deps.logger.info(`Jupyter connection: ended (${reason})`);
    this.setState({ kind: 'ended', reason, message });
  }

  private setState(state: ConnectionState): void {
    this.current = state;
    for (const listener of [...this.stateListeners]) listener(state);
  }
}

/** SageMaker's answer to a request whose session is gone: refused, or sent off the notebook's host to sign in. */
export function isLostSession(origin: string, status: number, location: string | undefined): boolean {
  if (status === 401 || status === 403) return true;
  if (status >= 300 && status < 400 && location) {
    try {
      return new URL(location, origin).origin !== origin;
    } catch {
      return false;
    }
  }
  return false;
}

function isStream(body: JupyterRequest['body']): body is Readable {
  return typeof body === 'object' && body !== null && !Buffer.isBuffer(body) && typeof body.pipe === 'function';
}

async function readText(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks).toString('utf8');
}
