// A sign-in to the instance's Jupyter server: the presigned URL followed through SageMaker's hops, and every
// cookie it sets (the Jupyter cookies of this login, `_xsrf`) kept in the connection's own jar, following
// Jupyter's updates. (The "session" of the timer is the presigned lifetime; a login is one use of it.)
import { randomBytes } from 'node:crypto';
import { request as httpRequest, type Agent, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from '../shared/agentTls'; // keeps the CA and strict SSL under VS Code's proxy support
import type { Logger } from '../shared/log';
import { CookieStore } from './cookieStore';

/** Enough for SageMaker's sign-in hops (token → session → /lab); more means a loop. */
const MAX_REDIRECTS = 10;

export class JupyterLogin {
  private readonly jar: CookieStore;

  private constructor(readonly origin: string) {
    this.jar = new CookieStore(origin);
  }

  /**
   * Visits the presigned URL, following redirects by hand so every hop's Set-Cookie lands in the jar, until
   * a page answers. The URL is single-use and names a live session: it is fetched exactly as given (no
   * re-encoding of the token) and never logged; errors name the status, not the URL.
   */
  static async signIn(authorizedUrl: string, logger: Logger, timeoutMs: number, agent?: Agent): Promise<JupyterLogin> {
    const login = new JupyterLogin(new URL(authorizedUrl).origin);
    const signal = AbortSignal.timeout(timeoutMs);
    let url = authorizedUrl;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      let res: { status: number; headers: IncomingHttpHeaders };
      try {
        const cookie = login.cookiesAt(url);
        // The notebook's agent (its proxy tunnel, its CA) for every hop of the same scheme, this host's or not:
        // behind a proxy there is no direct way out. A hop of another scheme cannot use it.
        const sameScheme = new URL(url).protocol === new URL(login.origin).protocol;
        res = await get(url, cookie ? { cookie } : {}, sameScheme ? agent : undefined, signal);
      } catch (error) {
        const reason = signal.aborted ? `no answer within ${timeoutMs} ms` : describe(error);
        throw new Error(`Could not sign in to the notebook: ${reason}`, { cause: error });
      }
      login.absorb(res.headers['set-cookie'] ?? [], url);
      logger.debug(`Notebook sign-in: ${pathOf(url)} answered ${res.status}`);
      const location = res.headers.location;
      if (res.status >= 300 && res.status < 400 && location) {
        url = new URL(location, url).href;
        if (!/^https?:$/.test(new URL(url).protocol)) throw new Error('Could not sign in to the notebook: redirected off the web');
        continue;
      }
      if (res.status < 200 || res.status >= 300) throw new Error(`Could not sign in to the notebook: HTTP ${res.status}`);
      return login;
    }
    throw new Error('Could not sign in to the notebook: too many redirects');
  }

  /** The Cookie header for a request to `path` upstream ('' when the jar has nothing for it). */
  cookieFor(path: string): string {
    return this.jar.header(path);
  }

  /**
   * Keeps the cookies an upstream response set; unparseable or foreign-domain ones are ignored, and so is a
   * response from another origin (a sign-in hop elsewhere): the jar holds this upstream's cookies only.
   */
  absorb(setCookies: readonly string[], url: string): void {
    const target = new URL(url);
    if (target.origin === this.origin) this.jar.absorb(setCookies, target.pathname);
  }

  /**
   * The value for X-XSRFToken. Tornado's check is a double submit (the `_xsrf` cookie must equal the header),
   * so when Jupyter has not set one yet the proxy mints a pair itself rather than let the first write fail.
   */
  xsrfToken(path = '/'): string {
    const existing = this.jar.get('_xsrf', path);
    if (existing !== undefined) return existing;
    const minted = randomBytes(16).toString('hex');
    this.jar.absorb([`_xsrf=${minted}; Path=/`], '/');
    return minted;
  }

  /** The Cookie header for a sign-in hop: none for a hop to another origin, which must not see ours. */
  private cookiesAt(url: string): string {
    const target = new URL(url);
    return target.origin === this.origin ? this.jar.header(target.pathname) : '';
  }
}

/** A URL's path without its query, which is where a token would be. */
export function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '(unparseable)';
  }
}

/** One GET, body discarded; the URL goes out as given (Node sends its path and query unchanged). */
function get(
  url: string,
  headers: Record<string, string>,
  agent: Agent | undefined,
  signal: AbortSignal,
): Promise<{ status: number; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(target, { method: 'GET', headers, agent, signal }, (res) => {
      res.resume();
      res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      res.once('error', reject);
    });
    req.once('error', reject);
    req.end();
  });
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code ?? (error as { cause?: { code?: string } }).cause?.code;
  return code ?? (error instanceof Error ? error.name : 'unknown error');
}
