import * as assert from 'assert';
import { checkAuthorizedUrl, interfaceUrl, losesToken } from '../../src/open/urls';

const token = 'ab+/cd%2Bef==';

describe('interfaceUrl', () => {
  it('inserts /lab or /tree before the query and keeps the token byte for byte', () => {
    const url = `https://nb.notebook.us-east-1.sagemaker.aws?authToken=${token}`;
    assert.strictEqual(interfaceUrl(url, 'jupyterlab'), `https://nb.notebook.us-east-1.sagemaker.aws/lab?authToken=${token}`);
    assert.strictEqual(interfaceUrl(url, 'jupyter'), `https://nb.notebook.us-east-1.sagemaker.aws/tree?authToken=${token}`);
  });

  it('handles a trailing slash, a port, a path and no query', () => {
    assert.strictEqual(
      interfaceUrl(`http://127.0.0.1:4000/?authToken=${token}`, 'jupyterlab'),
      `http://127.0.0.1:4000/lab?authToken=${token}`,
    );
    assert.strictEqual(interfaceUrl('https://h.sagemaker.aws/base/', 'jupyter'), 'https://h.sagemaker.aws/base/tree');
    assert.strictEqual(interfaceUrl('https://h.sagemaker.aws', 'jupyter'), 'https://h.sagemaker.aws/tree');
  });
});

describe('checkAuthorizedUrl', () => {
  const host = 'nb.notebook.eu-west-1.sagemaker.aws';
  const refused = (url: string, endpoint?: string) => {
    const checked = checkAuthorizedUrl(url, endpoint);
    assert.strictEqual(checked.url, undefined, `${JSON.stringify(url)} was let through`);
    assert.ok(!checked.refused.includes('secret') && !checked.refused.includes(token), 'the reason never repeats the token');
    return checked.refused;
  };

  it('hands on an https SageMaker URL byte for byte, token included', () => {
    for (const url of [
      `https://${host}?authToken=${token}`,
      `https://${host}/?authToken=${token}`,
      `https://nb.notebook.cn-north-1.sagemaker.com.cn/?authToken=${token}`,
    ]) {
      assert.strictEqual(checkAuthorizedUrl(url, undefined).url, url);
    }
  });

  it('rebuilds the URL from its parts: lower-case scheme and host, no default port, no fragment, the token untouched', () => {
    assert.strictEqual(
      checkAuthorizedUrl(`HTTPS://NB.Notebook.EU-West-1.SageMaker.aws:443/?authToken=${token}#x`, undefined).url,
      `https://${host}/?authToken=${token}`,
    );
    assert.strictEqual(
      checkAuthorizedUrl(`https://${host}:8443/?authToken=${token}`, undefined).url,
      `https://${host}:8443/?authToken=${token}`,
    );
  });

  it('refuses a URL whose host WHATWG and RFC 3986 parsers read differently', () => {
    // WHATWG ends the authority at the backslash (the SageMaker host); an RFC 3986 parser reads evil.com.
    const backslash = `https://x.notebook.us-east-1.sagemaker.aws\\@evil.com?authToken=${token}`;
    assert.strictEqual(new URL(backslash).hostname, 'x.notebook.us-east-1.sagemaker.aws');
    assert.match(refused(backslash), /host could be read two ways/);
    for (const url of [
      `https://evil.com@${host}/?authToken=${token}`, // userinfo
      `https://user:pw@${host}/?authToken=${token}`,
      `https://${host}@evil.com/?authToken=${token}`,
      `https://${host}%2F@evil.com/?authToken=${token}`,
      `https://${host}%2fx/?authToken=${token}`,
      `https://${host.replace('.aws', '\u3002aws')}/?authToken=${token}`, // ideographic full stop: WHATWG maps it to "."
      `https://${host}\t/?authToken=${token}`, // WHATWG drops tabs and newlines
      `https://ev\nil.com.${host}/?authToken=${token}`,
      `https://${host}\u0000/?authToken=${token}`,
      `https://${host}/\\evil.com/?authToken=${token}`,
      ` https://${host}/?authToken=${token}`, // whitespace anywhere
      `https://${host}/?authToken=${token} `,
      `https://${host}/?authToken=a b${token}`,
      `https://${host}/\u00e9/?authToken=${token}`, // non-ASCII
      `https://${host}:0443/?authToken=${token}`, // WHATWG reads port 443
    ]) {
      refused(url);
    }
  });

  it('refuses a loopback look-alike that only WHATWG reads as loopback', () => {
    assert.strictEqual(new URL('http://0x7f.0.0.1:9/').hostname, '127.0.0.1');
    refused('http://0x7f.0.0.1:9/?authToken=x', 'http://127.0.0.1:8000');
  });

  it('refuses plain http unless both the endpoint and the URL are loopback', () => {
    assert.match(refused('http://nb.notebook.eu-west-1.sagemaker.aws?authToken=x'), /only https/);
    assert.match(refused('http://127.0.0.1:9/?authToken=x', 'https://vpce.example.com'), /only https/);
    assert.strictEqual(
      checkAuthorizedUrl('http://127.0.0.1:9/?authToken=x', 'http://127.0.0.1:8000').url,
      'http://127.0.0.1:9/?authToken=x',
    );
  });

  it('refuses another host and never repeats the token', () => {
    assert.match(refused('https://evil.example.com/?authToken=secret'), /evil\.example\.com, which is not a SageMaker notebook host/);
    assert.match(refused(`https://${host}.evil.com/?authToken=secret`), /not a SageMaker notebook host/);
    assert.match(refused('not a url'), /not valid/);
  });
});

describe('losesToken', () => {
  const local = `http://127.0.0.1:4000/lab?authToken=${token}`;
  it('is true when the editor maps a loopback URL to a forwarding path without the query (code-server)', () => {
    assert.strictEqual(losesToken(local, 'http://127.0.0.1:8080/proxy/4000/'), true);
  });
  it('is false when the mapping keeps the query (a tunnelled port), when there is none, or for a URL without a token', () => {
    assert.strictEqual(losesToken(local, `http://localhost:53211/lab?authToken=${token}`), false);
    assert.strictEqual(losesToken(local, local), false);
    assert.strictEqual(losesToken(local, undefined), false);
    assert.strictEqual(losesToken('http://127.0.0.1:4000/lab', 'http://127.0.0.1:8080/proxy/4000/'), false);
  });
});
