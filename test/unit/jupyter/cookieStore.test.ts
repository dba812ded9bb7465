// The proxy's single-origin cookie jar: RFC 6265 paths, expiry and ordering, without a browser's domain rules.
import assert from 'node:assert/strict';
import { CookieStore, defaultPath, pathMatches } from '../../../src/jupyter/cookieStore';

const UPSTREAM = 'https://nb.notebook.us-east-1.sagemaker.aws';

/** A store on a clock the test moves by hand. */
function storeAt(origin = UPSTREAM) {
  const clock = { now: Date.parse('2025-01-01T00:00:00Z') };
  return { store: new CookieStore(origin, () => clock.now), clock };
}

describe('proxy cookie store', () => {
  it('derives the default path from the request path (RFC 6265 §5.1.4)', () => {
    assert.equal(defaultPath('/'), '/');
    assert.equal(defaultPath('/lab'), '/');
    assert.equal(defaultPath('/api/contents'), '/api');
    assert.equal(defaultPath('/api/contents/'), '/api/contents');
    assert.equal(defaultPath(''), '/');
  });

  it('path-matches whole segments only', () => {
    assert.ok(pathMatches('/api', '/api'));
    assert.ok(pathMatches('/api/contents', '/api'));
    assert.ok(pathMatches('/api/contents', '/api/'));
    assert.ok(pathMatches('/anything', '/'));
    assert.ok(!pathMatches('/apis', '/api'));
    assert.ok(!pathMatches('/', '/api'));
  });

  it('sends a cookie only under its Path, defaulting to the directory of the request that set it', () => {
    const { store } = storeAt();
    store.absorb(['root=1; Path=/', 'api=2; Path=/api', 'dflt=3'], '/api/contents');
    assert.equal(store.header('/api/contents/x'), 'api=2; dflt=3; root=1');
    assert.equal(store.header('/api'), 'api=2; dflt=3; root=1');
    assert.equal(store.header('/apis'), 'root=1');
    assert.equal(store.header('/lab'), 'root=1');
    store.absorb(['odd=4; Path=relative'], '/tree/x');
    assert.equal(store.header('/tree'), 'odd=4; root=1', 'a Path not starting with / falls back to the default path');
  });

  it('orders the header longest path first, then by creation, and keeps the creation slot on overwrite', () => {
    const { store } = storeAt();
    store.absorb(['a=1; Path=/', 'b=1; Path=/api/kernels', 'c=1; Path=/api', 'd=1; Path=/'], '/');
    assert.equal(store.header('/api/kernels/k1'), 'b=1; c=1; a=1; d=1');
    store.absorb(['a=2; Path=/'], '/');
    assert.equal(store.header('/api/kernels/k1'), 'b=1; c=1; a=2; d=1');
  });

  it('keeps one cookie per (name, path): a later one overwrites, another path adds', () => {
    const { store } = storeAt();
    store.absorb(['_xsrf=old; Path=/'], '/');
    store.absorb(['_xsrf=new; Path=/'], '/tree');
    assert.equal(store.header('/'), '_xsrf=new');
    store.absorb(['_xsrf=deep; Path=/api'], '/');
    assert.equal(store.header('/api/x'), '_xsrf=deep; _xsrf=new');
    assert.equal(store.get('_xsrf', '/api/x'), 'deep');
    assert.equal(store.get('_xsrf', '/lab'), 'new');
    assert.equal(store.get('missing', '/'), undefined);
  });

  it('expires by Max-Age and by Expires on the injected clock', () => {
    const { store, clock } = storeAt();
    store.absorb(['short=1; Max-Age=60', 'dated=1; Expires=Wed, 01 Jan 2025 00:02:00 GMT', 'session=1'], '/');
    assert.equal(store.header('/'), 'short=1; dated=1; session=1');
    clock.now += 60_000;
    assert.equal(store.header('/'), 'dated=1; session=1');
    clock.now += 60_000;
    assert.equal(store.header('/'), 'session=1');
  });

  it('lets Max-Age win over Expires', () => {
    const { store, clock } = storeAt();
    store.absorb(['x=1; Expires=Wed, 01 Jan 2025 00:00:10 GMT; Max-Age=3600'], '/');
    clock.now += 60_000;
    assert.equal(store.header('/'), 'x=1');
  });

  it('deletes a cookie set again with Max-Age<=0 or a past Expires, and stores neither', () => {
    const { store } = storeAt();
    store.absorb(['a=1; Path=/', 'b=1; Path=/', 'c=1; Path=/', 'd=1; Path=/api'], '/');
    store.absorb(['a=; Path=/; Max-Age=0', 'b=x; Path=/; Max-Age=-1', 'c=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT'], '/');
    store.absorb(['d=; Path=/; Max-Age=0'], '/');
    assert.equal(store.header('/api'), 'd=1', 'deletion is by (name, path): d at /api survives');
  });

  it("drops a cookie for another domain, keeps the upstream's own and its parent's", () => {
    const { store } = storeAt();
    store.absorb(
      [
        'own=1; Domain=nb.notebook.us-east-1.sagemaker.aws',
        'dotted=1; Domain=.NB.notebook.us-east-1.sagemaker.aws',
        'parent=1; Domain=sagemaker.aws',
        'sibling=1; Domain=other.notebook.us-east-1.sagemaker.aws',
        'foreign=1; Domain=example.com',
        'suffix=1; Domain=b.notebook.us-east-1.sagemaker.aws',
      ],
      '/',
    );
    assert.equal(store.header('/'), 'own=1; dotted=1; parent=1');
  });

  it('takes no parent domain for an IP address upstream', () => {
    const { store } = storeAt('http://127.0.0.1:8888');
    store.absorb(['own=1; Domain=127.0.0.1', 'parent=1; Domain=0.0.1'], '/');
    assert.equal(store.header('/'), 'own=1');
  });

  it('sends Secure cookies to https and loopback http, never to other plain http', () => {
    for (const [origin, sent] of [
      [UPSTREAM, 's=1; p=1'],
      ['http://127.0.0.1:8888', 's=1; p=1'],
      ['http://localhost:8888', 's=1; p=1'],
      ['http://nb.example.internal', 'p=1'],
    ] as const) {
      const { store } = storeAt(origin);
      store.absorb(['s=1; Secure; HttpOnly', 'p=1'], '/');
      assert.equal(store.header('/'), sent, origin);
    }
  });

  it('keeps values as sent, undecoded, and skips lines it cannot parse', () => {
    const { store } = storeAt();
    store.absorb(['_xsrf=2|abc%7C|def=; Path=/', '', ';Path=/', 'constructor=x'], '/');
    assert.equal(store.header('/'), '_xsrf=2|abc%7C|def=');
  });
});
