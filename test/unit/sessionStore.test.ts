import * as assert from 'assert';
import { SessionStore, type Memento } from '../../src/session/sessionStore';
import type { NotebookSession } from '../../src/session/session';

class MemoryMemento implements Memento {
  data = new Map<string, unknown>();
  get<T>(key: string) {
    return this.data.get(key) as T | undefined;
  }
  async update(key: string, value: unknown) {
    this.data.set(key, JSON.parse(JSON.stringify(value)));
  }
}

const s = (name: string, expiresAt: number, profile = 'default'): NotebookSession => ({
  profile,
  region: 'us-east-1',
  arn: `arn:${name}`,
  name,
  target: 'browser',
  ui: 'jupyterlab',
  startedAt: 0,
  expiresAt,
});

describe('SessionStore', () => {
  it('keeps one session per instance and profile, replacing it on renew', async () => {
    const store = new SessionStore(new MemoryMemento());
    await store.put(s('a', 100), 0);
    await store.put(s('a', 200), 0);
    await store.put(s('a', 150, 'team'), 0);
    assert.deepStrictEqual(
      store.all(0).map((x) => [x.name, x.profile, x.expiresAt]),
      [
        ['a', 'default', 200],
        ['a', 'team', 150],
      ],
    );
  });

  it('drops ended sessions', async () => {
    const memento = new MemoryMemento();
    const store = new SessionStore(memento);
    await store.put(s('old', 100), 0);
    await store.put(s('new', 300), 0);
    assert.deepStrictEqual(
      store.all(200).map((x) => x.name),
      ['new'],
    );
    await store.prune(200);
    assert.strictEqual((memento.get<unknown[]>('sagemakerNotebooks.sessions') ?? []).length, 1);
  });

  it('never writes back fields that are not part of a session, such as a URL', async () => {
    const memento = new MemoryMemento();
    const store = new SessionStore(memento);
    await store.put({ ...s('a', 100), url: 'https://x?authToken=secret' } as NotebookSession, 0);
    memento.data.set('sagemakerNotebooks.sessions', [
      ...(memento.get<unknown[]>('sagemakerNotebooks.sessions') ?? []),
      { bogus: true },
      'text',
    ]);
    await store.put(s('b', 100), 0);
    const raw = JSON.stringify(memento.get('sagemakerNotebooks.sessions'));
    assert.doesNotMatch(raw, /authToken|bogus/);
    assert.deepStrictEqual(
      store.all(0).map((x) => x.name),
      ['a', 'b'],
    );
  });

  it('keeps whether a session renews itself, so a reload does not warn about a tab the extension holds', async () => {
    const store = new SessionStore(new MemoryMemento());
    await store.put({ ...s('tab', 100), target: 'editor', renews: true }, 0);
    await store.put({ ...s('browser', 100), renews: 'yes' } as unknown as NotebookSession, 0);
    assert.deepStrictEqual(
      store.all(0).map((x) => [x.name, x.renews]),
      [
        ['tab', true],
        ['browser', undefined],
      ],
    );
  });
});
