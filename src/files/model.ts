// Jupyter's Contents API models as VS Code sees files, and the rules for sending bytes: text or base64,
// whole or in JupyterLab's 1 MiB chunks. Pure: no vscode at run time (FileType and FilePermission are
// numbers that match vscode's enums).

/** vscode.FileType */
export const FILE = 1;
export const DIRECTORY = 2;
/** vscode.FilePermission.Readonly */
export const READONLY = 1;

/** What Jupyter answers for a path (GET /api/contents/<path>); `content` only when asked for. */
export interface ContentsModel {
  readonly name: string;
  readonly path: string;
  readonly type: 'directory' | 'file' | 'notebook';
  readonly writable?: boolean;
  readonly created?: string | null;
  readonly last_modified?: string | null;
  readonly size?: number | null;
  readonly mimetype?: string | null;
  readonly format?: string | null;
  readonly content?: unknown;
}

export interface Stat {
  readonly type: number;
  readonly ctime: number;
  readonly mtime: number;
  readonly size: number;
  readonly permissions?: number;
}

/**
 * Jupyter's ISO time (microseconds, `Z` or an offset) in milliseconds since the epoch. The file's own mtime
 * to the millisecond: VS Code's "file is newer" check compares it (with the size) between read and save.
 */
export function timeOf(iso: string | null | undefined): number {
  if (!iso) return 0;
  const trimmed = iso.replace(/(\.\d{3})\d+/, '$1');
  const ms = Date.parse(trimmed);
  return Number.isNaN(ms) ? 0 : ms;
}

export function statOf(model: ContentsModel): Stat {
  const mtime = timeOf(model.last_modified);
  const stat: Stat = {
    type: model.type === 'directory' ? DIRECTORY : FILE,
    ctime: timeOf(model.created) || mtime,
    mtime,
    size: model.type === 'directory' ? 0 : (model.size ?? 0),
  };
  return model.writable === false ? { ...stat, permissions: READONLY } : stat;
}

/** A directory model's entries as readDirectory gives them, and their stats (one listing answers both). */
export function entriesOf(model: ContentsModel): Array<{ name: string; path: string; stat: Stat }> {
  const content = Array.isArray(model.content) ? (model.content as ContentsModel[]) : [];
  return content.map((child) => ({ name: child.name, path: child.path, stat: statOf(child) }));
}

/** Jupyter's `format` for bytes saved whole: `text` only when they are valid UTF-8 (then byte-exact), else base64. */
export function encodeForSave(bytes: Uint8Array): { format: 'text' | 'base64'; content: string } {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buffer);
    return { format: 'text', content: text };
  } catch {
    return { format: 'base64', content: buffer.toString('base64') };
  }
}

/** The chunk size JupyterLab's file browser uploads with. */
export const CHUNK_SIZE = 1024 * 1024;

export interface Chunk {
  readonly start: number;
  readonly end: number;
  /** Jupyter's `chunk` field: 1, 2, … and -1 for the last. */
  readonly number: number;
}

/** A file of `size` bytes in chunks; a file that fits in one chunk is saved whole (no `chunk` field), as JupyterLab does. */
export function chunksOf(size: number, chunkSize = CHUNK_SIZE): Chunk[] {
  if (size <= chunkSize) return [];
  const chunks: Chunk[] = [];
  for (let start = 0, n = 1; start < size; start += chunkSize, n++) {
    const end = Math.min(size, start + chunkSize);
    chunks.push({ start, end, number: end === size ? -1 : n });
  }
  return chunks;
}

export type ErrorKind = 'notFound' | 'noPermissions' | 'exists' | 'tooLarge' | 'notEmpty' | 'unavailable' | 'other';

/**
 * The JSON body of one chunk of a chunked save, its base64 content spliced in as it is (base64 needs no JSON
 * escaping): no second pass over a 1.4 MB string per chunk.
 */
export function chunkBody(path: string, base64: string, number: number): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return `{"type":"file","format":"base64","name":${JSON.stringify(name)},"path":${JSON.stringify(path)},"chunk":${number},"content":"${base64}"}`;
}

/**
 * What a Contents API answer of `status` means for VS Code, and Jupyter's own words for it (its `message` or
 * `reason`). `sentBody`: the request carried a body. Jupyter's own refusals always carry a JSON message; a 400
 * without one to a request with a body is tornado refusing it before reading it, which it does for a body over the
 * server's `max_body_size` (a front end in its place answers 413); a proxy between may add its own text.
 */
export function errorOf(status: number, body: string, sentBody = false): { kind: ErrorKind; reason: string } {
  let reason: string;
  try {
    const parsed = JSON.parse(body) as { message?: string; reason?: string };
    reason = parsed.message || parsed.reason || '';
  } catch {
    reason = '';
  }
  if (status === 404) return { kind: 'notFound', reason };
  if (status === 403 || status === 401) return { kind: 'noPermissions', reason };
  if (status === 409) return { kind: 'exists', reason };
  if (status === 413) return { kind: 'tooLarge', reason };
  if (status === 400 && sentBody && !reason) return { kind: 'tooLarge', reason };
  if (status === 400 && /not empty/i.test(reason)) return { kind: 'notEmpty', reason };
  if (status === 400 && /permission denied/i.test(reason)) return { kind: 'noPermissions', reason };
  if (status === 502 || status === 503 || status === 504) return { kind: 'unavailable', reason };
  return { kind: 'other', reason };
}
