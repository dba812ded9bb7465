import * as assert from 'assert';
import {
  chunkBody,
  chunksOf,
  encodeForSave,
  entriesOf,
  errorOf,
  statOf,
  timeOf,
  CHUNK_SIZE,
  DIRECTORY,
  FILE,
  READONLY,
} from '../../../src/files/model';

describe('Contents models as file stats', () => {
  it('take Jupyter times with microseconds to the millisecond', () => {
    assert.strictEqual(timeOf('2026-12-01T00:20:11.123456Z'), Date.UTC(2026, 11, 1, 0, 20, 11, 123));
    assert.strictEqual(timeOf('2026-12-01T01:20:11.5+01:00'), Date.UTC(2026, 11, 1, 0, 20, 11, 500));
    assert.strictEqual(timeOf(null), 0);
    assert.strictEqual(timeOf('not a time'), 0);
  });

  it('give files their size and read-only flag, directories size 0', () => {
    const file = statOf({
      name: 'a',
      path: 'a',
      type: 'file',
      size: 42,
      writable: false,
      created: '2026-01-01T00:00:00Z',
      last_modified: '2026-01-02T00:00:00.000001Z',
    });
    assert.deepStrictEqual(file, { type: FILE, size: 42, ctime: Date.UTC(2026, 0, 1), mtime: Date.UTC(2026, 0, 2), permissions: READONLY });
    const notebook = statOf({
      name: 'n.ipynb',
      path: 'n.ipynb',
      type: 'notebook',
      size: 7,
      writable: true,
      last_modified: '2026-01-02T00:00:00Z',
    });
    assert.strictEqual(notebook.type, FILE, 'a notebook is a file to VS Code');
    assert.strictEqual(notebook.permissions, undefined);
    assert.strictEqual(statOf({ name: 'd', path: 'd', type: 'directory', size: null }).type, DIRECTORY);
  });

  it('list a directory model as entries with their stats', () => {
    const entries = entriesOf({
      name: '',
      path: '',
      type: 'directory',
      content: [
        { name: 'x', path: 'd/x', type: 'file', size: 3 },
        { name: 'sub', path: 'd/sub', type: 'directory' },
      ],
    });
    assert.deepStrictEqual(
      entries.map((e) => [e.name, e.path, e.stat.type, e.stat.size]),
      [
        ['x', 'd/x', FILE, 3],
        ['sub', 'd/sub', DIRECTORY, 0],
      ],
    );
    assert.deepStrictEqual(entriesOf({ name: 'f', path: 'f', type: 'file' }), []);
  });
});

describe('bytes sent to Jupyter', () => {
  it('as text only when they are valid UTF-8, BOM and CRLF kept', () => {
    const text = Buffer.from('\ufeffhé\r\n😀\n', 'utf8');
    const sent = encodeForSave(text);
    assert.strictEqual(sent.format, 'text');
    assert.ok(Buffer.from(sent.content, 'utf8').equals(text), 'encoding the text again gives the same bytes');
    const binary = Buffer.from([0xff, 0xfe, 0x00, 0x80, 0xc3]);
    assert.deepStrictEqual(encodeForSave(binary), { format: 'base64', content: binary.toString('base64') });
    const surrogate = Buffer.from([0xed, 0xa0, 0x80]); // an encoded lone surrogate is not UTF-8
    assert.strictEqual(encodeForSave(surrogate).format, 'base64');
  });

  it('in 1 MiB chunks numbered 1, 2, … and -1 for the last, above one chunk only', () => {
    assert.strictEqual(CHUNK_SIZE, 1048576);
    assert.deepStrictEqual(chunksOf(0), []);
    assert.deepStrictEqual(chunksOf(CHUNK_SIZE), [], 'one chunk: saved whole');
    assert.deepStrictEqual(chunksOf(CHUNK_SIZE + 1), [
      { start: 0, end: CHUNK_SIZE, number: 1 },
      { start: CHUNK_SIZE, end: CHUNK_SIZE + 1, number: -1 },
    ]);
    const many = chunksOf(200 * 1024 * 1024);
    assert.strictEqual(many.length, 200);
    assert.deepStrictEqual(many.map((c) => c.number).slice(-3), [198, 199, -1]);
    assert.ok(many.every((c, i) => c.start === i * CHUNK_SIZE && c.end - c.start === CHUNK_SIZE));
  });
});

describe('a chunk of a chunked save', () => {
  it("is Jupyter's save model, its base64 content as it was given", () => {
    const base64 = Buffer.from([0, 1, 2, 250, 255]).toString('base64');
    assert.deepStrictEqual(JSON.parse(chunkBody('dir/a "b".bin', base64, -1)), {
      type: 'file',
      format: 'base64',
      name: 'a "b".bin',
      path: 'dir/a "b".bin',
      chunk: -1,
      content: base64,
    });
  });
});

describe('Contents API refusals', () => {
  it("map to what VS Code needs to know, with Jupyter's reason", () => {
    assert.deepStrictEqual(errorOf(404, '{"message": "No such file or directory: x"}'), {
      kind: 'notFound',
      reason: 'No such file or directory: x',
    });
    assert.strictEqual(errorOf(403, '').kind, 'noPermissions');
    assert.strictEqual(errorOf(409, '{"message":"File already exists"}').kind, 'exists');
    assert.strictEqual(errorOf(413, '').kind, 'tooLarge');
    assert.strictEqual(errorOf(400, '{"message":"Directory d not empty"}').kind, 'notEmpty');
    assert.strictEqual(errorOf(400, '{"message":"Permission denied: d"}').kind, 'noPermissions');
    assert.strictEqual(errorOf(503, '<html>').kind, 'unavailable');
    assert.deepStrictEqual(errorOf(500, '{"reason":"boom"}'), { kind: 'other', reason: 'boom' });
  });

  it("take a 400 without Jupyter's message to a request with a body as too large (tornado's max_body_size), any other 400 as Jupyter's", () => {
    assert.deepStrictEqual(errorOf(400, '', true), { kind: 'tooLarge', reason: '' });
    assert.strictEqual(errorOf(400, 'Bad gateway: the upstream closed', true).kind, 'tooLarge');
    assert.strictEqual(errorOf(400, '', false).kind, 'other', 'a GET has no body to be too large');
    assert.deepStrictEqual(errorOf(400, '{"message":"Unexpected chunk number"}', true), {
      kind: 'other',
      reason: 'Unexpected chunk number',
    });
  });
});
