import * as assert from 'assert';
import { findLeaks, formsOf, presignedUrls } from '../support/leakScan';

const token = 'AbCdEfGhIj+KlMnOpQrStUvWxYz%2B/0123456789abcdefghijklmn==';
const secrets = [{ name: 'token', value: token }, { name: 'key', value: 'shortKey-1234' }];

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
    assert.deepStrictEqual(presignedUrls([{ where: 'a', text: 'x?authToken=<redacted>' }, { where: 'b', text: 'x?authToken=abcdefghij' }]), ['b']);
  });
});
