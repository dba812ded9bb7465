// Header surgery of the notebook proxy, both ways.
import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import {
  proxyLocation,
  rewriteRequestHeaders,
  rewriteResponseHeaders,
  withoutFrameAncestors,
  type Endpoints,
} from '../../../src/open/proxy/headers';

const PROXY = 'http://0123456789abcdef.localhost:4000';
const ends: Endpoints = { upstreamOrigin: 'https://nb.notebook.us-east-1.sagemaker.aws', proxyOrigin: PROXY };
const jar = { cookie: 'session=abc; _xsrf=2|x', xsrf: '2|x' };

describe('notebook proxy headers', () => {
  it('makes a request look like it came from Jupyter’s own page, with the jar’s cookies only', () => {
    const headers: IncomingHttpHeaders = {
      host: '0123456789abcdef.localhost:4000',
      origin: PROXY,
      referer: `${PROXY}/tree?x=1`,
      cookie: 'sagemaker-notebook-proxy=SECRET',
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
      const headers: IncomingHttpHeaders = { host: 'h', cookie: 'sagemaker-notebook-proxy=SECRET', 'x-xsrftoken': 'forged' };
      rewriteRequestHeaders(headers, method, ends, { cookie: '', xsrf: '2|x' });
      assert.deepEqual(
        headers,
        { host: 'nb.notebook.us-east-1.sagemaker.aws', referer: 'https://nb.notebook.us-east-1.sagemaker.aws/', 'x-xsrftoken': 'forged' },
        method,
      );
    }
    for (const method of ['PUT', 'PATCH', 'DELETE', 'post']) {
      const headers: IncomingHttpHeaders = { host: 'h', 'x-xsrftoken': 'forged' };
      rewriteRequestHeaders(headers, method, ends, jar);
      assert.equal(headers['x-xsrftoken'], '2|x', method);
    }
  });

  it('maps a Referer from outside the proxy (the webview), or none (the proxy’s pages send none), to upstream’s root', () => {
    const headers: IncomingHttpHeaders = { referer: 'vscode-webview://abc/index.html' };
    rewriteRequestHeaders(headers, 'GET', ends, jar);
    assert.equal(headers.referer, 'https://nb.notebook.us-east-1.sagemaker.aws/');
    const none: IncomingHttpHeaders = {};
    rewriteRequestHeaders(none, 'GET', ends, jar);
    assert.equal(none.referer, 'https://nb.notebook.us-east-1.sagemaker.aws/');
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
      'referrer-policy': 'no-referrer',
    });
  });

  it('answers with Referrer-Policy no-referrer, whatever upstream said (its pages’ address names the secret host)', () => {
    for (const policy of ['unsafe-url', 'origin', 'strict-origin-when-cross-origin', undefined]) {
      const headers: IncomingHttpHeaders = policy ? { 'referrer-policy': policy } : {};
      rewriteResponseHeaders(headers, ends);
      assert.equal(headers['referrer-policy'], 'no-referrer', String(policy));
    }
  });

  it('drops a CSP that only said frame-ancestors, and cleans each of several policies', () => {
    const headers: IncomingHttpHeaders = { 'content-security-policy': "frame-ancestors 'self'" };
    rewriteResponseHeaders(headers, ends);
    assert.equal(headers['content-security-policy'], undefined);
    assert.equal(
      withoutFrameAncestors("FRAME-ANCESTORS 'self'; sandbox allow-scripts, frame-ancestors 'none'; img-src *"),
      'sandbox allow-scripts, img-src *',
    );
  });

  it('sends upstream redirects back through the proxy by absolute path, naming no address of the proxy; leaves others alone', () => {
    const cases: Array<[string, string]> = [
      ['/tree?', '/tree?'],
      ['https://nb.notebook.us-east-1.sagemaker.aws/lab', '/lab'],
      ['https://nb.notebook.us-east-1.sagemaker.aws', '/'],
      ['https://nb.notebook.us-east-1.sagemaker.aws?a=1', '/?a=1'],
      ['//nb.notebook.us-east-1.sagemaker.aws/lab', '/lab'],
      ['https://nb.notebook.us-east-1.sagemaker.aws.evil.example/lab', 'https://nb.notebook.us-east-1.sagemaker.aws.evil.example/lab'],
      ['https://signin.aws.amazon.com/x', 'https://signin.aws.amazon.com/x'],
      ['//evil.example/x', '//evil.example/x'],
      ['tree', 'tree'],
    ];
    for (const [location, expected] of cases) assert.equal(proxyLocation(location, ends), expected, location);
  });
});
