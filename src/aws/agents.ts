// Node agents for the SageMaker client, built from an AgentPlan. Part of the lazily loaded SDK bundle.
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { getProxyForUrl } from 'proxy-from-env';
import type { AgentPlan } from './network';

export { getProxyForUrl };

export function createAgents(plan: AgentPlan): { httpAgent: http.Agent; httpsAgent: https.Agent } {
  const tls = tlsOptions(plan);
  if (plan.proxy) {
    return {
      httpAgent: new HttpProxyAgent(plan.proxy, { keepAlive: true }),
      httpsAgent: new HttpsProxyAgent(plan.proxy, { keepAlive: true, ...tls }),
    };
  }
  return { httpAgent: new http.Agent({ keepAlive: true }), httpsAgent: new https.Agent({ keepAlive: true, ...tls }) };
}

/**
 * The agent for the in-editor proxy's connections to a notebook's own host. Through a proxy it is a CONNECT
 * tunnel for http and https alike: Jupyter's kernels speak WebSocket, which an HTTP proxy's absolute-URI
 * forwarding does not carry. One agent per notebook proxy, destroyed with it.
 */
export function createTunnelAgent(plan: AgentPlan, secure: boolean): http.Agent {
  const tls = tlsOptions(plan);
  if (plan.proxy) return new HttpsProxyAgent(plan.proxy, { keepAlive: true, ...tls });
  return secure ? new https.Agent({ keepAlive: true, ...tls }) : new http.Agent({ keepAlive: true });
}

/** Certificate checking for https targets: VS Code's http.proxyStrictSSL and the CA bundle in force. */
function tlsOptions(plan: AgentPlan): { rejectUnauthorized: boolean; ca?: string } {
  return { rejectUnauthorized: plan.rejectUnauthorized, ...(plan.caBundle ? { ca: readCaBundle(plan.caBundle) } : {}) };
}

function readCaBundle(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`Could not read the CA bundle ${file} (AWS_CA_BUNDLE or the profile's ca_bundle): ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
}
