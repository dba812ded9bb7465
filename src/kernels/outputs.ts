// The mapping from a Jupyter kernel's IOPub messages to VS Code cell outputs, as plain data: what VS Code's
// notebook editor shows (its stream, error and rich mime types) and the changes to make to a cell's outputs
// (append, append to the last stream, replace a display by its id, clear now or at the next output). No
// `vscode` import: the controller turns each change into NotebookCellExecution calls.

/** The mime types VS Code's notebook renders stream and error outputs with. */
export const STDOUT_MIME = 'application/vnd.code.notebook.stdout';
export const STDERR_MIME = 'application/vnd.code.notebook.stderr';
export const ERROR_MIME = 'application/vnd.code.notebook.error';
export const WIDGET_MIME = 'application/vnd.jupyter.widget-view+json';

export interface OutputItem {
  readonly mime: string;
  readonly data: Uint8Array;
}

/** One cell output: its items (richest first) and the metadata the ipynb serializer saves it with. */
export interface Output {
  /** Stable within a mapper: the controller keeps the vscode.NotebookCellOutput made for it by this id. */
  readonly id: number;
  readonly items: readonly OutputItem[];
  readonly metadata: Record<string, unknown>;
  readonly displayId?: string;
  readonly stream?: 'stdout' | 'stderr';
}

export type OutputChange =
  | { readonly kind: 'clear' }
  | { readonly kind: 'append'; readonly output: Output }
  /** Coalesced stream text: add `items` to output `id`, the last one. */
  | { readonly kind: 'appendItems'; readonly id: number; readonly items: readonly OutputItem[] }
  /** update_display_data: every output shown with this display id (in any cell) gets these items. */
  | { readonly kind: 'updateDisplay'; readonly displayId: string; readonly output: Output };

/** The part of a Jupyter message the mapping reads (KernelMessage.IIOPubMessage fits). */
export interface IopubMessage {
  readonly header: { readonly msg_type: string };
  readonly content: Record<string, any>;
}

export interface OutputTexts {
  /** Shown where a widget would be: widgets need JupyterLab. */
  readonly widget: string;
}

/**
 * The order VS Code should prefer an output's mime types in, richest first (as JupyterLab's rendermime and
 * VS Code's Jupyter extension order them). Types not listed come after these, in their order.
 */
const MIME_ORDER = [
  WIDGET_MIME,
  'application/vnd.code.notebook.error',
  'application/geo+json',
  'application/vnd.plotly.v1+json',
  'application/vdom.v1+json',
  'text/html',
  'image/svg+xml',
  'image/png',
  'image/gif',
  'image/jpeg',
  'text/markdown',
  'text/latex',
  'application/javascript',
  'application/json',
  'text/plain',
];
const BINARY = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/bmp', 'image/webp']);

const encoder = new TextEncoder();

function text(value: unknown): string {
  if (Array.isArray(value)) return value.join('');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** One mime bundle (`data` of display_data/execute_result) as output items, richest first. */
export function bundleItems(data: Record<string, unknown>, texts: OutputTexts): OutputItem[] {
  const mimes = Object.keys(data).sort((a, b) => rank(a) - rank(b));
  const items: OutputItem[] = [];
  for (const mime of mimes) {
    const value = data[mime];
    if (mime === WIDGET_MIME) {
      // VS Code has no widget manager here: say so, rather than show nothing or the model's JSON.
      items.push({ mime: 'text/plain', data: encoder.encode(texts.widget) });
      continue;
    }
    if (mime === 'text/plain' && WIDGET_MIME in data) continue; // "IntSlider(value=0)": the note says more
    if (BINARY.has(mime) && typeof value === 'string') {
      items.push({ mime, data: new Uint8Array(Buffer.from(value.replace(/\s/g, ''), 'base64')) });
    } else if ((mime === 'application/json' || mime.endsWith('+json')) && typeof value !== 'string') {
      items.push({ mime, data: encoder.encode(JSON.stringify(value)) });
    } else {
      items.push({ mime, data: encoder.encode(text(value)) });
    }
  }
  return items;
}

function rank(mime: string): number {
  const i = MIME_ORDER.indexOf(mime);
  return i < 0 ? (mime.startsWith('application/vnd.') ? 1.5 : MIME_ORDER.length - 1.5) : i;
}

/** An error reply or message as VS Code's error output: name, message, and the ANSI-coloured traceback. */
export function errorItem(content: { ename?: string; evalue?: string; traceback?: string[] }): OutputItem {
  const error = { name: content.ename ?? 'Error', message: content.evalue ?? '', stack: (content.traceback ?? []).join('\n') };
  return { mime: ERROR_MIME, data: encoder.encode(JSON.stringify(error)) };
}

export function streamItem(name: 'stdout' | 'stderr', value: string): OutputItem {
  return { mime: name === 'stderr' ? STDERR_MIME : STDOUT_MIME, data: encoder.encode(value) };
}

/** The outputs of one cell's execution, fed the execution's IOPub messages in order. */
export class OutputMapper {
  private outputs: Output[] = [];
  private clearPending = false;
  private nextId: number;
  /** From execute_input, or the reply. */
  executionCount: number | undefined;

  constructor(
    private readonly texts: OutputTexts,
    firstId = 1,
  ) {
    this.nextId = firstId;
  }

  /** The outputs the cell shows now (after the changes returned so far). */
  get current(): readonly Output[] {
    return this.outputs;
  }

  handle(msg: IopubMessage): OutputChange[] {
    const c = msg.content;
    switch (msg.header.msg_type) {
      case 'execute_input':
        if (typeof c.execution_count === 'number') this.executionCount = c.execution_count;
        return [];
      case 'stream':
        return this.stream(c.name === 'stderr' ? 'stderr' : 'stdout', text(c.text));
      case 'display_data':
      case 'execute_result': {
        const displayId = c.transient?.display_id as string | undefined;
        if (msg.header.msg_type === 'execute_result' && typeof c.execution_count === 'number') this.executionCount = c.execution_count;
        const metadata: Record<string, unknown> = { outputType: msg.header.msg_type, metadata: c.metadata ?? {} };
        if (msg.header.msg_type === 'execute_result') metadata.executionCount = c.execution_count ?? null;
        if (displayId) metadata.transient = { display_id: displayId };
        return this.add({ id: this.nextId++, items: bundleItems(c.data ?? {}, this.texts), metadata, displayId });
      }
      case 'update_display_data': {
        const displayId = c.transient?.display_id as string | undefined;
        if (!displayId) return [];
        const items = bundleItems(c.data ?? {}, this.texts);
        const changes: OutputChange[] = [];
        this.outputs = this.outputs.map((o) =>
          o.displayId === displayId ? { ...o, items, metadata: { ...o.metadata, metadata: c.metadata ?? {} } } : o,
        );
        changes.push({
          kind: 'updateDisplay',
          displayId,
          output: {
            id: 0,
            items,
            metadata: { outputType: 'display_data', metadata: c.metadata ?? {}, transient: { display_id: displayId } },
            displayId,
          },
        });
        return changes;
      }
      case 'clear_output':
        if (c.wait) {
          this.clearPending = true;
          return [];
        }
        this.clearPending = false;
        this.outputs = [];
        return [{ kind: 'clear' }];
      case 'error':
        return this.add({
          id: this.nextId++,
          items: [errorItem(c)],
          metadata: { outputType: 'error', originalError: { ename: c.ename, evalue: c.evalue, traceback: c.traceback } },
        });
      default:
        return [];
    }
  }

  /** The execute_reply's count (when no execute_input came) and, for an error the kernel sent only there, its output. */
  reply(content: { status?: string; execution_count?: number | null }): void {
    if (typeof content.execution_count === 'number') this.executionCount = content.execution_count;
  }

  private stream(name: 'stdout' | 'stderr', value: string): OutputChange[] {
    const changes = this.takeClear();
    const last = this.outputs[this.outputs.length - 1];
    const item = streamItem(name, value);
    if (last && last.stream === name) {
      // Coalesced: one stdout output grows, as in Jupyter.
      this.outputs[this.outputs.length - 1] = { ...last, items: [...last.items, item] };
      changes.push({ kind: 'appendItems', id: last.id, items: [item] });
      return changes;
    }
    const output: Output = { id: this.nextId++, items: [item], metadata: { outputType: 'stream' }, stream: name };
    this.outputs.push(output);
    changes.push({ kind: 'append', output });
    return changes;
  }

  private add(output: Output): OutputChange[] {
    const changes = this.takeClear();
    this.outputs.push(output);
    changes.push({ kind: 'append', output });
    return changes;
  }

  /** clear_output(wait=True): the clear happens when the next output arrives. */
  private takeClear(): OutputChange[] {
    if (!this.clearPending) return [];
    this.clearPending = false;
    this.outputs = [];
    return [{ kind: 'clear' }];
  }
}
