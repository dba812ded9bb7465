// Node agents for the SageMaker client, built from an AgentPlan. Part of the lazily loaded SDK bundle.
//
// Every https agent is an `https.Agent` whose `options` hold the CA bundle and `rejectUnauthorized`, the
// proxy-tunnelling one too. That is what makes the two proxy mechanisms agree:
// - `http.proxySupport: off`: these agents do the work, the CONNECT tunnel included, and the CA bundle and
//   http.proxyStrictSSL apply to the TLS connection to AWS inside the tunnel (https-proxy-agent 7 applies
//   its constructor's `ca` to the connection to the proxy only, and the TLS through the tunnel failed).
// - `override` (VS Code's default) and `fallback`: VS Code replaces the agent for non-loopback hosts with
//   its own, resolving the proxy from the same http.proxy setting, and keeps the CA only when the agent it
//   replaces is an `https.Agent` with `options.ca`: this one.
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as net from 'net';
import type { Duplex } from 'stream';
import * as tls from 'tls';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { getProxyForUrl } from 'proxy-from-env';
import type { AgentPlan } from './network';

export { getProxyForUrl };

export function createAgents(plan: AgentPlan): { httpAgent: http.Agent; httpsAgent: https.Agent } {
  const tlsOpts = tlsOptions(plan);
  if (plan.proxy) {
    return {
      httpAgent: new HttpProxyAgent(plan.proxy, { keepAlive: true }),
      httpsAgent: new TunnellingAgent(new URL(plan.proxy), { keepAlive: true, ...tlsOpts }),
    };
  }
  return { httpAgent: new http.Agent({ keepAlive: true }), httpsAgent: new https.Agent({ keepAlive: true, ...tlsOpts }) };
}

/**
 * The agent for the in-editor proxy's connections to a notebook's own host. Through a proxy it is a CONNECT
 * tunnel for http and https alike: Jupyter's kernels speak WebSocket, which an HTTP proxy's absolute-URI
 * forwarding does not carry. One agent per notebook proxy, destroyed with it.
 */
export function createTunnelAgent(plan: AgentPlan, secure: boolean): http.Agent {
  const tlsOpts = tlsOptions(plan);
  if (plan.proxy && secure) return new TunnellingAgent(new URL(plan.proxy), { keepAlive: true, ...tlsOpts });
  if (plan.proxy) return new HttpsProxyAgent(plan.proxy, { keepAlive: true, ...tlsOpts }); // plain http inside the tunnel
  return secure ? new https.Agent({ keepAlive: true, ...tlsOpts }) : new http.Agent({ keepAlive: true });
}

/**
 * An https.Agent whose connections are TLS through an HTTP CONNECT tunnel: the agent's own options (CA
 * bundle, rejectUnauthorized, servername) apply to the TLS connection with the target host. An https
 * proxy is reached with the same CA options.
 */
export class TunnellingAgent extends https.Agent {
  constructor(
    private readonly proxy: URL,
    options: https.AgentOptions,
  ) {
    super(options);
  }

  // Node's agent waits for the callback when createConnection returns nothing.
  override createConnection(requestOptions: http.ClientRequestArgs, callback?: (error: Error | null, socket: Duplex) => void): undefined {
    const options = requestOptions as tls.ConnectionOptions & { host?: string; port?: number };
    const host = options.host ?? 'localhost';
    const port = Number(options.port ?? 443);
    openTunnel(this.proxy, host, port, options).then(
      (socket) => {
        const secure = tls.connect({ ...options, socket, servername: options.servername ?? (net.isIP(host) ? undefined : host) });
        callback?.(null, secure);
      },
      (error: Error) => callback?.(error, undefined as unknown as Duplex),
    );
    return undefined;
  }
}

function openTunnel(proxy: URL, host: string, port: number, tlsOpts: tls.ConnectionOptions): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const proxyHost = proxy.hostname.replace(/^\[|\]$/g, '');
    const proxyPort = Number(proxy.port) || (proxy.protocol === 'https:' ? 443 : 80);
    const socket: net.Socket =
      proxy.protocol === 'https:'
        ? tls.connect({
            host: proxyHost,
            port: proxyPort,
            ca: tlsOpts.ca,
            rejectUnauthorized: tlsOpts.rejectUnauthorized,
            servername: net.isIP(proxyHost) ? undefined : proxyHost,
          })
        : net.connect({ host: proxyHost, port: proxyPort });
    const target = `${host.includes(':') ? `[${host}]` : host}:${port}`;
    const headers = [`CONNECT ${target} HTTP/1.1`, `Host: ${target}`];
    if (proxy.username || proxy.password) {
      headers.push(
        `Proxy-Authorization: Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`,
      );
    }
    let received = Buffer.alloc(0);
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      socket.off('error', fail);
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(received.subarray(0, end).toString('latin1'))?.[1];
      if (status !== '200')
        return fail(new Error(`The proxy refused the tunnel to ${target} (HTTP ${status ?? 'response not understood'})`));
      const rest = received.subarray(end + 4);
      if (rest.length) socket.unshift(rest);
      resolve(socket);
    };
    socket.on('data', onData);
    socket.once('error', fail);
    socket.once(proxy.protocol === 'https:' ? 'secureConnect' : 'connect', () => socket.write(`${headers.join('\r\n')}\r\n\r\n`));
  });
}

/** Certificate checking for https targets: VS Code's http.proxyStrictSSL and the CA bundle in force. */
function tlsOptions(plan: AgentPlan): { rejectUnauthorized: boolean; ca?: string } {
  return { rejectUnauthorized: plan.rejectUnauthorized, ...(plan.caBundle ? { ca: readCaBundle(plan.caBundle) } : {}) };
}

function readCaBundle(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(
      `Could not read the CA bundle ${file} (AWS_CA_BUNDLE or the profile's ca_bundle): ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      { cause: error },
    );
  }
}
