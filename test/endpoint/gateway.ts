// The local stand-in for `https://<name>.notebook.<region>.sagemaker.aws`: one small server per instance
// that trades a presigned token for a session cookie and then serves (or proxies) the notebook UI.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { labPage, invalidTokenPage, notFoundPage, signedOutPage, treePage } from './pages';
import { proxyHttp, proxyUpgrade } from './proxy';
import type { InstanceRecord } from './seed';
import { SessionBook, rawQueryValue, readCookie } from './tokens';

export type GatewayOutcome = 'token-accepted' | 'token-rejected' | 'page' | 'proxied' | 'no-session' | 'not-found';

/** One visit to a gateway. The path is logged without its query, so the token never reaches the log. */
export interface GatewayVisit {
  instance: string;
  region: string;
  path: string;
  outcome: GatewayOutcome;
  statusCode: number;
  at: number;
}

const CSP = "frame-ancestors 'self'";

/** The host name SageMaker gives an instance's notebook: `<name>.notebook.<region>.sagemaker.aws`. */
export function notebookHost(record: Pick<InstanceRecord, 'name' | 'region'>): string {
  return `${record.name.toLowerCase()}.notebook.${record.region}.sagemaker.aws`;
}

export class NotebookGateway {
  private readonly sessions: SessionBook;
  private readonly sockets = new Set<Duplex>();
  /** The WebSockets each session carries: closed when it ends, as SageMaker's front end does. */
  private readonly sessionSockets = new Map<string, Set<Duplex>>();
  readonly cookieName: string;

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly record: InstanceRecord,
    private readonly clock: () => number,
    private readonly log: (visit: GatewayVisit) => void,
  ) {
    this.sessions = new SessionBook(clock);
    this.cookieName = `sagemaker-notebook-session-${port}`;
    server.on('request', (req, res) => this.handle(req, res));
    server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
  }

  static async start(record: InstanceRecord, clock: () => number, log: (v: GatewayVisit) => void): Promise<NotebookGateway> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    return new NotebookGateway(server, (server.address() as AddressInfo).port, record, clock, log);
  }

  /** Ends every session of this notebook now: requests are refused and its WebSockets closed. */
  endSessions(): void {
    this.sessions.endAll();
    for (const sockets of this.sessionSockets.values()) for (const socket of sockets) socket.destroy();
    this.sessionSockets.clear();
  }

  /** Cuts every WebSocket now, as a network failure would; the sessions stay valid. */
  dropSockets(): void {
    for (const sockets of this.sessionSockets.values()) for (const socket of sockets) socket.destroy();
  }

  /**
   * A fresh presigned URL in the real form: origin and query, no path. The origin is this gateway's loopback
   * address, or SageMaker's real one (`https://<name>.notebook.<region>.sagemaker.aws`) when a forward proxy
   * routes that host name here.
   */
  presign(sessionSeconds: number, awsHostName = false): string {
    const origin = awsHostName ? `https://${notebookHost(this.record)}` : `http://127.0.0.1:${this.port}`;
    return `${origin}?authToken=${this.sessions.issue(sessionSeconds)}`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    const path = url.split('?')[0] || '/';
    res.setHeader('Content-Security-Policy', CSP);
    const token = rawQueryValue(url, 'authToken');
    if (token !== undefined) return this.login(token, path, res);
    if (!this.sessions.isValid(readCookie(req, this.cookieName))) {
      return this.respond(res, path, 'no-session', 403, signedOutPage());
    }
    if (this.record.jupyterUpstream) {
      this.visit(path, 'proxied', 200);
      return proxyHttp(this.record.jupyterUpstream, req, res);
    }
    if (path === '/') return this.redirect(res, path, '/lab', 'page');
    if (path === '/lab' || path.startsWith('/lab/')) return this.respond(res, path, 'page', 200, labPage(this.record.name));
    if (path === '/tree' || path.startsWith('/tree/')) return this.respond(res, path, 'page', 200, treePage(this.record.name));
    this.respond(res, path, 'not-found', 404, notFoundPage());
  }

  private login(token: string, path: string, res: ServerResponse): void {
    const session = this.sessions.redeem(token);
    if (!session) return this.respond(res, path, 'token-rejected', 403, invalidTokenPage());
    res.setHeader(
      'Set-Cookie',
      `${this.cookieName}=${session.sessionId}; Max-Age=${session.sessionSeconds}; Path=/; HttpOnly; SameSite=Lax`,
    );
    this.redirect(res, path, path.startsWith('/tree') ? '/tree' : '/lab', 'token-accepted');
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (req.url ?? '/').split('?')[0];
    const upstream = this.record.jupyterUpstream;
    if (!upstream || !this.sessions.isValid(readCookie(req, this.cookieName))) {
      this.visit(path, upstream ? 'no-session' : 'not-found', 403);
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    this.visit(path, 'proxied', 101);
    const sessionId = readCookie(req, this.cookieName)!;
    const carried = this.sessionSockets.get(sessionId) ?? new Set<Duplex>();
    this.sessionSockets.set(sessionId, carried);
    const hold = (s: Duplex) => {
      this.track(s);
      carried.add(s);
      s.on('close', () => carried.delete(s));
    };
    hold(socket);
    // At the session's end its sockets close, whatever flows on them.
    const left = (this.sessions.endsAt(sessionId) ?? 0) - this.clock();
    const timer = setTimeout(() => this.sessions.isValid(sessionId) || socket.destroy(), Math.max(0, left) + 50);
    timer.unref();
    socket.on('close', () => clearTimeout(timer));
    proxyUpgrade(upstream, req, socket, head, hold);
  }

  private track(socket: Duplex): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }

  private redirect(res: ServerResponse, path: string, location: string, outcome: GatewayOutcome): void {
    this.visit(path, outcome, 302);
    res.writeHead(302, { Location: location, 'Content-Length': 0 });
    res.end();
  }

  private respond(res: ServerResponse, path: string, outcome: GatewayOutcome, status: number, html: string): void {
    this.visit(path, outcome, status);
    res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html) });
    res.end(html);
  }

  private visit(path: string, outcome: GatewayOutcome, statusCode: number): void {
    this.log({ instance: this.record.name, region: this.record.region, path, outcome, statusCode, at: Date.now() });
  }
}
