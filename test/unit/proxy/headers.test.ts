// Header surgery of the notebook proxy, both ways.
import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { proxyLocation, rewriteRequestHeaders, rewriteResponseHeaders, withoutFrameAncestors, type Endpoints } from '../../../src/open/proxy/headers';
import { entryPath } from '../../../src/open/proxy/notebookProxy';

const ends: Endpoints = { upstreamOrigin: 'https://nb.notebook.us-east-1.sagemaker.aws', proxyOrigin: 'http://127.0.0.1:4000', prefix: '/SECRET' };
const jar = { cookie: 'session=abc; _xsrf=2|x', xsrf: '2|x' };

describe('notebook proxy headers', () => {
  it('makes a request look like it came from Jupyter’s own page, with the jar’s cookies only', () => {
    const headers: IncomingHttpHeaders = {
      host: '127.0.0.1:4000',
      origin: 'http://127.0.0.1:4000',
      referer: 'http://127.0.0.1:4000/SECRET/tree?x=1',
      cookie: 'proxy-4000=SECRET',
      'x-forwarded-for': '127.0.0.1',
      'content-type': 'application/json',
    };
    rewriteRequestHeaders(headers, 'POST', ends, jar);
    assert.deepEqual(headers, {
      host: 'nb.notebook.us-east-1.sagemaker.aws',
      origin: 'https://nb.notebook.us-east-1.sagemaker.aws',
      referer: 'https://nb.notebook.us-east-1.sagemaker.aws/tree?x=1',
      cookie: 'session=abc; _xsrf=2|x',
      'x-xsrftoken': '2|x',
      'content-type': 'application/json',
    });
  });

  it('sends X-XSRFToken on writes only, and never the webview’s own cookie', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS']) {
      const headers: IncomingHttpHeaders = { host: 'h', cookie: 'proxy-4000=SECRET', 'x-xsrftoken': 'forged' };
      rewriteRequestHeaders(headers, method, ends, { cookie: '', xsrf: '2|x' });
      assert.deepEqual(headers, { host: 'nb.notebook.us-east-1.sagemaker.aws', 'x-xsrftoken': 'forged' }, method);
    }
    for (const method of ['PUT', 'PATCH', 'DELETE', 'post']) {
      const headers: IncomingHttpHeaders = { host: 'h', 'x-xsrftoken': 'forged' };
      rewriteRequestHeaders(headers, method, ends, jar);
      assert.equal(headers['x-xsrftoken'], '2|x', method);
    }
  });

  it('maps a Referer from outside the proxy (the webview) to upstream’s root', () => {
    const headers: IncomingHttpHeaders = { referer: 'vscode-webview://abc/index.html' };
    rewriteRequestHeaders(headers, 'GET', ends, jar);
    assert.equal(headers.referer, 'https://nb.notebook.us-east-1.sagemaker.aws/');
  });

  it('strips Set-Cookie (returned for the jar), X-Frame-Options and frame-ancestors, keeps the rest', () => {
    const headers: IncomingHttpHeaders = {
      'set-cookie': ['_xsrf=2|y; Path=/', 'session=def; HttpOnly'],
      'x-frame-options': 'DENY',
      'content-security-policy': "frame-ancestors 'self'; report-uri /api/security/csp-report; default-src 'none'",
      'content-type': 'text/html',
    };
    assert.deepEqual(rewriteResponseHeaders(headers, ends), ['_xsrf=2|y; Path=/', 'session=def; HttpOnly']);
    assert.deepEqual(headers, {
      'content-security-policy': "report-uri /api/security/csp-report; default-src 'none'",
      'content-type': 'text/html',
    });
  });

  it('drops a CSP that only said frame-ancestors, and cleans each of several policies', () => {
    const headers: IncomingHttpHeaders = { 'content-security-policy': "frame-ancestors 'self'" };
    rewriteResponseHeaders(headers, ends);
    assert.equal(headers['content-security-policy'], undefined);
    assert.equal(withoutFrameAncestors("FRAME-ANCESTORS 'self'; sandbox allow-scripts, frame-ancestors 'none'; img-src *"), 'sandbox allow-scripts, img-src *');
  });

  it('sends upstream redirects back through the proxy with the secret, and leaves others alone', () => {
    const cases: Array<[string, string]> = [
      ['/tree?', '/SECRET/tree?'],
      ['https://nb.notebook.us-east-1.sagemaker.aws/lab', 'http://127.0.0.1:4000/SECRET/lab'],
      ['https://nb.notebook.us-east-1.sagemaker.aws', 'http://127.0.0.1:4000/SECRET/'],
      ['https://nb.notebook.us-east-1.sagemaker.aws?a=1', 'http://127.0.0.1:4000/SECRET/?a=1'],
      ['//nb.notebook.us-east-1.sagemaker.aws/lab', 'http://127.0.0.1:4000/SECRET/lab'],
      ['https://nb.notebook.us-east-1.sagemaker.aws.evil.example/lab', 'https://nb.notebook.us-east-1.sagemaker.aws.evil.example/lab'],
      ['https://signin.aws.amazon.com/x', 'https://signin.aws.amazon.com/x'],
      ['//evil.example/x', '//evil.example/x'],
      ['tree', 'tree'],
    ];
    for (const [location, expected] of cases) assert.equal(proxyLocation(location, ends), expected, location);
  });

  it('takes the entry path from the presigned URL without touching the token', () => {
    assert.equal(entryPath('https://nb.notebook.us-east-1.sagemaker.aws/lab?authToken=a/b+c%2B=='), '/lab');
    assert.equal(entryPath('http://127.0.0.1:5000/tree?authToken=x'), '/tree');
    assert.equal(entryPath('http://127.0.0.1:5000?authToken=a/b'), '/');
  });
});
