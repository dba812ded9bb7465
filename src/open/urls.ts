// The presigned URL on its way to the browser: only string surgery, never a parse-and-reserialise, so the
// authToken (which may hold `+ / = %`) arrives exactly as SageMaker issued it.
import { english, type L10n } from '../l10n';

export type NotebookInterface = 'jupyterlab' | 'jupyter';

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

const LOOPBACK = /^(127(?:\.\d{1,3}){3}|localhost|\[::1\])$/i;

export function isLoopbackUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    return LOOPBACK.test(new URL(url).hostname) || new URL(url).hostname === '::1';
  } catch {
    return false;
  }
}

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
 * Refuses a URL the browser must not be sent to: anything but https (plain http only from a loopback
 * endpoint to a loopback notebook, which is the local test endpoint), or a host that is not a SageMaker
 * notebook host. Returns the reason, or undefined when the URL is fine. Never includes the URL itself.
 */
export function refuseAuthorizedUrl(url: string, endpoint: string | undefined, l10n: L10n = english): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return l10n.t('SageMaker returned a URL that is not valid.');
  }
  if (isLoopbackUrl(endpoint) && isLoopbackUrl(url) && (parsed.protocol === 'http:' || parsed.protocol === 'https:')) return undefined;
  if (parsed.protocol !== 'https:') return l10n.t('SageMaker returned a {0} URL; only https is opened.', parsed.protocol.replace(':', ''));
  if (!/\.sagemaker\.aws$|\.sagemaker\.com\.cn$/i.test(parsed.hostname)) {
    return l10n.t('SageMaker returned a URL for {0}, which is not a SageMaker notebook host.', parsed.hostname);
  }
  return undefined;
}

/** The endpoint the SDK will call, as far as the extension can tell, for the loopback check above. */
export function effectiveEndpoint(setting: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  return setting || env.AWS_ENDPOINT_URL_SAGEMAKER || env.AWS_ENDPOINT_URL || undefined;
}
