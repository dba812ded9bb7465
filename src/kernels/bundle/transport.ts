// The server settings @jupyterlab/services uses, routed through our JupyterConnection: every HTTP request
// goes out through `connection.request` (the notebook's cookies, `_xsrf`, the agent, one renewal on a lost
// session) and every WebSocket opens with the connection's headers and agent. The library then talks to the
// instance's Jupyter as JupyterLab's page does; it never sees a cookie, a token or the presigned URL.
import { ServerConnection } from '@jupyterlab/services/lib/serverconnection';
import WebSocket from 'ws';
import type { JupyterConnection } from '../../jupyter/connection';

/** What the settings need of a connection (a JupyterConnection; tests of the bench pass the same). */
export type Transport = Pick<JupyterConnection, 'request' | 'webSocketHeaders' | 'origin' | 'agent'>;

/** Settings for `@jupyterlab/services` whose fetch and WebSocket go through `connection` (signed in). */
export function serverSettings(connection: Transport): ServerConnection.ISettings {
  const origin = connection.origin;
  return ServerConnection.makeSettings({
    baseUrl: `${origin}/`,
    wsUrl: `${origin.replace(/^http/, 'ws')}/`,
    appUrl: '',
    token: '',
    appendToken: false,
    init: { credentials: 'omit' }, // no 'no-store': the library would add a cache-busting query
    fetch: connectionFetch(connection) as typeof fetch,
    Request,
    Headers,
    WebSocket: connectionWebSocket(connection) as unknown as typeof globalThis.WebSocket,
  });
}

function connectionFetch(connection: Transport) {
  return async (input: Request): Promise<Response> => {
    const url = new URL(input.url);
    const headers: Record<string, string> = {};
    input.headers.forEach((value, key) => {
      headers[key] = value;
    });
    const body = input.method === 'GET' || input.method === 'HEAD' ? undefined : Buffer.from(await input.arrayBuffer());
    const res = await connection.request(url.pathname + url.search, {
      method: input.method,
      headers,
      body: body?.length ? body : undefined,
    });
    const chunks: Buffer[] = [];
    for await (const chunk of res.body) chunks.push(chunk as Buffer);
    const responseHeaders = new Headers();
    for (const [key, value] of Object.entries(res.headers)) {
      if (key === 'set-cookie' || value === undefined) continue; // the connection keeps the cookies
      responseHeaders.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const noBody = res.status === 204 || res.status === 304 || input.method === 'HEAD';
    return new Response(noBody ? null : Buffer.concat(chunks), { status: res.status, headers: responseHeaders });
  };
}

type Listener = ((event: any) => void) | null;

/**
 * A browser-shaped WebSocket (what KernelConnection drives: on* handlers, `protocol`, `binaryType`, `send`,
 * `close`) whose handshake waits for the connection's headers, then opens a `ws` socket with them and the
 * connection's agent.
 */
function connectionWebSocket(connection: Transport) {
  return class ConnectionWebSocket {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSING = 2;
    static readonly CLOSED = 3;
    readonly CONNECTING = 0;
    readonly OPEN = 1;
    readonly CLOSING = 2;
    readonly CLOSED = 3;
    onopen: Listener = null;
    onmessage: Listener = null;
    onclose: Listener = null;
    onerror: Listener = null;
    binaryType = 'arraybuffer';
    readyState = 0;
    protocol = '';
    private socket: WebSocket | undefined;
    private closedBeforeOpen = false;

    constructor(
      readonly url: string,
      protocols?: string | string[],
    ) {
      void this.open(url, protocols);
    }

    private async open(url: string, protocols?: string | string[]): Promise<void> {
      const target = new URL(url);
      let headers: Record<string, string>;
      try {
        headers = await connection.webSocketHeaders(target.pathname);
      } catch (error) {
        this.fail(error);
        return;
      }
      if (this.closedBeforeOpen) return;
      const list = typeof protocols === 'string' ? [protocols] : (protocols ?? []);
      const socket = new WebSocket(url, list.length ? list : undefined, { headers, agent: connection.agent, perMessageDeflate: false });
      socket.binaryType = 'arraybuffer';
      this.socket = socket;
      socket.onopen = (event) => {
        this.readyState = 1;
        this.protocol = socket.protocol;
        this.onopen?.(event);
      };
      socket.onmessage = (event) => this.onmessage?.(event);
      socket.onerror = (event) => this.onerror?.(event);
      socket.onclose = (event) => {
        this.readyState = 3;
        this.onclose?.(event);
      };
    }

    private fail(error: unknown): void {
      this.readyState = 3;
      this.onerror?.({ type: 'error', error, message: (error as Error).message });
      this.onclose?.({ type: 'close', code: 1006, reason: (error as Error).message, wasClean: false });
    }

    send(data: string | ArrayBuffer): void {
      if (!this.socket || this.readyState !== 1) throw new Error('The kernel WebSocket is not open.');
      this.socket.send(data);
    }

    close(code?: number, reason?: string): void {
      if (this.socket) {
        this.readyState = 2;
        this.socket.close(code, reason);
        return;
      }
      this.closedBeforeOpen = true;
      this.readyState = 3;
    }
  };
}
