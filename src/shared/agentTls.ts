// The TLS options of an https agent, repeated on each request made with it. VS Code's proxy support
// (`http.proxySupport`, default `override`) replaces an extension's agent with its own for every host but
// localhost and 127.0.0.1, keeping only the agent's `options.ca`; what reaches the TLS connection of the
// agent it puts in place (direct, or through the proxy's CONNECT tunnel) is the request's own options. So a
// request that carries its agent's `ca` and `rejectUnauthorized` keeps the CA bundle and
// http.proxyStrictSSL under every proxy support setting. With `off`, the agent's own options win anyway.
import * as https from 'node:https';
import type { Agent as HttpAgent, ClientRequest } from 'node:http';

export * from 'node:https';

export interface AgentTls {
  ca?: https.AgentOptions['ca'];
  rejectUnauthorized?: boolean;
}

/** `ca` and `rejectUnauthorized` as the agent was made with them; nothing for a plain http agent or none. */
export function agentTls(agent: HttpAgent | boolean | undefined | null): AgentTls {
  if (!(agent instanceof https.Agent)) return {};
  const options = (agent as https.Agent & { options: https.AgentOptions }).options;
  const tls: AgentTls = {};
  if (options.ca !== undefined) tls.ca = options.ca;
  if (options.rejectUnauthorized !== undefined) tls.rejectUnauthorized = options.rejectUnauthorized;
  return tls;
}

/**
 * `https.request` that first copies its agent's TLS options onto the request (the request's own win).
 * The SDK's request handler is bundled against this module in place of `node:https` (scripts/build.mjs).
 */
export function request(...args: unknown[]): ClientRequest {
  const at = typeof args[0] === 'string' || args[0] instanceof URL ? 1 : 0;
  const options = args[at];
  if (options && typeof options === 'object' && 'agent' in options) {
    args[at] = { ...agentTls((options as https.RequestOptions).agent), ...options };
  }
  return (https.request as (...a: unknown[]) => ClientRequest)(...args);
}

/** The module as a default import sees it (the SDK's handler does `import https from 'node:https'`). */
const withAgentTls: typeof https = { ...https, request: request };
export default withAgentTls;
