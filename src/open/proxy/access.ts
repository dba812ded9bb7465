// Who may use the notebook proxy. Anything on this machine can connect to a loopback port, and any page the
// editor shows can try to, so a connection proves nothing. Two secrets guard it:
// - The address: `http://<host secret>.localhost:PORT` (browsers resolve any `*.localhost` to loopback).
//   Requests to 127.0.0.1 or any other name are refused, so a cookie the browser holds for the proxy goes to
//   no other listener: browsers ignore ports for cookies, but not host names. The name is not enough alone:
//   browsers tell it in the Origin header of every CORS request the page makes, to whatever server it asks.
// - A cookie that holds the access secret, set by the frame's first request, whose path holds that secret
//   once (the proxy answers it itself, with the cookie and a redirect to the same path without it).
// Where port forwarding names the address (a domain of its own), only the cookie guards it.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** 40 lowercase hex characters from 20 random bytes: 160 bits, and a valid DNS label (Host is case-insensitive). */
export function newSecret(): string {
  return randomBytes(20).toString('hex');
}

/** The host name that holds the secret: resolved to loopback by the browser, never by DNS. */
export function secretHost(secret: string, port: number | string): string {
  return `${secret}.localhost:${port}`;
}

export interface AccessPolicy {
  /** `http://<host secret>.localhost:PORT` first, then any address port forwarding gave the proxy. */
  readonly origins: readonly string[];
  /** The access secret: the entry path's first segment and the cookie's value. Not the host secret. */
  readonly secret: string;
  readonly cookieName: string;
}

export type Access =
  | {
      readonly granted: true;
      /**
       * `entry`: the frame's first request, by the secret path; answered by the proxy itself (the cookie and a
       * redirect to `path`), never forwarded. `cookie`: forwarded upstream.
       */
      readonly via: 'entry' | 'cookie';
      /** The path to forward (or, for `entry`, to redirect to), secret removed. */
      readonly path: string;
      /** Which of the policy's origins the request came to. */
      readonly origin: string;
    }
  | { readonly granted: false };

const DENIED: Access = { granted: false };

/**
 * Through an origin of the policy named by the exact Host, and then either
 * - a navigation of the notebook's frame (the webview that frames it is another site, so it cannot be
 *   same-origin), GET only, or
 * - a request of the proxy's own pages: `Sec-Fetch-Site: same-origin` and, when present, its own Origin (a
 *   client that sends neither is not a browser, and can know the secrets only by being given them);
 * with the secret cookie, or (the entry) the secret path that sets it.
 */
export function checkAccess(policy: AccessPolicy, req: { url?: string; method?: string; headers: IncomingHttpHeaders }): Access {
  const url = req.url ?? '';
  const origin = originAt(policy, req.headers.host);
  if (!origin || !url.startsWith('/')) return DENIED;
  if (!isNavigation(req) && !isSameOrigin(origin, req.headers)) return DENIED;
  const first = /^\/([^/?#]*)(\/.*)$/.exec(url);
  if (first && sameSecret(first[1], policy.secret))
    return isSafe(req.method) ? { granted: true, via: 'entry', path: first[2], origin } : DENIED;
  const cookies = cookieValues(req.headers.cookie, policy.cookieName);
  return cookies.some((value) => sameSecret(value, policy.secret)) ? { granted: true, via: 'cookie', path: url, origin } : DENIED;
}

/**
 * The secret cookie: HttpOnly so no script, Jupyter's included, reads it; host-only, so it goes to the
 * proxy's secret host name (or the forwarded name) alone; its name tells nothing. SameSite=None (which
 * requires Secure) because the frame sits under the editor's own site, and Partitioned, so it is kept for
 * the editor's window only: a page elsewhere that frames the same address has its own, empty, partition.
 */
export function secretCookie(policy: AccessPolicy): string {
  return `${policy.cookieName}=${policy.secret}; Path=/; HttpOnly; Secure; SameSite=None; Partitioned`;
}

/**
 * The policy's origin whose host is exactly `host`. Every origin is compared, in constant time, whatever
 * matched: the host names hold the secret.
 */
function originAt(policy: AccessPolicy, host: string | undefined): string | undefined {
  if (!host) return undefined;
  const wanted = host.toLowerCase();
  let found: string | undefined;
  for (const candidate of policy.origins) if (sameSecret(wanted, hostOf(candidate)) && !found) found = candidate;
  return found;
}

/** A browser navigating the notebook's frame (or a window): the only cross-site request the proxy takes. */
function isNavigation(req: { method?: string; headers: IncomingHttpHeaders }): boolean {
  const h = req.headers;
  return (
    isSafe(req.method) &&
    h['sec-fetch-mode'] === 'navigate' &&
    ['iframe', 'frame', 'document'].includes(String(h['sec-fetch-dest'])) &&
    h.origin === undefined
  );
}

/**
 * Browsers mark every request with Sec-Fetch-Site, and WebSocket handshakes and writes with Origin, which a
 * page cannot forge.
 */
function isSameOrigin(origin: string, headers: IncomingHttpHeaders): boolean {
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return false;
  return headers.origin === undefined || headers.origin === origin;
}

function isSafe(method: string | undefined): boolean {
  return method === undefined || method === 'GET' || method === 'HEAD';
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

/** Constant-time equality whatever the lengths: digests of equal size are compared, never the strings. */
export function sameSecret(candidate: string, secret: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(candidate), digest(secret));
}
