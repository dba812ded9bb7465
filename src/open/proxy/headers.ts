// Header surgery between the webview and Jupyter. Upstream, requests must look as if Jupyter's own page had
// sent them (its Host, Origin and Referer checks compare against its own host) and carry the proxy's
// cookies, never the webview's. Downstream, the page must be allowed in a frame and must never see a cookie.
import type { IncomingHttpHeaders } from 'node:http';

export interface Endpoints {
  /** `https://nb.notebook.us-east-1.sagemaker.aws` */
  readonly upstreamOrigin: string;
  /** The proxy's origin the request came to: `http://<secret>.localhost:PORT`, or a forwarded one. */
  readonly proxyOrigin: string;
}

/** Safe methods are the ones Jupyter (Tornado) does not check `_xsrf` on. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Request headers that would tell upstream about the proxy or its client; dropped, never forwarded. */
const DROPPED_REQUEST = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-port', 'x-forwarded-proto', 'x-real-ip'];

/**
 * Rewrites an incoming request's headers in place for upstream. `cookie` is the jar's Cookie header for
 * the request's path; `xsrf` the jar's `_xsrf` value, sent as X-XSRFToken on writes (the browser cannot
 * send it: it never sees Jupyter's cookies).
 */
export function rewriteRequestHeaders(
  headers: IncomingHttpHeaders,
  method: string | undefined,
  ends: Endpoints,
  jar: { cookie: string; xsrf: string },
): void {
  for (const name of DROPPED_REQUEST) delete headers[name];
  headers.host = new URL(ends.upstreamOrigin).host;
  if (headers.origin !== undefined) headers.origin = ends.upstreamOrigin;
  // The proxy's pages send no Referer (they are served with no-referrer); upstream sees what Jupyter's own
  // page would send, its own origin, which is what Jupyter's cross-site checks compare against.
  headers.referer = headers.referer === undefined ? `${ends.upstreamOrigin}/` : upstreamReferer(headers.referer, ends);
  if (jar.cookie) headers.cookie = jar.cookie;
  else delete headers.cookie;
  if (!SAFE_METHODS.has((method ?? 'GET').toUpperCase())) headers['x-xsrftoken'] = jar.xsrf;
}

/** A Referer from the proxy's own page maps to the same page upstream; any other (the webview) to upstream's root. */
function upstreamReferer(referer: string, ends: Endpoints): string {
  if (!referer.startsWith(`${ends.proxyOrigin}/`)) return `${ends.upstreamOrigin}/`;
  return ends.upstreamOrigin + referer.slice(ends.proxyOrigin.length);
}

/**
 * Every response of the proxy: its pages' addresses name the proxy's secret host, so no request they make
 * may say where it came from (upstream's own policy, `unsafe-url` even, is overridden).
 */
export const REFERRER_POLICY = 'no-referrer';

/**
 * Rewrites a response's headers in place for the webview and returns the Set-Cookie lines it removed, for
 * the jar: the proxy keeps Jupyter's session, the webview never holds it.
 */
export function rewriteResponseHeaders(headers: IncomingHttpHeaders, ends: Endpoints): string[] {
  const setCookies = headers['set-cookie'] ?? [];
  delete headers['set-cookie'];
  delete headers['x-frame-options'];
  headers['referrer-policy'] = REFERRER_POLICY;
  const csp = headers['content-security-policy'];
  if (csp !== undefined) {
    const kept = withoutFrameAncestors(Array.isArray(csp) ? csp.join(', ') : csp);
    if (kept) headers['content-security-policy'] = kept;
    else delete headers['content-security-policy'];
  }
  if (typeof headers.location === 'string') headers.location = proxyLocation(headers.location, ends);
  return setCookies;
}

/**
 * Drops the `frame-ancestors` directive (it names upstream as the only allowed parent, and the parent is now
 * the webview) and keeps every other directive. Node joins repeated CSP headers with ", ", which in CSP
 * separates policies, so each policy is cleaned on its own.
 */
export function withoutFrameAncestors(csp: string): string {
  return csp
    .split(',')
    .map((policy) =>
      policy
        .split(';')
        .map((directive) => directive.trim())
        .filter((directive) => directive && directive.split(/\s+/)[0].toLowerCase() !== 'frame-ancestors')
        .join('; '),
    )
    .filter((policy) => policy)
    .join(', ');
}

/**
 * Redirects to upstream (absolute, scheme-relative or by absolute path) come back through the proxy as an
 * absolute path: the browser resolves it against the origin it is at, so the Location names no address of
 * the proxy (which holds the secret) at all.
 */
export function proxyLocation(location: string, ends: Endpoints): string {
  if (location.startsWith('/') && !location.startsWith('//')) return location;
  const absolute = location.startsWith('//') ? new URL(ends.upstreamOrigin).protocol + location : location;
  if (!isAt(absolute, ends.upstreamOrigin)) return location;
  const rest = absolute.slice(ends.upstreamOrigin.length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/** True when `url` is `base` itself or something under it, not merely a host that starts the same way. */
function isAt(url: string, base: string): boolean {
  if (!url.toLowerCase().startsWith(base.toLowerCase())) return false;
  const next = url.charAt(base.length);
  return next === '' || next === '/' || next === '?' || next === '#';
}
