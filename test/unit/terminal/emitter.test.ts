// The terminal's event emitter (the shape VS Code's Pseudoterminal listens to), without VS Code.
import assert from 'node:assert/strict';
import { Emitter, type Disposable } from '../../../src/terminal/emitter';

describe('terminal Emitter', () => {
  it('calls every listener in order, with its thisArgs, until it is disposed', () => {
    const emitter = new Emitter<string>();
    const seen: string[] = [];
    const owner = {
      name: 'owner',
      on(this: { name: string }, e: string) {
        seen.push(`${this.name}:${e}`);
      },
    };
    const disposables: Disposable[] = [];
    const first = emitter.event((e) => seen.push(`first:${e}`));
    // eslint-disable-next-line @typescript-eslint/unbound-method -- thisArgs is what binds it, as VS Code's events do
    emitter.event(owner.on, owner, disposables);
    emitter.fire('a');
    first.dispose();
    first.dispose(); // twice is harmless
    emitter.fire('b');
    assert.equal(disposables.length, 1);
    disposables[0].dispose();
    emitter.fire('c');
    assert.deepEqual(seen, ['first:a', 'owner:a', 'owner:b']);
  });

  it('the same function subscribed twice is called twice, and each handle removes one', () => {
    const emitter = new Emitter<number>();
    let calls = 0;
    const listener = () => calls++;
    const one = emitter.event(listener);
    emitter.event(listener);
    emitter.fire(1);
    one.dispose();
    emitter.fire(2);
    assert.equal(calls, 3);
  });

  it('a listener added or removed during a fire takes effect from the next fire', () => {
    const emitter = new Emitter<number>();
    const seen: string[] = [];
    const later: { second?: Disposable } = {};
    emitter.event((e) => {
      seen.push(`first:${e}`);
      later.second?.dispose();
      if (e === 1) emitter.event((x) => seen.push(`late:${x}`));
    });
    later.second = emitter.event((e) => seen.push(`second:${e}`));
    emitter.fire(1);
    emitter.fire(2);
    assert.deepEqual(seen, ['first:1', 'second:1', 'first:2', 'late:2']);
  });

  it('dispose() drops every listener', () => {
    const emitter = new Emitter<number>();
    let calls = 0;
    emitter.event(() => calls++);
    emitter.dispose();
    emitter.fire(1);
    assert.equal(calls, 0);
  });
});
