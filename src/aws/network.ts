// Which proxy and which CA bundle a SageMaker request goes through, decided as the AWS CLI and VS Code do:
// VS Code's http.proxy (minus http.noProxy) first, else HTTPS_PROXY / HTTP_PROXY / NO_PROXY from the
// environment; AWS_CA_BUNDLE, else the profile's ca_bundle. Pure: the agents are built in agents.ts.

export interface NetworkSettings {
  /** VS Code's `http.proxy`. */
  readonly proxy?: string;
  /** VS Code's `http.noProxy`: hosts (or `.domain` suffixes) that bypass http.proxy. */
  readonly noProxy?: readonly string[];
  /** VS Code's `http.proxyStrictSSL`: false accepts any certificate (as VS Code itself then does). */
  readonly strictSSL: boolean;
  /** A PEM file of trusted CAs: AWS_CA_BUNDLE, else the profile's `ca_bundle`. */
  readonly caBundle?: string;
}

export interface AgentPlan {
  readonly proxy?: string;
  readonly caBundle?: string;
  readonly rejectUnauthorized: boolean;
}

/** The SageMaker API URL the SDK will call for a region, for proxy and NO_PROXY matching. */
export function apiUrl(region: string, endpoint: string | undefined): string {
  if (endpoint) return endpoint;
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://api.sagemaker.${region}.${suffix}`;
}

export function planAgent(target: string, settings: NetworkSettings, envProxy: (url: string) => string): AgentPlan {
  const host = hostOf(target);
  let proxy: string | undefined;
  if (settings.proxy) {
    proxy = bypassed(host, settings.noProxy ?? []) ? undefined : settings.proxy;
  } else {
    proxy = envProxy(target) || undefined;
  }
  return { proxy, caBundle: settings.caBundle, rejectUnauthorized: settings.strictSSL };
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}

function bypassed(host: string, noProxy: readonly string[]): boolean {
  return noProxy.some((entry) => {
    const e = entry.trim().toLowerCase().replace(/:\d+$/, '');
    if (!e) return false;
    if (e === '*') return true;
    const bare = e.replace(/^\*?\./, '');
    return host === bare || host.endsWith(`.${bare}`);
  });
}

/** The CA bundle in force: the environment's AWS_CA_BUNDLE wins over the profile's ca_bundle, as in the CLI. */
export function caBundlePath(env: NodeJS.ProcessEnv, profileCaBundle: string | undefined): string | undefined {
  return env.AWS_CA_BUNDLE || profileCaBundle || undefined;
}
