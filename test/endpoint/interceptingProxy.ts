// A TLS-inspecting corporate forward proxy, as tests need one: it answers CONNECT, then speaks TLS to the
// client itself with a certificate for the requested host signed by a test CA, and passes the decrypted
// bytes to a plain-HTTP server on 127.0.0.1 chosen by host name. So a client that does not trust the test CA
// fails exactly as behind a real inspecting proxy, and one that does reaches the local endpoint under the
// real AWS host names (api.sagemaker.<region>.amazonaws.com, sts.amazonaws.com, …).
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { TLSSocket, createSecureContext } from 'node:tls';
import type { TestCa } from './testCa';

export interface InterceptingProxy {
  readonly url: string;
  /** `host:port` of every CONNECT, oldest first. */
  readonly tunnels: string[];
  /** Host names whose client completed the TLS handshake (so it trusted the test CA). */
  readonly handshakes: string[];
  /** Host names whose client aborted the TLS handshake. */
  readonly refusedHandshakes: string[];
  close(): Promise<void>;
}

type Upstream = { port: number } | undefined;

export async function startInterceptingProxy(
  ca: TestCa,
  route: (host: string) => Upstream | Promise<Upstream>,
): Promise<InterceptingProxy> {
  const tunnels: string[] = [];
  const handshakes: string[] = [];
  const refusedHandshakes: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((_req, res) => {
    res.writeHead(501).end('This proxy only tunnels (CONNECT).');
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('connect', (req, client: Socket, head: Buffer) => void tunnel(req.url ?? '', client, head));
  const tunnel = async (target: string, client: Socket, head: Buffer) => {
    tunnels.push(target);
    const host = target.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    const upstream = await route(host); // the client sends nothing more before the 200 below
    if (client.destroyed) return;
    if (!upstream) {
      client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      return;
    }
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length) client.unshift(head);
    const { key, cert } = ca.issue(host);
    // The CA comes with the leaf, as servers send their intermediates: Chromium's SPKI allow-list matches it.
    const secure = new TLSSocket(client, { isServer: true, secureContext: createSecureContext({ key, cert: cert + ca.certPem }) });
    secure.once('secure', () => handshakes.push(host));
    secure.on('error', () => {
      refusedHandshakes.push(host);
      client.destroy();
    });
    const backend = connect(upstream.port, '127.0.0.1');
    sockets.add(backend);
    backend.on('close', () => (sockets.delete(backend), secure.destroy()));
    backend.on('error', () => secure.destroy());
    secure.on('close', () => backend.destroy());
    secure.pipe(backend).pipe(secure);
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tunnels,
    handshakes,
    refusedHandshakes,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
