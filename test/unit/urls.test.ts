import * as assert from 'assert';
import { interfaceUrl, losesToken, refuseAuthorizedUrl } from '../../src/open/urls';

const token = 'ab+/cd%2Bef==';

describe('interfaceUrl', () => {
  it('inserts /lab or /tree before the query and keeps the token byte for byte', () => {
    const url = `https://nb.notebook.us-east-1.sagemaker.aws?authToken=${token}`;
    assert.strictEqual(interfaceUrl(url, 'jupyterlab'), `https://nb.notebook.us-east-1.sagemaker.aws/lab?authToken=${token}`);
    assert.strictEqual(interfaceUrl(url, 'jupyter'), `https://nb.notebook.us-east-1.sagemaker.aws/tree?authToken=${token}`);
  });

  it('handles a trailing slash, a port, a path and no query', () => {
    assert.strictEqual(interfaceUrl(`http://127.0.0.1:4000/?authToken=${token}`, 'jupyterlab'), `http://127.0.0.1:4000/lab?authToken=${token}`);
    assert.strictEqual(interfaceUrl('https://h.sagemaker.aws/base/', 'jupyter'), 'https://h.sagemaker.aws/base/tree');
    assert.strictEqual(interfaceUrl('https://h.sagemaker.aws', 'jupyter'), 'https://h.sagemaker.aws/tree');
  });
});

describe('refuseAuthorizedUrl', () => {
  it('accepts https SageMaker notebook hosts', () => {
    assert.strictEqual(refuseAuthorizedUrl(`https://nb.notebook.eu-west-1.sagemaker.aws?authToken=${token}`, undefined), undefined);
  });

  it('refuses plain http unless both the endpoint and the URL are loopback', () => {
    assert.match(refuseAuthorizedUrl('http://nb.notebook.eu-west-1.sagemaker.aws?authToken=x', undefined)!, /only https/);
    assert.match(refuseAuthorizedUrl('http://127.0.0.1:9/?authToken=x', 'https://vpce.example.com')!, /only https/);
    assert.strictEqual(refuseAuthorizedUrl('http://127.0.0.1:9/?authToken=x', 'http://127.0.0.1:8000'), undefined);
  });

  it('refuses another host and never repeats the token', () => {
    const reason = refuseAuthorizedUrl('https://evil.example.com/?authToken=secret', undefined)!;
    assert.match(reason, /evil\.example\.com, which is not a SageMaker notebook host/);
    assert.doesNotMatch(reason, /secret/);
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
