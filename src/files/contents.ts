// Jupyter's Contents API over an instance's Jupyter connection: the calls the file system makes, each one
// request (a chunked save: one per MiB, see upload.ts). Reads use Jupyter's raw file handler (/files/<path>), which streams
// the bytes as they are on disk: no base64 and no JSON around a large file. No vscode at run time.
import type { Readable } from 'node:stream';
import type { JupyterRequest, JupyterResponse } from '../jupyter/connection';
import { encodeForSave, errorOf, type ContentsModel, type ErrorKind } from './model';
import { contentsPath, filesPath, parentOf } from './uri';

export interface Http {
  request(path: string, init?: JupyterRequest): Promise<JupyterResponse>;
}

/** A refusal of the Contents API, with what it means for VS Code. */
export class ContentsError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly status: number,
    readonly path: string,
    reason: string,
  ) {
    super(reason ? `Jupyter answered ${status} for ${path || '/'}: ${reason}` : `Jupyter answered ${status} for ${path || '/'}`);
    this.name = 'ContentsError';
  }
}

export class ContentsApi {
  /** Requests made, for the tests' and the benchmark's counts. */
  requests = 0;

  constructor(private readonly http: Http) {}

  /** The model of a path without its content (a stat); a directory's listing when `content`. */
  async get(path: string, content = false): Promise<ContentsModel> {
    return this.json<ContentsModel>(path, `${contentsPath(path)}?content=${content ? 1 : 0}`);
  }

  /** The file's bytes, streamed from Jupyter's file handler into one buffer (its size from Content-Length). */
  async read(path: string, onData?: (received: number) => void): Promise<Buffer> {
    const res = await this.send(path, filesPath(path), { method: 'GET' });
    const length = Number(res.headers['content-length']);
    if (Number.isSafeInteger(length) && length >= 0 && !res.headers['content-encoding']) {
      const out = Buffer.allocUnsafe(length);
      let received = 0;
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        if (received + chunk.length > length) throw new Error(`Jupyter sent more than the ${length} bytes of ${path} it announced`);
        chunk.copy(out, received);
        received += chunk.length;
        onData?.(received);
      }
      if (received !== length) throw new Error(`Jupyter sent ${received} of the ${length} bytes of ${path}`);
      return out;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      received += chunk.length;
      onData?.(received);
    }
    return Buffer.concat(chunks, received);
  }

  /** Saves the bytes at `path` whole, in one request (text when they are UTF-8, else base64). */
  async write(path: string, bytes: Uint8Array): Promise<ContentsModel> {
    const name = path.slice(path.lastIndexOf('/') + 1);
    const { format, content } = encodeForSave(bytes);
    return this.json<ContentsModel>(path, contentsPath(path), 'PUT', { type: 'file', format, content, name, path });
  }

  /** One chunk of a chunked save (its body from chunkBody): Jupyter writes the first and appends the others. */
  async writeChunk(path: string, body: string): Promise<ContentsModel> {
    return this.json<ContentsModel>(path, contentsPath(path), 'PUT', body);
  }

  async createDirectory(path: string): Promise<ContentsModel> {
    return this.json<ContentsModel>(path, contentsPath(path), 'PUT', { type: 'directory' });
  }

  /** Jupyter deletes to its trash when it is configured to (`delete_to_trash` and send2trash), else for good. */
  async delete(path: string): Promise<void> {
    await this.json<unknown>(path, contentsPath(path), 'DELETE');
  }

  /** Moves or renames (PATCH); Jupyter refuses (409) when `to` exists. */
  async rename(from: string, to: string): Promise<ContentsModel> {
    return this.json<ContentsModel>(from, contentsPath(from), 'PATCH', { path: to });
  }

  /** Jupyter's copy: into `to`'s folder under a name of its choosing (`a-Copy1.txt`), then renamed to `to`. */
  async copyFile(from: string, to: string): Promise<ContentsModel> {
    const copy = await this.json<ContentsModel>(to, contentsPath(parentOf(to)), 'POST', { copy_from: from });
    if (copy.path === to) return copy;
    try {
      return await this.rename(copy.path, to);
    } catch (error) {
      await this.delete(copy.path).catch(() => undefined);
      throw error;
    }
  }

  /** A call answered with JSON; a string body is sent as it is (already JSON). */
  private async json<T>(subject: string, address: string, method = 'GET', body?: unknown): Promise<T> {
    const res = await this.send(subject, address, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await readText(res.body);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** One request; an answer of 300 and above becomes a ContentsError naming the path (never the address's query). */
  private async send(subject: string, address: string, init: JupyterRequest): Promise<JupyterResponse> {
    this.requests++;
    const res = await this.http.request(address, init);
    if (res.status >= 300) {
      const text = await readText(res.body).catch(() => '');
      const { kind, reason } = errorOf(res.status, text, init.body !== undefined);
      throw new ContentsError(kind, res.status, subject, reason);
    }
    return res;
  }
}

async function readText(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks).toString('utf8');
}
