// The proxy's cookie jar. It only ever talks to one upstream origin, so it needs none of a browser jar's
// multi-domain machinery (public-suffix list included): cookies are kept by (name, path) and follow RFC 6265's
// path, expiry and ordering rules. Set-Cookie parsing is set-cookie-parser's.
import { isLoopbackHost } from '../shared/loopback';
import { parseSetCookie, type Cookie } from 'set-cookie-parser';

interface Stored {
  name: string;
  value: string;
  path: string;
  /** Epoch ms; undefined for a session cookie, which lives as long as the proxy. */
  expiresAt?: number;
  secure: boolean;
  /** Creation order, kept when a cookie is overwritten (RFC 6265 §5.3 step 11.3). */
  seq: number;
}

export class CookieStore {
  /** Keyed `name=path`: a cookie name never contains '=', so the key is unambiguous. */
  private readonly cookies = new Map<string, Stored>();
  private readonly host: string;
  private readonly sendsSecure: boolean;
  private nextSeq = 0;

  /** `origin` is the one upstream, e.g. `https://nb.notebook.us-east-1.sagemaker.aws`. */
  constructor(
    origin: string,
    private readonly now: () => number = Date.now,
  ) {
    const url = new URL(origin);
    this.host = url.hostname.toLowerCase();
    this.sendsSecure = url.protocol === 'https:' || isLoopbackHost(this.host);
  }

  /**
   * Keeps the cookies from a response to `requestPath` (a URL path, no query). Unparseable lines and cookies
   * for a domain other than the upstream's are dropped; an expired one deletes its namesake.
   */
  absorb(setCookies: readonly string[], requestPath: string): void {
    for (const cookie of parseSetCookie(setCookies, { decodeValues: false, silent: true, split: false })) {
      this.store(cookie, requestPath);
    }
  }

  /** The Cookie header for a request to `requestPath`: longest path first, then oldest; '' when none apply. */
  header(requestPath: string): string {
    return this.matching(requestPath)
      .map((c) => (c.name ? `${c.name}=${c.value}` : c.value))
      .join('; ');
  }

  /** The value the upstream would receive for `name` on a request to `requestPath`. */
  get(name: string, requestPath: string): string | undefined {
    return this.matching(requestPath).find((c) => c.name === name)?.value;
  }

  private store(cookie: Cookie, requestPath: string): void {
    if (cookie.domain && !domainMatches(this.host, cookie.domain.replace(/^\./, '').toLowerCase())) return;
    const path = cookie.path?.startsWith('/') ? cookie.path : defaultPath(requestPath);
    const key = `${cookie.name}=${path}`;
    // Max-Age wins over Expires (§5.3 step 3); Max-Age <= 0 means "already expired".
    const expiresAt =
      cookie.maxAge !== undefined ? (cookie.maxAge <= 0 ? -Infinity : this.now() + cookie.maxAge * 1000) : cookie.expires?.getTime();
    if (expiresAt !== undefined && expiresAt <= this.now()) {
      this.cookies.delete(key);
      return;
    }
    const seq = this.cookies.get(key)?.seq ?? this.nextSeq++;
    this.cookies.set(key, { name: cookie.name, value: cookie.value, path, expiresAt, secure: cookie.secure === true, seq });
  }

  private matching(requestPath: string): Stored[] {
    const now = this.now();
    const found: Stored[] = [];
    for (const [key, c] of this.cookies) {
      if (c.expiresAt !== undefined && c.expiresAt <= now) this.cookies.delete(key);
      else if (pathMatches(requestPath, c.path) && (!c.secure || this.sendsSecure)) found.push(c);
    }
    return found.sort((a, b) => b.path.length - a.path.length || a.seq - b.seq);
  }
}

/** RFC 6265 §5.1.4: the directory of the request path, '/' at the top. */
export function defaultPath(requestPath: string): string {
  if (!requestPath.startsWith('/')) return '/';
  const slash = requestPath.lastIndexOf('/');
  return slash === 0 ? '/' : requestPath.slice(0, slash);
}

/** RFC 6265 §5.1.4: the cookie path is the request path or a whole-segment prefix of it. */
export function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

/**
 * RFC 6265 §5.1.3, the host against a Domain attribute: the host itself or a parent domain of it (never for an
 * IP address). A parent domain is fine here: whatever it names, the cookie only ever goes back to this host.
 */
function domainMatches(host: string, domain: string): boolean {
  if (host === domain) return true;
  const isIp = /^[\d.]+$/.test(host) || host.startsWith('[');
  return !isIp && host.endsWith(`.${domain}`);
}
