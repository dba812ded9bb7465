// Test helpers that talk to Jupyter the way its page does: raw HTTP with a chosen Host header, and a kernel's
// WebSocket channel with the messaging protocol v5.
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import type { LookupFunction } from 'node:net';
import WebSocket from 'ws';

/**
 * Resolves every name to 127.0.0.1, as browsers do for `*.localhost` (Node's resolver does not): requests
 * to the proxy's secret host reach it with that Host, like a browser's.
 */
export const loopbackLookup: LookupFunction = (_hostname, options, callback) => {
  if ((options as { all?: boolean }).all)
    (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
};

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** An HTTP request with full control of the headers (fetch will not send a foreign Host). */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, agent: false, lookup: loopbackLookup }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Opens a WebSocket, resolving with it once open or rejecting with the handshake's HTTP status. */
export function openSocket(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, lookup: loopbackLookup });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      ws.terminate();
      reject(new Error(`handshake answered ${res.statusCode}`));
    });
    ws.once('error', reject);
  });
}

/** Sends an execute_request on the shell channel and resolves with the execute_result's text/plain. */
export function execute(ws: WebSocket, code: string, timeoutMs = 10_000): Promise<string> {
  const msgId = randomUUID();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no execute_result within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (data: WebSocket.RawData) => {
      const msg = JSON.parse(Buffer.isBuffer(data) ? data.toString() : Buffer.concat(data as Buffer[]).toString()) as {
        channel: string;
        header: { msg_type: string };
        parent_header: { msg_id?: string };
        content: { data?: Record<string, string>; ename?: string };
      };
      if (msg.parent_header.msg_id !== msgId || msg.channel !== 'iopub') return;
      if (msg.header.msg_type === 'error') reject(new Error(`kernel error ${msg.content.ename}`));
      if (msg.header.msg_type !== 'execute_result') return;
      clearTimeout(timer);
      ws.off('message', onMessage);
      resolve(msg.content.data?.['text/plain'] ?? '');
    };
    ws.on('message', onMessage);
    ws.send(
      JSON.stringify({
        header: {
          msg_id: msgId,
          msg_type: 'execute_request',
          username: 'test',
          session: randomUUID(),
          date: new Date().toISOString(),
          version: '5.3',
        },
        parent_header: {},
        metadata: {},
        content: { code, silent: false, store_history: false, user_expressions: {}, allow_stdin: false, stop_on_error: true },
        channel: 'shell',
        buffers: [],
      }),
    );
  });
}
