// Who gets through the notebook proxy: a request to its secret host name, as a navigation of the frame or
// from its own pages; at a forwarded origin, the secret cookie (set by the secret entry path) instead.
import assert from 'node:assert/strict';
import { checkAccess, newSecret, sameSecret, secretCookie, secretHost, type AccessPolicy } from '../../../src/open/proxy/access';

const HOST_SECRET = 'a1'.repeat(20);
const SECRET = 'b2'.repeat(20);
const HOST = secretHost(HOST_SECRET, 4000);
const ORIGIN = `http://${HOST}`;
const FORWARDED = 'https://4000-workspace.example.dev';
const policy: AccessPolicy = { origins: [ORIGIN, FORWARDED], secret: SECRET, cookieName: 'proxy' };
const COOKIE = `other=1; proxy=${SECRET}`;
const check = (url: string, headers: Record<string, string> = {}, method = 'GET') =>
  checkAccess(policy, { url, method, headers: { host: HOST, ...headers } });
const navigation = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'iframe' };
const sameOrigin = { 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors', 'sec-fetch-dest': 'empty' };

describe('notebook proxy access', () => {
  it('makes secrets of 160 bits that are a lowercase DNS label, different every time', () => {
    const secrets = new Set(Array.from({ length: 50 }, newSecret));
    assert.equal(secrets.size, 50);
    for (const s of secrets) assert.match(s, /^[0-9a-f]{40}$/);
    assert.equal(secretHost(SECRET, 4000), `${SECRET}.localhost:4000`);
  });

  it('grants the entry (the secret path, once, as the frame navigates to it) and then the cookie, at its secret host', () => {
    assert.deepEqual(check(`/${SECRET}/lab`, navigation), { granted: true, via: 'entry', path: '/lab', origin: ORIGIN });
    assert.deepEqual(check('/lab', { ...navigation, cookie: COOKIE }), { granted: true, via: 'cookie', path: '/lab', origin: ORIGIN });
    assert.deepEqual(check('/api/contents', { ...sameOrigin, cookie: COOKIE }), {
      granted: true,
      via: 'cookie',
      path: '/api/contents',
      origin: ORIGIN,
    });
    assert.equal(
      check('/api/kernels/1/channels', { origin: ORIGIN, 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'websocket', cookie: COOKIE })
        .granted,
      true,
    );
    assert.equal(check('/api/contents', { ...sameOrigin, origin: ORIGIN, cookie: COOKIE }, 'POST').granted, true);
    assert.equal(check('/lab', { host: HOST.toUpperCase(), cookie: COOKIE }).granted, true, 'Host is case-insensitive');
  });

  it('refuses its secret host without the cookie: browsers tell that name to every server a page asks with CORS', () => {
    assert.deepEqual(check('/lab', navigation), { granted: false });
    assert.deepEqual(check('/api/contents', sameOrigin), { granted: false });
    assert.deepEqual(
      check('/api/contents', { ...sameOrigin, cookie: `proxy=${HOST_SECRET}` }),
      { granted: false },
      'the host secret is not the cookie',
    );
    assert.deepEqual(check('/api/contents', { ...sameOrigin, cookie: `proxy=${SECRET}x` }), { granted: false });
    assert.deepEqual(check('/api/contents', { ...sameOrigin, cookie: `proxy-4000=${SECRET}` }), { granted: false });
    for (const url of [`/${SECRET}`, `/${SECRET}lab`, `/${SECRET.slice(1)}/lab`, `/x/${SECRET}/lab`, `/${HOST_SECRET}/lab`])
      assert.deepEqual(check(url, navigation), { granted: false }, url);
  });

  it('refuses every other Host, the listening address and other loopback names included, whatever the request holds', () => {
    for (const host of [
      '127.0.0.1:4000',
      'localhost:4000',
      `${HOST_SECRET}.localhost:4001`,
      `${HOST_SECRET}.localhost`,
      `x${HOST_SECRET}.localhost:4000`,
      `${HOST_SECRET.slice(1)}.localhost:4000`,
      'evil.example:4000',
      `${HOST}.evil.example`,
    ]) {
      assert.deepEqual(checkAccess(policy, { url: '/lab', headers: { host, cookie: COOKIE } }), { granted: false }, host);
      assert.deepEqual(checkAccess(policy, { url: `/${SECRET}/lab`, headers: { host } }), { granted: false }, host);
    }
    assert.deepEqual(checkAccess(policy, { url: '/lab', headers: { cookie: COOKIE } }), { granted: false });
  });

  it('refuses requests from pages of other origins, with the cookie and even by the secret path', () => {
    for (const url of ['/api/contents', `/${SECRET}/api/contents`]) {
      assert.deepEqual(check(url, { cookie: COOKIE, 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'cors' }), { granted: false }, url);
      assert.deepEqual(check(url, { cookie: COOKIE, 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'no-cors' }), { granted: false }, url);
      assert.deepEqual(check(url, { cookie: COOKIE, origin: 'http://127.0.0.1:4001' }, 'POST'), { granted: false }, url);
      // A cross-site navigation is a GET of the frame only: no write, no Origin, not a fetch or an image.
      assert.deepEqual(check(url, { ...navigation, cookie: COOKIE }, 'POST'), { granted: false }, url);
      assert.deepEqual(check(url, { ...navigation, cookie: COOKIE, origin: 'http://evil.example' }), { granted: false }, url);
      assert.deepEqual(check(url, { ...navigation, cookie: COOKIE, 'sec-fetch-dest': 'image' }), { granted: false }, url);
    }
    assert.deepEqual(
      check('/api/kernels/1/channels', {
        cookie: COOKIE,
        origin: 'http://localhost:8000',
        'sec-fetch-site': 'cross-site',
        'sec-fetch-mode': 'websocket',
      }),
      { granted: false },
    );
    assert.deepEqual(check(`/${SECRET}/api/kernels`, {}, 'POST'), { granted: false }, 'the entry only reads');
  });

  it('answers at a forwarded origin by that exact Host, with the same rules; its cookie opens no other name', () => {
    const at = (host: string, url: string, headers: Record<string, string>) =>
      checkAccess(policy, { url, method: 'GET', headers: { host, ...headers } });
    assert.deepEqual(at('4000-workspace.example.dev', `/${SECRET}/lab`, navigation), {
      granted: true,
      via: 'entry',
      path: '/lab',
      origin: FORWARDED,
    });
    assert.deepEqual(at('4000-workspace.example.dev', '/api/contents', { ...sameOrigin, cookie: COOKIE, origin: FORWARDED }).granted, true);
    assert.deepEqual(at('4000-workspace.example.dev', '/api/contents', { ...sameOrigin, cookie: COOKIE, origin: ORIGIN }), {
      granted: false,
    });
    for (const host of ['4000-workspace.example.dev:443', 'workspace.example.dev', '127.0.0.1:4000'])
      assert.deepEqual(at(host, '/api/contents', { ...sameOrigin, cookie: COOKIE }), { granted: false }, host);
  });

  it('sets a cookie whose name tells no port, that works in a cross-site iframe, stays in its partition and no script reads', () => {
    assert.equal(secretCookie(policy), `proxy=${SECRET}; Path=/; HttpOnly; Secure; SameSite=None; Partitioned`);
  });

  it('compares secrets by equal-size digests, so neither the length nor a common prefix shows in the time taken', () => {
    assert.equal(sameSecret(SECRET, SECRET), true);
    for (const other of ['', 'a', SECRET.slice(0, -1), `${SECRET}0`, SECRET.toUpperCase()])
      assert.equal(sameSecret(other, SECRET), false, other);
  });
});
