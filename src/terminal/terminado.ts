// Terminado's WebSocket protocol, as Jupyter serves it at /terminals/websocket/<name>: JSON arrays whose first
// element names the message. The client sends ["stdin", text] and ["set_size", rows, cols]; the server sends
// ["setup", {}] when the socket joins, then ["stdout", text], and ["disconnect", 1] when the shell exits.
// Pure: no vscode, no sockets.

export type ServerMessage =
  { readonly kind: 'setup' } | { readonly kind: 'stdout'; readonly text: string } | { readonly kind: 'disconnect' };

/** What the server sent, or undefined for anything terminado does not send (ignored, not fatal). */
export function parseServerMessage(data: string): ServerMessage | undefined {
  let message: unknown;
  try {
    message = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (!Array.isArray(message) || typeof message[0] !== 'string') return undefined;
  switch (message[0]) {
    case 'setup':
      return { kind: 'setup' };
    case 'stdout':
      return typeof message[1] === 'string' ? { kind: 'stdout', text: message[1] } : undefined;
    case 'disconnect':
      return { kind: 'disconnect' };
    default:
      return undefined;
  }
}

export function stdinMessage(text: string): string {
  return JSON.stringify(['stdin', text]);
}

export interface TerminalSize {
  readonly rows: number;
  readonly columns: number;
}

/** Terminado sizes the pty to the smallest client; it treats 10001 as "none", so stay below it. */
const MAX_CELLS = 10_000;

/**
 * The size as a whole number of cells, or undefined when VS Code has none to give (a hidden panel reports 0
 * or nothing): the pty then keeps its size rather than shrink to nothing.
 */
export function validSize(size: { rows?: number; columns?: number } | undefined): TerminalSize | undefined {
  const rows = Math.floor(Number(size?.rows));
  const columns = Math.floor(Number(size?.columns));
  if (!(rows >= 1) || !(columns >= 1)) return undefined;
  return { rows: Math.min(rows, MAX_CELLS), columns: Math.min(columns, MAX_CELLS) };
}

/** ["set_size", rows, cols]: terminado reads rows first. */
export function sizeMessage(size: TerminalSize): string {
  return JSON.stringify(['set_size', size.rows, size.columns]);
}

export function sameSize(a: TerminalSize | undefined, b: TerminalSize | undefined): boolean {
  return a !== undefined && b !== undefined && a.rows === b.rows && a.columns === b.columns;
}

/**
 * What a socket that joins a running terminal has not shown yet. Terminado sends a joining socket the
 * terminal's recent output first (its last 1000 reads, concatenated); `seen` is the end of what this
 * terminal already showed. The replay starts somewhere inside `seen` (or before it) and may go on past it with
 * what was written while no socket was connected: only that part is new. Where the output repeats itself
 * the longest match wins, so nothing is shown twice.
 */
export function unseenPart(seen: string, replay: string): string {
  if (!seen || !replay) return replay;
  // The replay reaches further back than `seen`: it holds all of it, then whatever is new.
  if (replay.length >= seen.length) {
    const at = replay.lastIndexOf(seen);
    if (at >= 0) return replay.slice(at + seen.length);
  }
  // The replay starts inside `seen`: find the earliest start (the longest overlap) from which `seen`'s end
  // and the replay's beginning agree. Overlaps as long as the probe are found by searching for it...
  const probe = replay.slice(0, 32);
  for (let at = seen.indexOf(probe); at >= 0; at = seen.indexOf(probe, at + 1)) {
    const overlap = seen.length - at;
    if (overlap > replay.length) continue; // a replay ends with the latest output, never before `seen` does
    if (replay.startsWith(seen.slice(at))) return replay.slice(overlap);
  }
  // ...shorter ones directly.
  for (let overlap = Math.min(probe.length - 1, seen.length); overlap > 0; overlap--) {
    if (replay.startsWith(seen.slice(seen.length - overlap))) return replay.slice(overlap);
  }
  return replay;
}

/**
 * Keeps the end of a terminal's output, enough to recognise a replay (terminado replays at most 1000 reads).
 * Chunks are kept as they come and joined only when a replay arrives: appending to one long string cost more
 * than the rest of the terminal's path together (`npm run bench`, cat of 10 MB).
 */
export class OutputTail {
  private chunks: string[] = [];
  /** Index of the first chunk kept: dropping from the front is a step, compaction happens now and then. */
  private first = 0;
  private length = 0;

  constructor(private readonly keep = 1 << 20) {}

  add(chunk: string): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
    // Whole chunks go from the front while what is left still covers `keep`.
    while (this.chunks.length - this.first > 1 && this.length - this.chunks[this.first].length >= this.keep) {
      this.length -= this.chunks[this.first++].length;
    }
    if (this.first > 1024 && this.first * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.first);
      this.first = 0;
    }
  }

  get value(): string {
    const text = this.chunks.slice(this.first).join('');
    return text.length > this.keep ? text.slice(-this.keep) : text;
  }
}
