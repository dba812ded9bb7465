// The presigned URL on its way to the browser: only string surgery, never a parse-and-reserialise, so the
// authToken (which may hold `+ / = %`) arrives exactly as SageMaker issued it. WHATWG's parser (Node, the
// browser) is only asked to agree with the surgery, never to write the URL.
import { english, type L10n } from '../shared/l10n';
import { isLoopbackUrl } from '../shared/loopback';

import type { NotebookInterface } from '../shared/openChoice';
export type { NotebookInterface };

/** Inserts `/lab` (JupyterLab) or `/tree` (classic Jupyter) into the path, before the query. */
export function interfaceUrl(authorizedUrl: string, ui: NotebookInterface): string {
  const cut = authorizedUrl.search(/[?#]/);
  const head = cut < 0 ? authorizedUrl : authorizedUrl.slice(0, cut);
  const tail = cut < 0 ? '' : authorizedUrl.slice(cut);
  const schemeEnd = head.indexOf('://') + 3;
  const pathStart = head.indexOf('/', schemeEnd);
  const origin = pathStart < 0 ? head : head.slice(0, pathStart);
  const path = pathStart < 0 ? '' : head.slice(pathStart).replace(/\/+$/, '');
  return `${origin}${path}${ui === 'jupyterlab' ? '/lab' : '/tree'}${tail}`;
}

export type CheckedUrl = { readonly url: string; readonly refused?: undefined } | { readonly url?: undefined; readonly refused: string };

// RFC 3986's reading of the raw string: scheme "://" authority, then path, query and fragment. WHATWG's
// parser reads some strings differently (it ends the authority at `\`, drops tabs and newlines, maps
// non-ASCII hosts), so nothing that could make the two disagree is let through.
const PARTS = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?(?:#.*)?$/;
const HOST_PORT = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?$/;
const PATH = /^(?:\/[A-Za-z0-9._~!$&'()*+,;=:@%-]*)*$/;
const QUERY = /^\?[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*$/;
const DEFAULT_PORT: Record<string, string> = { http: '80', https: '443' };

/**
 * Whether the address the editor hands the browser for `url` (`external`, from asExternalUri) lost the
 * presigned token: code-server maps loopback URLs to its `/proxy/<port>/` path without their query
 * (coder/code-server#7573). Undefined (no mapping) loses nothing.
 */
export function losesToken(url: string, external: string | undefined): boolean {
  const token = /[?&]authToken=/;
  return external !== undefined && token.test(url) && !token.test(external);
}

/**
 * Checks the AuthorizedUrl SageMaker returned and gives back the URL to hand on, rebuilt from its checked
 * parts (scheme, host, port, path, query; the fragment is dropped) with the path and query byte for byte.
 * Refused: anything but printable ASCII, a `\` anywhere, an authority that is more than host and port
 * (`@`, a user name, `%`), an authority the WHATWG parser reads otherwise; anything but https (plain http
 * only from a loopback endpoint to a loopback notebook, which is the local test endpoint), or a host that is
 * not a SageMaker notebook host. The reason never includes the URL itself.
 */
export function checkAuthorizedUrl(raw: string, endpoint: string | undefined, l10n: L10n = english): CheckedUrl {
  const invalid = { refused: l10n.t('SageMaker returned a URL that is not valid.') };
  const twoWays = { refused: l10n.t('SageMaker returned a URL whose host could be read two ways; it is not opened.') };
  const parts = /^[\x21-\x7e]*$/.test(raw) ? PARTS.exec(raw) : null;
  if (!parts) return invalid;
  const [, rawScheme, authority, path, query = ''] = parts;
  const hostPort = HOST_PORT.exec(authority);
  if (!hostPort) return twoWays;
  if (raw.includes('\\') || !PATH.test(path) || (query && !QUERY.test(query))) return invalid;
  const scheme = rawScheme.toLowerCase();
  const host = hostPort[1].toLowerCase();
  const port = hostPort[2] === undefined || hostPort[2] === DEFAULT_PORT[scheme] ? '' : hostPort[2];
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return invalid;
  }
  if (parsed.hostname !== host || parsed.port !== port || parsed.username || parsed.password) return twoWays;
  const url = `${scheme}://${host}${port ? `:${port}` : ''}${path}${query}`;
  if (isLoopbackUrl(endpoint) && isLoopbackUrl(url) && (scheme === 'http' || scheme === 'https')) return { url };
  if (scheme !== 'https') return { refused: l10n.t('SageMaker returned a {0} URL; only https is opened.', scheme) };
  if (!/\.sagemaker\.aws$|\.sagemaker\.com\.cn$/.test(host)) {
    return { refused: l10n.t('SageMaker returned a URL for {0}, which is not a SageMaker notebook host.', host) };
  }
  return { url };
}

/** The endpoint the SDK will call, as far as the extension can tell, for the loopback check above. */
export function effectiveEndpoint(setting: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  return setting || env.AWS_ENDPOINT_URL_SAGEMAKER || env.AWS_ENDPOINT_URL || undefined;
}
