// The storage script the proxy puts at the top of the notebook's pages (src/open/proxy/storageShim.ts).
import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { STORAGE_SHIM, STORAGE_SHIM_PATH, withStorageShim } from '../../../src/open/proxy/storageShim';

const TAG = `<script src="${STORAGE_SHIM_PATH}"></script>`;

describe('storage script for pages denied their storage', () => {
  it('goes first into <head>, whatever its attributes and case, bytes around it unchanged', () => {
    const page = Buffer.concat([
      Buffer.from('<!doctype html>\n<html><HEAD lang="en"><meta charset="utf-8"><title>'),
      Buffer.from([0xc3, 0xa9]),
      Buffer.from('</title>'),
    ]);
    const out = withStorageShim(page);
    assert.equal(out.toString('latin1'), page.toString('latin1').replace('<HEAD lang="en">', `<HEAD lang="en">${TAG}`));
    assert.deepEqual(out.subarray(out.length - 10), page.subarray(page.length - 10));
  });

  it('leaves a chunk without <head> alone (a script before the doctype would change how the page renders)', () => {
    for (const text of ['<!doctype html><html><body>x', '{"json": true}', '<header>not a head</header>']) {
      assert.equal(withStorageShim(Buffer.from(text)).toString(), text);
    }
  });

  it('gives an in-memory storage only where the browser refuses one, and keeps a usable one', () => {
    const refusing = () => {
      throw new Error('SecurityError');
    };
    const denied: Record<string, unknown> = {};
    Object.defineProperty(denied, 'localStorage', { get: refusing, configurable: true });
    Object.defineProperty(denied, 'sessionStorage', { get: refusing, configurable: true });
    denied.window = denied;
    runInNewContext(STORAGE_SHIM, { window: denied, Map, Array, Object, String });
    const local = denied.localStorage as {
      setItem(k: string, v: string): void;
      getItem(k: string): string | null;
      key(i: number): string | null;
      removeItem(k: string): void;
      length: number;
    };
    local.setItem('a', 1 as unknown as string);
    assert.equal(local.getItem('a'), '1');
    assert.equal(local.length, 1);
    assert.equal(local.key(0), 'a');
    assert.equal(local.getItem('missing'), null);
    local.removeItem('a');
    assert.equal(local.length, 0);
    assert.notEqual(denied.sessionStorage, local);

    const own = { getItem: () => null };
    const allowed: Record<string, unknown> = { localStorage: own, sessionStorage: own };
    runInNewContext(STORAGE_SHIM, { window: allowed, Map, Array, Object, String });
    assert.equal(allowed.localStorage, own, 'a usable storage is kept');
  });
});
