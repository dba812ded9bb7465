// The proxy's own sign-in and cookie jar, against a small scripted upstream.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JupyterLogin } from '../../../src/jupyter/login';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

describe('notebook proxy session', () => {
  let server: Server;
  let origin: string;
  const seen: IncomingMessage[] = [];
  /** Another origin on the sign-in path, which sets its own cookie and sends the client back. */
  let other: Server;
  let elsewhere: string;

  before(async () => {
    server = createServer((req, res) => {
      seen.push(req);
      const path = (req.url ?? '').split('?')[0];
      if (req.url?.includes('authToken=bad')) {
        res.writeHead(403);
      } else if (req.url?.includes('authToken=good')) {
        res.writeHead(302, { location: '/next', 'set-cookie': ['session=s1; Path=/; HttpOnly'] });
      } else if (req.url?.includes('authToken=offsite')) {
        res.writeHead(302, { location: `${elsewhere}/hop`, 'set-cookie': ['session=s1; Path=/'] });
      } else if (path === '/next') {
        res.writeHead(302, { location: `${origin}/lab`, 'set-cookie': ['step=2; Path=/'] });
      } else if (path === '/lab') {
        res.writeHead(200, { 'content-type': 'text/html' });
      } else if (path === '/loop') {
        res.writeHead(302, { location: '/loop' });
      } else if (path === '/hang') {
        return; // never answers
      } else {
        res.writeHead(403);
      }
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    other = createServer((req, res) => {
      seen.push(req);
      res.writeHead(302, { location: `${origin}/lab`, 'set-cookie': ['theirs=x; Path=/'] }).end();
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    elsewhere = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const s of [server, other]) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
  });

  it('follows the sign-in redirects, sending each hop the cookies gathered so far', async () => {
    seen.length = 0;
    const session = await JupyterLogin.signIn(`${origin}/lab?authToken=good`, quiet, 2000);
    assert.deepEqual(
      seen.map((r) => [r.url, r.headers.cookie]),
      [
        ['/lab?authToken=good', undefined],
        ['/next', 'session=s1'],
        ['/lab', 'session=s1; step=2'],
      ],
    );
    assert.equal(session.origin, origin);
    assert.equal(session.cookieFor('/api/contents'), 'session=s1; step=2');
  });

  it("neither sends the upstream's cookies to a hop on another origin nor keeps that origin's cookies", async () => {
    seen.length = 0;
    const session = await JupyterLogin.signIn(`${origin}/lab?authToken=offsite`, quiet, 2000);
    assert.deepEqual(
      seen.map((r) => [r.url, r.headers.cookie]),
      [
        ['/lab?authToken=offsite', undefined],
        ['/hop', undefined],
        ['/lab', 'session=s1'],
      ],
    );
    assert.equal(session.cookieFor('/'), 'session=s1');
  });

  it('mints an _xsrf pair when Jupyter has not set one, and follows Jupyter when it does', async () => {
    const session = await JupyterLogin.signIn(`${origin}/lab?authToken=good`, quiet, 2000);
    const minted = session.xsrfToken();
    assert.match(minted, /^[0-9a-f]{32}$/);
    assert.match(session.cookieFor('/api/contents'), new RegExp(`_xsrf=${minted}`));
    assert.equal(session.xsrfToken(), minted);
    session.absorb(['_xsrf=2|abc|def|123; Path=/'], `${origin}/tree`);
    assert.equal(session.xsrfToken(), '2|abc|def|123');
  });

  it('fails with the status, never the URL, when the token is refused', async () => {
    await assert.rejects(JupyterLogin.signIn(`${origin}/lab?authToken=bad`, quiet, 2000), (e: Error) => {
      assert.equal(e.message, 'Could not sign in to the notebook: HTTP 403');
      return true;
    });
  });

  it('gives up on a redirect loop and on an upstream that never answers', async () => {
    await assert.rejects(JupyterLogin.signIn(`${origin}/loop?authToken=x`, quiet, 2000), /too many redirects/);
    await assert.rejects(JupyterLogin.signIn(`${origin}/hang?authToken=x`, quiet, 200), /no answer within 200 ms/);
  });
});
