// Jupyter's terminals API over the instance's Jupyter connection: list, create (in the root folder or a given
// one), look up and end terminals (/api/terminals), and open a terminal's WebSocket (/terminals/websocket/<name>)
// with the connection's cookies, Origin and agent (the user's proxy and CA). Never signs in by itself.
import WebSocket from 'ws';
import type { JupyterConnection } from '../jupyter/connection';

/** What the terminal needs of the instance's Jupyter connection. */
export type TerminalConnection = Pick<
  JupyterConnection,
  'state' | 'ready' | 'request' | 'json' | 'credentials' | 'agent' | 'origin' | 'onDidChangeState' | 'onDidRenew' | 'retryAfter'
>;

/** A terminal as Jupyter lists it. `last_activity` is jupyter_server's; the classic Notebook 6 gives only the name. */
export interface TerminalModel {
  readonly name: string;
  readonly last_activity?: string;
}

/** A WebSocket handshake that the server answered with an HTTP status instead of switching protocols. */
export class HandshakeError extends Error {
  constructor(
    readonly status: number,
    readonly location: string | undefined,
    readonly login: number,
  ) {
    super(`Jupyter answered ${status} to the terminal's WebSocket`);
    this.name = 'HandshakeError';
  }
}

const API = '/api/terminals';

/** A text frame's content (terminado sends only text). */
function textOf(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

export class JupyterTerminals {
  constructor(private readonly connection: TerminalConnection) {}

  list(): Promise<TerminalModel[]> {
    return this.connection.json<TerminalModel[]>(API);
  }

  /** A new terminal; `cwd` relative to the server's root (jupyter_server honours it, Notebook 6 starts in the root). */
  create(cwd?: string): Promise<TerminalModel> {
    return this.connection.json<TerminalModel>(API, 'POST', cwd ? { cwd } : {});
  }

  /** Whether the terminal still runs (its shell has not exited, nobody ended it). */
  async exists(name: string): Promise<boolean> {
    const res = await this.connection.request(`${API}/${encodeURIComponent(name)}`);
    res.body.resume();
    if (res.status === 404) return false;
    if (res.status >= 400) throw new Error(`Jupyter answered ${res.status} about terminal ${name}`);
    return true;
  }

  /** Ends the terminal (its shell gets SIGHUP, then worse); one already gone counts as ended. */
  async remove(name: string): Promise<void> {
    const res = await this.connection.request(`${API}/${encodeURIComponent(name)}`, { method: 'DELETE' });
    res.body.resume();
    if (res.status >= 400 && res.status !== 404) throw new Error(`Jupyter answered ${res.status} to ending terminal ${name}`);
  }

  /**
   * The terminal's WebSocket, open; a refused handshake rejects with a HandshakeError. `onMessage` listens from
   * the start: terminado's first messages can arrive with the handshake's answer, before the caller could.
   */
  async connect(name: string, onMessage: (data: string) => void): Promise<WebSocket> {
    const path = `/terminals/websocket/${encodeURIComponent(name)}`;
    const { cookie, login } = await this.connection.credentials(path);
    const url = this.connection.origin.replace(/^http/, 'ws') + path;
    const headers: Record<string, string> = { Origin: this.connection.origin };
    if (cookie) headers.Cookie = cookie;
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers, agent: this.connection.agent, perMessageDeflate: false, handshakeTimeout: 15_000 });
      const fail = (error: Error) => {
        socket.removeAllListeners();
        socket.on('error', () => undefined);
        socket.terminate();
        reject(error);
      };
      socket.on('message', (data: WebSocket.RawData) => onMessage(textOf(data)));
      socket.once('open', () => {
        socket.removeAllListeners('open');
        socket.removeAllListeners('unexpected-response');
        socket.removeAllListeners('error');
        resolve(socket);
      });
      socket.once('unexpected-response', (_req, res) => {
        res.resume();
        fail(new HandshakeError(res.statusCode ?? 0, res.headers.location, login));
      });
      socket.once('error', fail);
    });
  }
}
