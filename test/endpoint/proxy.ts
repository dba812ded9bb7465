// Reverse proxy from a notebook gateway to a real Jupyter server, HTTP and WebSocket (kernels talk over
// WebSockets), passing requests through unchanged, Host included: SageMaker's front end serves Jupyter
// under the notebook's own host, so Jupyter's same-origin checks compare Origin with that host.
import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export function proxyHttp(upstream: string, req: IncomingMessage, res: ServerResponse): void {
  const target = new URL(upstream);
  const outgoing = request(
    {
      hostname: target.hostname,
      port: target.port || 80,
      method: req.method,
      path: req.url,
      headers: req.headers,
    },
    (upstreamRes) => {
      // The gateway's CSP was set already; Jupyter's own headers win where it sends them.
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
      upstreamRes.pipe(res);
    },
  );
  outgoing.on('error', () => {
    if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
    res.end('Bad gateway: the Jupyter upstream is not reachable');
  });
  req.pipe(outgoing);
}

/** Replays the upgrade request to the upstream and then splices the two sockets together. */
export function proxyUpgrade(upstream: string, req: IncomingMessage, client: Duplex, head: Buffer, track: (s: Socket) => void): void {
  const target = new URL(upstream);
  const server = connect(Number(target.port || 80), target.hostname, () => {
    const lines = [`${req.method} ${req.url} HTTP/1.1`];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i];
      lines.push(`${name}: ${req.rawHeaders[i + 1]}`);
    }
    server.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.length > 0) server.write(head);
    server.pipe(client);
    client.pipe(server);
  });
  track(server);
  const closeBoth = () => {
    server.destroy();
    client.destroy();
  };
  server.on('error', closeBoth);
  client.on('error', closeBoth);
  server.on('close', closeBoth);
  client.on('close', closeBoth);
}

/**
 * What stopping the instance does to its Jupyter: every session, kernel and terminal ends (on SageMaker the
 * machine goes down). Jupyter's REST API does it; the `_xsrf` cookie and header carry one made-up value, the
 * double submit Jupyter checks on a request without a token.
 */
export async function shutDownJupyter(upstream: string): Promise<void> {
  const headers = { Cookie: '_xsrf=endpoint-stop', 'X-XSRFToken': 'endpoint-stop' };
  const call = async (method: 'GET' | 'DELETE', path: string) => {
    const res = await fetch(new URL(path, upstream), { method, headers, signal: AbortSignal.timeout(10_000) });
    if (!res.ok && res.status !== 404) throw new Error(`${method} ${path} answered ${res.status}`);
    return method === 'GET' ? ((await res.json()) as Record<string, string>[]) : [];
  };
  for (const session of await call('GET', '/api/sessions')) await call('DELETE', `/api/sessions/${session.id}`);
  for (const kernel of await call('GET', '/api/kernels')) await call('DELETE', `/api/kernels/${kernel.id}`);
  for (const terminal of await call('GET', '/api/terminals')) await call('DELETE', `/api/terminals/${terminal.name}`);
}
