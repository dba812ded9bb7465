// Terminado's messages and the terminal's size and replay rules, without a server.
import assert from 'node:assert/strict';
import {
  OutputTail,
  parseServerMessage,
  sameSize,
  sizeMessage,
  stdinMessage,
  unseenPart,
  validSize,
} from '../../../src/terminal/terminado';

describe('terminado messages', () => {
  it('reads setup, stdout and disconnect, and ignores what terminado does not send', () => {
    assert.deepEqual(parseServerMessage('["setup", {}]'), { kind: 'setup' });
    assert.deepEqual(parseServerMessage('["stdout", "\\u001b[31mred\\u001b[0m\\r\\n"]'), {
      kind: 'stdout',
      text: '\x1b[31mred\x1b[0m\r\n',
    });
    assert.deepEqual(parseServerMessage('["disconnect", 1]'), { kind: 'disconnect' });
    for (const other of ['["stdout", 5]', '["pong"]', '{"stdout": "x"}', 'not json', '[]', '[1, "x"]']) {
      assert.equal(parseServerMessage(other), undefined, other);
    }
  });

  it('frames keys (control characters and non-ASCII included) as ["stdin", text]', () => {
    assert.equal(stdinMessage('ls\r'), '["stdin","ls\\r"]');
    assert.deepEqual(JSON.parse(stdinMessage('\x03\x1b[A"é😀\\')), ['stdin', '\x03\x1b[A"é😀\\']);
  });

  it('frames a size as ["set_size", rows, cols], rows first', () => {
    assert.equal(sizeMessage({ rows: 24, columns: 80 }), '["set_size",24,80]');
  });
});

describe('terminal size', () => {
  it('takes whole cells and refuses no size (a hidden panel) rather than shrink the pty to nothing', () => {
    assert.deepEqual(validSize({ rows: 30.7, columns: 100.2 }), { rows: 30, columns: 100 });
    for (const none of [
      undefined,
      { rows: 0, columns: 80 },
      { rows: 24, columns: 0 },
      { rows: NaN, columns: 80 },
      {},
      { rows: -3, columns: 4 },
    ]) {
      assert.equal(validSize(none), undefined, JSON.stringify(none));
    }
  });

  it('stays below terminado\'s "no size" mark of 10001 cells', () => {
    assert.deepEqual(validSize({ rows: 20_000, columns: 10_001 }), { rows: 10_000, columns: 10_000 });
  });

  it('knows an unchanged size (resent only when it changes)', () => {
    assert.equal(sameSize({ rows: 1, columns: 2 }, { rows: 1, columns: 2 }), true);
    assert.equal(sameSize({ rows: 1, columns: 2 }, { rows: 2, columns: 1 }), false);
    assert.equal(sameSize({ rows: 1, columns: 2 }, undefined), false);
  });
});

describe('replay on reconnection', () => {
  it('a fresh terminal shows the whole replay (attaching shows the history)', () => {
    assert.equal(unseenPart('', '$ ls\r\nfile\r\n$ '), '$ ls\r\nfile\r\n$ ');
  });

  it('nothing new while away: nothing is shown again', () => {
    assert.equal(unseenPart('old output\r\n$ ls\r\nfile\r\n$ ', '$ ls\r\nfile\r\n$ '), '');
    assert.equal(unseenPart('$ ', '$ '), '');
  });

  it('output written while away is shown, once', () => {
    const seen = 'banner\r\n$ sleep 1; echo done\r\n';
    assert.equal(unseenPart(seen, '$ sleep 1; echo done\r\ndone\r\n$ '), 'done\r\n$ ');
  });

  it('a replay reaching back past what was kept still lines up', () => {
    const seen = 'line 2\r\nline 3\r\n';
    assert.equal(unseenPart(seen, 'line 1\r\nline 2\r\nline 3\r\nline 4\r\n'), 'line 4\r\n');
  });

  it('repeated output: the longest overlap wins, so nothing is shown twice', () => {
    assert.equal(unseenPart('$ \r\n$ \r\n$ ', '$ \r\n$ \r\n$ '), '');
    assert.equal(unseenPart('ab ab ab', 'ab ab ab ab'), '');
    assert.equal(unseenPart('x ab ab', 'ab ab ab!'), ' ab!');
  });

  it('a replay with nothing in common (the terminal was cleared and refilled) is shown whole', () => {
    assert.equal(unseenPart('xyz', 'abc'), 'abc');
  });

  it('keeps the end of a long run of tiny chunks (keystroke echoes), bounded', () => {
    const tail = new OutputTail(1000);
    for (let i = 0; i < 100_000; i++) tail.add(String(i % 10));
    assert.equal(tail.value.length, 1000);
    assert.equal(tail.value.slice(-10), '0123456789');
  });

  it('keeps the end of the output, bounded', () => {
    const tail = new OutputTail(10);
    for (let i = 0; i < 100; i++) tail.add(String(i % 10));
    assert.equal(tail.value, '0123456789');
    tail.add('abc');
    assert.equal(tail.value, '3456789abc');
  });
});
