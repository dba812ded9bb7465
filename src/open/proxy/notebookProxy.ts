// A per-tab authenticating reverse proxy on 127.0.0.1, so the webview can show the real Jupyter: Jupyter
// refuses to be framed (CSP frame-ancestors 'self'), and the webview's iframe could not keep the SageMaker
// session cookie anyway. It is one consumer of the instance's Jupyter connection (src/jupyter), which holds
// the cookies and renews the session; the proxy frames-enables the pages and forwards HTTP and WebSocket
// traffic (kernels) with http-proxy-3.
import { ServerResponse, createServer, type ClientRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createProxyServer } from 'http-proxy-3';
import type { JupyterConnection } from '../../jupyter/connection';
import { pathOf } from '../../jupyter/login';
import type { Logger } from '../../shared/log';
import { checkAccess, newSecret, secretCookie, secretHost, type Access, type AccessPolicy } from './access';
import { REFERRER_POLICY, rewriteRequestHeaders, rewriteResponseHeaders, type Endpoints } from './headers';
import { STORAGE_SHIM, STORAGE_SHIM_PATH, withStorageShim } from './storageShim';
import { isLoopbackUrl } from '../../shared/loopback';
import { agentTls } from '../../shared/agentTls';

/** What the proxy needs of the instance's Jupyter connection. */
export type ProxiedConnection = Pick<JupyterConnection, 'origin' | 'agent' | 'ready' | 'credentials' | 'absorb' | 'renew' | 'retryAfter'>;

export interface NotebookProxyOptions {
  readonly connection: ProxiedConnection;
  /** `/lab` or `/tree`: the page the tab opens on. */
  readonly entryPath: string;
  readonly logger: Logger;
}

export interface NotebookProxy {
  /** `http://127.0.0.1:PORT`: where it listens, what port forwarding is asked to forward. Answers nothing by itself. */
  readonly address: string;
  /** `http://<secret>.localhost:PORT`: the origin the webview's iframe loads locally; its host is the secret. */
  readonly origin: string;
  /**
   * What the webview's iframe loads: the origin, the access secret once, then the authorized URL's path
   * (`/lab` or `/tree`). The proxy answers it with the secret cookie and a redirect to the path alone.
   */
  readonly entryUrl: string;
  /**
   * Also answers at `publicOrigin`, the address port forwarding gives `address` (remote development, a
   * browser-based VS Code), and returns the entry URL there: under the secret host name when the forwarded
   * address is a loopback port (a plain tunnel keeps whatever Host the browser sends), else at the
   * forwarded name.
   */
  serveAt(publicOrigin: string): string;
  readonly closed: boolean;
  close(): Promise<void>;
  onDidClose(listener: () => void): void;
}

const FORBIDDEN = 'Forbidden';

export async function startNotebookProxy(options: NotebookProxyOptions): Promise<NotebookProxy> {
  const { logger, connection } = options;
  await connection.ready(); // signed in before the tab is shown: a failure is the open's, not a blank frame's
  const upstream = connection.origin;
  // The agent's CA bundle and http.proxyStrictSSL on each request too, as VS Code may replace the agent.
  const { ca, rejectUnauthorized } = agentTls(connection.agent);
  const proxy = createProxyServer({
    target: upstream,
    ws: true,
    agent: connection.agent,
    secure: rejectUnauthorized !== false,
    ...(typeof ca === 'string' ? { ca } : {}),
  });

  const server = createServer();
  const sockets = new Set<Duplex>();
  const track = (socket: Duplex) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  server.on('connection', track);
  proxy.on('open', (upstreamSocket: Socket) => track(upstreamSocket));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });

  const port = (server.address() as AddressInfo).port;
  const address = `http://127.0.0.1:${port}`;
  const hostSecret = newSecret();
  const origin = `http://${secretHost(hostSecret, port)}`;
  const origins = [origin];
  const policy: AccessPolicy = { origins, secret: newSecret(), cookieName: 'sagemaker-notebook-proxy' };
  const endsAt = (proxyOrigin: string): Endpoints => ({ upstreamOrigin: upstream, proxyOrigin });
  const path = options.entryPath;
  // Per request: Referers map from the origin the request came to; the sign-in its cookies came from.
  const endsOf = new WeakMap<IncomingMessage, Endpoints>();
  const loginOf = new WeakMap<IncomingMessage, number>();
  // Requests for a page of the frame (its navigations): their HTML gets the storage script (storageShim.ts).
  const pages = new WeakSet<IncomingMessage>();

  /** Applies the access rules and readies the request for upstream; false when it must be refused. */
  const admit = async (req: IncomingMessage): Promise<(Access & { granted: true })['via'] | false> => {
    const access = checkAccess(policy, req);
    if (!access.granted) {
      logger.debug('Notebook proxy: refused a request to a foreign Host, without the secret, or from another site');
      return false;
    }
    if (access.via === 'entry') {
      req.url = access.path;
      return 'entry';
    }
    const ends = endsAt(access.origin);
    endsOf.set(req, ends);
    req.url = access.path;
    const credentials = await connection.credentials(access.path);
    loginOf.set(req, credentials.login);
    const page = ['iframe', 'frame', 'document'].includes(String(req.headers['sec-fetch-dest']));
    rewriteRequestHeaders(req.headers, req.method, ends, credentials);
    if (page) {
      pages.add(req);
      delete req.headers['accept-encoding']; // the page comes uncompressed, so the script can go into it
    }
    return access.via;
  };
  const downstream = (upstreamRes: IncomingMessage, req: IncomingMessage) => {
    const ends = endsOf.get(req) ?? endsAt(origin);
    connection.absorb(rewriteResponseHeaders(upstreamRes.headers, ends), req.url ?? '/');
    logger.debug(`Notebook proxy: ${req.method} ${pathOf(upstream + (req.url ?? '/'))} → ${upstreamRes.statusCode}`);
  };
  /**
   * The session ended under a request (SageMaker refused it or sent it off to sign in): the connection signs
   * in again and the browser is sent to the same address, where the request goes out with the new session.
   */
  const renewing = (upstreamRes: IncomingMessage, req: IncomingMessage): boolean => {
    if (!connection.retryAfter(upstreamRes.statusCode ?? 0, upstreamRes.headers.location, loginOf.get(req) ?? -1)) return false;
    logger.info(`Notebook proxy: ${pathOf(upstream + (req.url ?? '/'))} answered ${upstreamRes.statusCode}; sent again on a new sign-in`);
    return true;
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void admit(req).then(
      (via) => {
        if (!via) return refuse(res);
        if (via === 'entry') return enter(res, req.url ?? '/', secretCookie(policy));
        if (req.url === STORAGE_SHIM_PATH) return script(res);
        proxy.web(req, res);
      },
      (error: unknown) => unavailable(res, logger, error),
    );
  });
  proxy.on('proxyRes', (upstreamRes: IncomingMessage, req: IncomingMessage, res: ServerResponse) => {
    if (renewing(upstreamRes, req)) {
      upstreamRes.resume();
      // Answered here, before http-proxy-3 would copy upstream's answer: the same request again (307 keeps
      // method and body), which waits for the sign-in under way.
      res.writeHead(307, {
        Location: req.url ?? '/',
        'Cache-Control': 'no-store',
        'Referrer-Policy': REFERRER_POLICY,
        'Content-Length': 0,
      });
      res.end();
      return;
    }
    downstream(upstreamRes, req);
    if (pages.has(req)) shimPage(upstreamRes, res);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const forbid = () =>
      socket.end(
        `HTTP/1.1 403 Forbidden\r\nContent-Length: ${FORBIDDEN.length}\r\nReferrer-Policy: ${REFERRER_POLICY}\r\nConnection: close\r\n\r\n${FORBIDDEN}`,
      );
    void admit(req).then(
      (via) => (!via || via === 'entry' ? forbid() : proxy.ws(req, socket, head)),
      () => forbid(),
    );
  });
  // One handler for every failure, the client's included (a closed webview resets its sockets): http-proxy-3
  // throws errors nobody listens for, which would take the extension host down.
  proxy.on('error', (error: Error, req: IncomingMessage, res: ServerResponse | Duplex) => {
    const code = (error as NodeJS.ErrnoException).code ?? error.name;
    const what = `${req.method} ${pathOf(upstream + (req.url ?? '/'))}`;
    if (code === 'ECONNRESET' || code === 'EPIPE') logger.debug(`Notebook proxy: ${what} ended by a reset (${code})`);
    else logger.warn(`Notebook proxy: ${what} failed upstream (${code})`);
    if (!(res instanceof ServerResponse)) return void res.destroy();
    if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain', 'Referrer-Policy': REFERRER_POLICY });
    res.end('Bad gateway');
  });
  // http-proxy-3 writes a WebSocket handshake's response headers straight to the socket, without the
  // proxyRes event: clean them first, on whichever outcome (101, or a refusal) upstream gives. A refusal for
  // a lost session starts the renewal; Jupyter's page connects again by itself.
  proxy.on('proxyReqWs', (proxyReq: ClientRequest, req: IncomingMessage) => {
    proxyReq.prependListener('upgrade', (upstreamRes: IncomingMessage) => downstream(upstreamRes, req));
    proxyReq.prependListener('response', (upstreamRes: IncomingMessage) => {
      renewing(upstreamRes, req);
      downstream(upstreamRes, req);
    });
  });

  let closing: Promise<void> | undefined;
  const closeListeners: Array<() => void> = [];
  const handle: NotebookProxy = {
    address,
    origin,
    entryUrl: `${origin}/${policy.secret}${path}`,
    serveAt(publicOrigin) {
      const forwarded = new URL(publicOrigin);
      // A loopback port is reached through a plain tunnel on the browser's machine, which keeps any Host: the
      // secret host name works there too. A forwarded domain routes by name, so its own name is used.
      const local = isLoopbackUrl(publicOrigin);
      const at = local ? `http://${secretHost(hostSecret, forwarded.port || '80')}` : forwarded.origin;
      if (!origins.includes(at)) {
        origins.push(at);
        logger.info(`Notebook proxy: also answering at ${local ? `port ${forwarded.port}` : at} (forwarded)`);
      }
      return `${at}/${policy.secret}${path}`;
    },
    get closed() {
      return closing !== undefined;
    },
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const socket of sockets) socket.destroy();
        await stopped;
        logger.debug('Notebook proxy: closed');
        for (const listener of closeListeners.splice(0)) listener();
      })();
      return closing;
    },
    onDidClose(listener) {
      if (closing) void closing.then(listener);
      else closeListeners.push(listener);
    },
  };
  logger.info(`Notebook proxy: listening on ${address}`);
  return handle;
}

function refuse(res: ServerResponse): void {
  res.writeHead(403, {
    'Content-Type': 'text/plain',
    'Content-Length': FORBIDDEN.length,
    'Referrer-Policy': REFERRER_POLICY,
    Connection: 'close',
  });
  res.end(FORBIDDEN);
}

/**
 * The frame's first request, by the secret path: leaves the cookie and sends the frame on to the same path
 * without the secret, so no address the page can see afterwards (its location, a Referer) holds it.
 */
function enter(res: ServerResponse, path: string, cookie: string): void {
  res.writeHead(303, {
    Location: path,
    'Set-Cookie': cookie,
    'Cache-Control': 'no-store',
    'Referrer-Policy': REFERRER_POLICY,
    'Content-Length': 0,
  });
  res.end();
}

/** The storage script of storageShim.ts, from the proxy itself. */
function script(res: ServerResponse): void {
  res.writeHead(200, {
    'Content-Type': 'text/javascript; charset=utf-8',
    'Content-Length': Buffer.byteLength(STORAGE_SHIM),
    'Cache-Control': 'no-store',
    'Referrer-Policy': REFERRER_POLICY,
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(STORAGE_SHIM);
}

/**
 * Puts the storage script into a page's first chunk as http-proxy-3 copies it to the browser (it copies
 * upstream's headers after this, so the length is dropped there: the page grows). Anything but an
 * uncompressed HTML page goes through untouched.
 */
function shimPage(upstreamRes: IncomingMessage, res: ServerResponse): void {
  const type = String(upstreamRes.headers['content-type'] ?? '');
  if (upstreamRes.statusCode !== 200 || !/^text\/html\b/i.test(type) || upstreamRes.headers['content-encoding']) return;
  delete upstreamRes.headers['content-length'];
  const write = res.write.bind(res) as (chunk: unknown, ...rest: unknown[]) => boolean;
  let first = true;
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (first && chunk !== undefined && chunk !== null) {
      first = false;
      chunk = withStorageShim(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk as string)));
    }
    return write(chunk, ...rest);
  }) as ServerResponse['write'];
}

/** The connection could not sign in (or ended) for a request: a 503 that says so, nothing more. */
function unavailable(res: ServerResponse, logger: Logger, error: unknown): void {
  logger.warn(`Notebook proxy: no session for a request: ${(error as Error).message}`);
  const text = 'The notebook session is not available. Use Reload in the toolbar.';
  res.writeHead(503, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(text), 'Referrer-Policy': REFERRER_POLICY });
  res.end(text);
}
