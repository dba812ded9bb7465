// The output mapping, fed IOPub messages recorded from Debian's Jupyter and ipykernel
// (test/support/recordKernelMessages.ts wrote messages.json).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_MIME, OutputMapper, STDERR_MIME, STDOUT_MIME, bundleItems, type OutputChange } from '../../../src/kernels/outputs';

type Recorded = Record<
  string,
  { iopub: { header: { msg_type: string }; content: Record<string, any> }[]; reply: { status: string; execution_count: number } }
>;
const recorded = JSON.parse(
  readFileSync(join(__dirname, '..', '..', '..', '..', 'test', 'unit', 'kernels', 'messages.json'), 'utf8'),
) as Recorded;
const texts = { widget: 'WIDGET NOTE' };
const decode = (data: Uint8Array) => new TextDecoder().decode(data);

/** Runs a recorded cell's messages through a mapper; the changes and the mapper after them. */
function replay(name: string): { mapper: OutputMapper; changes: OutputChange[] } {
  const mapper = new OutputMapper(texts);
  const changes = recorded[name].iopub.flatMap((m) => mapper.handle(m));
  mapper.reply(recorded[name].reply);
  return { mapper, changes };
}

/** The outputs a cell shows after the changes, as mime → text (binary as its length). */
function shown(mapper: OutputMapper): string[][] {
  return mapper.current.map((o) =>
    o.items.map((i) => `${i.mime}: ${i.mime.startsWith('image/') && i.mime !== 'image/svg+xml' ? i.data.length : decode(i.data)}`),
  );
}

describe('kernel output mapping (recorded Jupyter messages)', () => {
  it('coalesces a stream: print twice is one stdout output, grown by appended items', () => {
    const { mapper, changes } = replay('print');
    assert.deepEqual(shown(mapper), [[`${STDOUT_MIME}: hello\nworld\n`]]);
    assert.equal(changes[0].kind, 'append');
    assert.equal(mapper.executionCount, recorded.print.reply.execution_count);
  });

  it('keeps stdout and stderr apart, in order, and coalesces each run of one stream', () => {
    const { mapper, changes } = replay('streams');
    assert.deepEqual(shown(mapper), [[`${STDOUT_MIME}: a\n`, `${STDOUT_MIME}: b\n`], [`${STDERR_MIME}: oops\n`], [`${STDOUT_MIME}: c\n`]]);
    assert.deepEqual(
      changes.map((c) => c.kind),
      ['append', 'appendItems', 'append', 'append'],
    );
  });

  it('maps execute_result with its count and the ipynb metadata', () => {
    const { mapper } = replay('result');
    assert.deepEqual(shown(mapper), [['text/plain: 2']]);
    assert.equal(mapper.current[0].metadata.outputType, 'execute_result');
    assert.equal(mapper.current[0].metadata.executionCount, recorded.result.reply.execution_count);
  });

  it('decodes a matplotlib PNG from base64, with its text/plain after it', () => {
    const { mapper } = replay('matplotlib');
    const items = mapper.current[0].items;
    assert.equal(items[0].mime, 'image/png');
    assert.deepEqual([...items[0].data.slice(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(items[1].mime, 'text/plain');
  });

  it('turns an error into VS Code’s error output with the ANSI traceback', () => {
    const { mapper } = replay('error');
    const [item] = mapper.current[0].items;
    assert.equal(item.mime, ERROR_MIME);
    const error = JSON.parse(decode(item.data)) as { name: string; message: string; stack: string };
    assert.equal(error.name, 'ValueError');
    assert.equal(error.message, 'boom');
    assert.match(error.stack, /\u001b\[0;31mValueError\u001b\[0m/);
    assert.equal(mapper.current[0].metadata.outputType, 'error');
  });

  it('keeps every rich mime type VS Code renders: HTML, Markdown, SVG, JSON, JavaScript, richest first', () => {
    const { mapper } = replay('rich');
    assert.deepEqual(
      mapper.current.map((o) => o.items[0].mime),
      ['text/html', 'text/markdown', 'image/svg+xml', 'application/json', 'application/javascript'],
    );
    assert.equal(decode(mapper.current[0].items[0].data), '<b>bold</b>');
    assert.deepEqual(JSON.parse(decode(mapper.current[3].items[0].data)), { a: 1 });
    assert.match(decode(mapper.current[2].items[0].data), /^<svg/);
    for (const output of mapper.current) assert.equal(output.items[output.items.length - 1].mime, 'text/plain', 'text/plain last');
  });

  it('update_display_data replaces the output with that display id', () => {
    const { mapper, changes } = replay('update');
    const update = changes.find((c) => c.kind === 'updateDisplay');
    assert.ok(update && update.kind === 'updateDisplay');
    assert.equal(update.displayId, mapper.current[0].displayId);
    assert.deepEqual(shown(mapper), [["text/plain: 'second'"]]);
  });

  it('clear_output clears at once; with wait=True at the next output', () => {
    const now = replay('clear');
    assert.deepEqual(
      now.changes.map((c) => c.kind),
      ['append', 'clear', 'append'],
    );
    assert.deepEqual(shown(now.mapper), [[`${STDOUT_MIME}: kept\n`]]);
    const wait = replay('clearWait');
    assert.deepEqual(
      wait.changes.map((c) => c.kind),
      ['append', 'clear', 'append'],
      'the clear waits for "new"',
    );
    assert.deepEqual(shown(wait.mapper), [[`${STDOUT_MIME}: new\n`]]);
    const mapper = new OutputMapper(texts);
    mapper.handle({ header: { msg_type: 'stream' }, content: { name: 'stdout', text: 'x' } });
    assert.deepEqual(mapper.handle({ header: { msg_type: 'clear_output' }, content: { wait: true } }), []);
    assert.equal(mapper.current.length, 1, 'nothing cleared while no new output came');
  });

  it('shows a plain note instead of a widget', () => {
    const { mapper } = replay('widget');
    const widget = mapper.current.find((o) => o.metadata.outputType === 'display_data');
    assert.deepEqual(
      widget?.items.map((i) => [i.mime, decode(i.data)]),
      [['text/plain', 'WIDGET NOTE']],
    );
    assert.deepEqual(
      bundleItems({ 'application/vnd.jupyter.widget-view+json': { model_id: 'm' }, 'text/plain': 'IntSlider(value=3)' }, texts).map((i) =>
        decode(i.data),
      ),
      ['WIDGET NOTE'],
    );
  });
});
