import * as assert from 'assert';
import { authorityOf, contentsPath, filesPath, parentOf, parseParts, uriPath, isWithin } from '../../../src/files/uri';

describe('instance file URIs', () => {
  it('name profile, region and instance, and give back the path under the Jupyter root', () => {
    assert.strictEqual(authorityOf('default', 'us-east-1'), 'default@us-east-1');
    assert.deepStrictEqual(parseParts('default@us-east-1', '/nb-1/data/a b.csv'), {
      profile: 'default',
      region: 'us-east-1',
      instance: 'nb-1',
      path: 'data/a b.csv',
    });
    assert.deepStrictEqual(parseParts('default@eu-west-2', '/nb'), { profile: 'default', region: 'eu-west-2', instance: 'nb', path: '' });
    assert.strictEqual(uriPath('nb', ''), '/nb');
    assert.strictEqual(uriPath('nb', 'a/b.txt'), '/nb/a/b.txt');
  });

  it('keep profile names with @, :, /, %, spaces and non-ASCII letters intact through the authority', () => {
    for (const profile of ['dev@team', 'a:b', 'x/y', '100%', 'my profile', 'prøfil', 'a@b@c', 'sso-admin.123']) {
      const authority = authorityOf(profile, 'ap-southeast-2');
      assert.strictEqual(authority.split('@').length, 2, authority);
      assert.strictEqual(parseParts(authority, '/nb')?.profile, profile);
    }
  });

  it('refuse what is not an instance path: no region, a bad instance name, dot segments', () => {
    assert.strictEqual(parseParts('default', '/nb'), undefined);
    assert.strictEqual(parseParts('default@nowhere', '/nb'), undefined);
    assert.strictEqual(parseParts('default@us-east-1', '/'), undefined);
    assert.strictEqual(parseParts('default@us-east-1', '/nb_1'), undefined);
    assert.strictEqual(parseParts('default@us-east-1', '/nb/../etc'), undefined);
    assert.strictEqual(parseParts('%E0%A4%A@us-east-1', '/nb'), undefined, 'a broken escape');
  });

  it('address the Contents API and the file handler with each segment encoded', () => {
    assert.strictEqual(contentsPath(''), '/api/contents/');
    assert.strictEqual(contentsPath('a dir/x#1?.txt'), '/api/contents/a%20dir/x%231%3F.txt');
    assert.strictEqual(filesPath('d/ü.bin'), '/files/d/%C3%BC.bin');
    assert.strictEqual(parentOf('a/b/c'), 'a/b');
    assert.strictEqual(parentOf('c'), '');
    assert.ok(isWithin('a/b', 'a') && isWithin('a', 'a') && isWithin('x', '') && !isWithin('ab', 'a'));
  });
});
