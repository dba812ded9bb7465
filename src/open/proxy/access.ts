// Who may use the notebook proxy. Anything on this machine can connect to a loopback port, and any web page
// the editor shows can try to, so a connection alone proves nothing: a request must name the proxy by its
// exact Host (a rebound DNS name cannot) and carry the per-proxy secret.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** 32 url-safe characters from 24 random bytes: 192 bits, far beyond guessing. */
export function newSecret(): string {
  return randomBytes(24).toString('base64url');
}

export interface AccessPolicy {
  /**
   * The origins the proxy answers at, by their exact Host: `http://127.0.0.1:PORT` first, then any address
   * the editor's port forwarding gives it (remote development, a browser-based VS Code).
   */
  readonly origins: readonly string[];
  readonly secret: string;
  /** Cookies ignore ports, so the name carries the port to keep two proxies' cookies apart. */
  readonly cookieName: string;
}

export type Access =
  | {
      readonly granted: true;
      readonly via: 'prefix' | 'cookie';
      /** The path to forward, secret removed. */
      readonly path: string;
      /** Which of the policy's origins the request came to. */
      readonly origin: string;
    }
  | { readonly granted: false };

const DENIED: Access = { granted: false };

/**
 * Jupyter's pages refer to `/static/…`, `/api/…` and open `ws://host/api/kernels/…` by absolute path, so
 * only the first request (the iframe's entry URL) carries the secret in its path. That response sets the
 * secret as a cookie, and later requests without the prefix must carry the cookie instead; they must also
 * come from the proxy's own pages (same-origin), since the cookie has to be SameSite=None to work in the
 * webview's cross-site iframe and would otherwise ride along on requests other pages make.
 */
export function checkAccess(policy: AccessPolicy, req: { url?: string; headers: IncomingHttpHeaders }): Access {
  const url = req.url ?? '';
  const host = req.headers.host?.toLowerCase();
  const origin = host ? policy.origins.find((o) => hostOf(o) === host) : undefined;
  if (!origin || !url.startsWith('/')) return DENIED;
  const prefix = `/${policy.secret}/`;
  if (url.startsWith(prefix)) return { granted: true, via: 'prefix', path: url.slice(prefix.length - 1), origin };
  if (!isSameOrigin(origin, req.headers)) return DENIED;
  const cookies = cookieValues(req.headers.cookie, policy.cookieName);
  return cookies.some((value) => sameSecret(value, policy.secret)) ? { granted: true, via: 'cookie', path: url, origin } : DENIED;
}

/** The cookie that lets Jupyter's absolute paths through; HttpOnly so no script, Jupyter's included, reads it. */
export function secretCookie(policy: AccessPolicy): string {
  // SameSite=None (which requires Secure, allowed on http://127.0.0.1) because the iframe sits under the
  // editor's own origin: a Lax or Strict cookie would be neither stored nor sent there.
  return `${policy.cookieName}=${policy.secret}; Path=/; HttpOnly; Secure; SameSite=None; Partitioned`;
}

/**
 * Browsers mark every request with Sec-Fetch-Site, and WebSocket handshakes with Origin, which a page
 * cannot forge. A client without them is not a browser and cannot hold the cookie without the secret.
 */
function isSameOrigin(origin: string, headers: IncomingHttpHeaders): boolean {
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return false;
  return headers.origin === undefined || headers.origin === origin;
}

/** `host:port` as a Host header names it (URL drops a scheme's default port, as browsers do in Host). */
function hostOf(origin: string): string {
  return new URL(origin).host;
}

function cookieValues(header: string | undefined, name: string): string[] {
  if (!header) return [];
  const values: string[] = [];
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) values.push(pair.slice(eq + 1).trim());
  }
  return values;
}

function sameSecret(candidate: string, secret: string): boolean {
  const a = Buffer.from(candidate);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}
