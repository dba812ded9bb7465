import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findLeaks, folderPlaces, formsOf, presignedUrls, proxySecretsIn } from '../support/leakScan';
import { DEFAULT_SECRET_ACCESS_KEY } from '../endpoint/server';
import { scanCodeServerFolder } from '../ui/workbench';

const token = 'AbCdEfGhIj+KlMnOpQrStUvWxYz%2B/0123456789abcdefghijklmn==';
const secrets = [
  { name: 'token', value: token },
  { name: 'key', value: 'shortKey-1234' },
];

describe('leak scan', () => {
  it('knows a token as issued, URL-decoded, form-decoded and URL-encoded', () => {
    assert.deepStrictEqual(formsOf('a+b%2Bc/d'), ['a+b%2Bc/d', 'a+b+c/d', 'a b+c/d', 'a%2Bb%252Bc%2Fd']);
  });

  it('finds every form, and any 24-character piece, in any place; never prints the secret', () => {
    const places = [
      { where: 'log', text: `GET /lab?authToken=${token} 200` },
      { where: 'decoded', text: `token: ${decodeURIComponent(token.replace(/\+/g, ' '))}` },
      { where: 'encoded', text: `"url":"${encodeURIComponent(token)}"` },
      { where: 'piece', text: `...${token.slice(20, 44)}...` },
      { where: 'short piece', text: token.slice(20, 43) },
      { where: 'key', text: 'aws_secret_access_key=shortKey-1234' },
      { where: 'clean', text: 'nothing here' },
    ];
    const found = findLeaks(places, secrets);
    assert.deepStrictEqual(found, ['log: token', 'decoded: token', 'encoded: token', 'piece: token', 'key: key']);
    assert.ok(!found.join().includes(token.slice(0, 8)));
  });

  it('leaves out what belongs to a place, and spots a presigned URL with its token', () => {
    assert.deepStrictEqual(findLeaks([{ where: 'webview', text: token, allowed: [token] }], secrets), []);
    assert.deepStrictEqual(
      presignedUrls([
        { where: 'a', text: 'x?authToken=<redacted>' },
        { where: 'b', text: 'x?authToken=abcdefghij' },
      ]),
      ['b'],
    );
  });

  it("reads a folder's files, leaving out only VS Code's own proxy-resolver debug lines", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smn-leakscan-'));
    try {
      fs.mkdirSync(path.join(dir, 'logs'));
      fs.writeFileSync(
        path.join(dir, 'logs', 'remoteexthost.log'),
        [`2026-01-01 [debug] ProxyResolver#resolveProxy https://x/?authToken=${token} DIRECT`, `2026-01-01 [info] opened ${token}`].join(
          '\n',
        ),
      );
      const places = folderPlaces([dir]);
      assert.deepStrictEqual(
        places.map((p) => path.relative(dir, p.where)),
        [path.join('logs', 'remoteexthost.log')],
      );
      assert.ok(!places[0].text.includes('ProxyResolver'));
      assert.deepStrictEqual(
        findLeaks(places, secrets).map((l) => path.basename(l)),
        ['remoteexthost.log: token'],
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("takes the in-editor proxy's host label and entry segment from URLs, never VS Code's commit", () => {
    const host = 'a'.repeat(40);
    const entry = '0123456789abcdef0123456789abcdef01234567';
    const commit = 'f'.repeat(40);
    assert.deepStrictEqual(
      proxySecretsIn([
        `http://${host}.localhost:4000/${entry}/tree?x=1`,
        `http://127.0.0.1:8080/stable-${commit}/static/out/vs/workbench.js`,
        `http://127.0.0.1:8080/${'b'.repeat(41)}/`,
      ]),
      [host, entry],
    );
  });

  it("fails a UI suite's close when code-server's folder holds a secret, naming the file and not the secret", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smn-leakscan-'));
    try {
      fs.writeFileSync(path.join(dir, 'state.vscdb'), 'nothing');
      assert.doesNotThrow(() => scanCodeServerFolder(dir, []));
      const proxySecret = 'c'.repeat(40);
      fs.writeFileSync(path.join(dir, 'state.vscdb'), `\0\0${encodeURIComponent(DEFAULT_SECRET_ACCESS_KEY)}\0${proxySecret}`);
      assert.throws(
        () => scanCodeServerFolder(dir, [proxySecret]),
        (error: Error) =>
          /state\.vscdb: default secret key/.test(error.message) &&
          /state\.vscdb: in-editor proxy secret #0/.test(error.message) &&
          !error.message.includes(DEFAULT_SECRET_ACCESS_KEY) &&
          !error.message.includes(proxySecret),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
