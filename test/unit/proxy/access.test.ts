// Who gets through the notebook proxy: the exact Host, and the secret in the path or (from the proxy's own
// pages only) in its cookie.
import assert from 'node:assert/strict';
import { checkAccess, newSecret, secretCookie, type AccessPolicy } from '../../../src/open/proxy/access';

const SECRET = 'S'.repeat(32);
const policy: AccessPolicy = { origins: ['http://127.0.0.1:4000'], secret: SECRET, cookieName: 'proxy-4000' };
const check = (url: string, headers: Record<string, string> = {}) => checkAccess(policy, { url, headers: { host: '127.0.0.1:4000', ...headers } });

describe('notebook proxy access', () => {
  it('makes secrets of at least 32 url-safe characters, different every time', () => {
    const secrets = new Set(Array.from({ length: 50 }, newSecret));
    assert.equal(secrets.size, 50);
    for (const s of secrets) assert.match(s, /^[A-Za-z0-9_-]{32,}$/);
  });

  it('grants a prefixed path and forwards it with the prefix removed', () => {
    assert.deepEqual(check(`/${SECRET}/api/contents?type=directory`), { granted: true, via: 'prefix', path: '/api/contents?type=directory', origin: 'http://127.0.0.1:4000' });
  });

  it('refuses any Host but its own exact 127.0.0.1:PORT, even with the secret', () => {
    for (const host of ['localhost:4000', 'evil.example:4000', '127.0.0.1', '127.0.0.1:4001', '[::1]:4000', '127.0.0.1:4000.evil.example']) {
      assert.deepEqual(checkAccess(policy, { url: `/${SECRET}/tree`, headers: { host } }), { granted: false }, host);
    }
    assert.deepEqual(checkAccess(policy, { url: `/${SECRET}/tree`, headers: {} }), { granted: false });
  });

  it('answers at a forwarded origin it was given, by that exact Host, with the same-origin rules there', () => {
    const forwarded: AccessPolicy = { ...policy, origins: ['http://127.0.0.1:4000', 'https://4000-workspace.example.dev'] };
    const at = (url: string, headers: Record<string, string>) => checkAccess(forwarded, { url, headers });
    assert.deepEqual(at(`/${SECRET}/tree`, { host: '4000-workspace.example.dev' }), { granted: true, via: 'prefix', path: '/tree', origin: 'https://4000-workspace.example.dev' });
    assert.deepEqual(at(`/${SECRET}/tree`, { host: '4000-WORKSPACE.example.dev' }).granted, true, 'Host is case-insensitive');
    const cookie = `proxy-4000=${SECRET}`;
    assert.deepEqual(at('/api/contents', { host: '4000-workspace.example.dev', cookie, origin: 'https://4000-workspace.example.dev' }).granted, true);
    // The cookie from the forwarded origin's pages does not open the local origin, nor the other way round.
    assert.deepEqual(at('/api/contents', { host: '127.0.0.1:4000', cookie, origin: 'https://4000-workspace.example.dev' }), { granted: false });
    assert.deepEqual(at('/api/contents', { host: '4000-workspace.example.dev', cookie, origin: 'http://127.0.0.1:4000' }), { granted: false });
    for (const host of ['4000-workspace.example.dev:443', 'evil.example.dev', 'workspace.example.dev']) {
      assert.deepEqual(at(`/${SECRET}/tree`, { host }), { granted: false }, host);
    }
  });

  it('refuses paths without the exact prefix', () => {
    for (const url of ['/tree', `/${SECRET}`, `/${SECRET}tree`, `/${SECRET.slice(1)}/tree`, `/x/${SECRET}/tree`, `http://127.0.0.1:4000/${SECRET}/tree`]) {
      assert.deepEqual(check(url), { granted: false }, url);
    }
  });

  it("grants unprefixed paths that carry the cookie, from the proxy's own pages", () => {
    const cookie = `other=1; proxy-4000=${SECRET}`;
    assert.deepEqual(check('/static/x.js', { cookie, 'sec-fetch-site': 'same-origin' }), { granted: true, via: 'cookie', path: '/static/x.js', origin: 'http://127.0.0.1:4000' });
    assert.deepEqual(check('/api/kernels/1/channels', { cookie, origin: 'http://127.0.0.1:4000' }), { granted: true, via: 'cookie', path: '/api/kernels/1/channels', origin: 'http://127.0.0.1:4000' });
  });

  it('refuses the cookie from other sites, other origins, or with the wrong value or name', () => {
    const cookie = `proxy-4000=${SECRET}`;
    assert.deepEqual(check('/api/contents', { cookie, 'sec-fetch-site': 'cross-site' }), { granted: false });
    assert.deepEqual(check('/api/contents', { cookie, 'sec-fetch-site': 'same-site' }), { granted: false });
    assert.deepEqual(check('/api/contents', { cookie, origin: 'http://127.0.0.1:4001' }), { granted: false });
    assert.deepEqual(check('/api/contents', { cookie: `proxy-4000=${SECRET}x` }), { granted: false });
    assert.deepEqual(check('/api/contents', { cookie: `proxy-4001=${SECRET}` }), { granted: false });
    assert.deepEqual(check('/api/contents', {}), { granted: false });
  });

  it('sets a cookie only this proxy reads, that works in a cross-site iframe and no script can read', () => {
    assert.equal(secretCookie(policy), `proxy-4000=${SECRET}; Path=/; HttpOnly; Secure; SameSite=None; Partitioned`);
  });
});
