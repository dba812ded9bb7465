// The notebook webview page: its CSP, its escaping, and its toolbar script run against a fake DOM.
import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { notebookWebviewHtml, type NotebookWebviewHtmlOptions } from '../../src/open/webviewHtml';
import { isWebviewMessage } from '../../src/open/webviewMessages';

const base: NotebookWebviewHtmlOptions = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'bm9uY2Vub25jZW5vbmNlMQ==',
  frameOrigin: 'http://127.0.0.1:43210',
  entryUrl: 'http://127.0.0.1:43210/AbCdEfGhIjKlMnOpQrStUvWxYz012345/lab',
  title: 'my-notebook',
};
const WEBVIEW_ORIGIN = 'vscode-webview://0123456789abcdef';
const unescape = (s: string) => s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));

describe('notebook webview HTML', () => {
  it('carries exactly the strict CSP: nothing by default, the proxy framed, scripts and styles by nonce', () => {
    const html = notebookWebviewHtml(base);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
    assert.equal(
      unescape(csp ?? ''),
      "default-src 'none'; frame-src http://127.0.0.1:43210; script-src 'nonce-bm9uY2Vub25jZW5vbmNlMQ=='; " +
        "style-src https://file+.vscode-resource.vscode-cdn.net 'nonce-bm9uY2Vub25jZW5vbmNlMQ=='",
    );
  });

  it('has no script or style without the nonce, and no inline handlers', () => {
    const html = notebookWebviewHtml(base);
    const tags = html.match(/<(script|style)\b[^>]*>/g) ?? [];
    assert.equal(tags.length, 2);
    for (const tag of tags) assert.match(tag, / nonce="bm9uY2Vub25jZW5vbmNlMQ=="/);
    assert.doesNotMatch(html, /\son[a-z]+=|javascript:/i);
  });

  it('after the session ended: no frame, the end said, Renew and Open in Browser as buttons posting their messages', () => {
    const ended = {
      message: 'The notebook session ended.',
      detail: 'Automatic renewal is off <b>.',
      renew: 'Renew',
      openInBrowser: 'Open in Browser',
    };
    const html = notebookWebviewHtml({ ...base, timeLeft: 'ended', ended });
    assert.doesNotMatch(html, /<iframe/);
    assert.match(
      html,
      /<div class="ended" id="ended" role="alert">\s*<h2>The notebook session ended\.<\/h2>\s*<p>Automatic renewal is off &#60;b&#62;\.<\/p>/,
    );
    const buttons = [...html.matchAll(/<button type="button"[^>]*data-message="([^"]+)"[^>]*>([^<]+)<\/button>/g)].map((m) => [
      JSON.parse(unescape(m[1])),
      m[2],
    ]);
    assert.deepEqual(buttons.slice(-2), [
      [{ type: 'renew' }, 'Renew'],
      [{ type: 'openInBrowser' }, 'Open in Browser'],
    ]);
    for (const [message] of buttons) assert.equal(isWebviewMessage(message), true);
    const tags = html.match(/<(script|style)\b[^>]*>/g) ?? [];
    for (const tag of tags) assert.match(tag, / nonce="bm9uY2Vub25jZW5vbmNlMQ=="/);
  });

  it('frames the entry URL full size and shows the time left', () => {
    const html = notebookWebviewHtml({ ...base, timeLeft: '1 h 12 min left' });
    assert.match(html, /<iframe id="notebook" src="http:\/\/127\.0\.0\.1:43210\/AbCdEfGhIjKlMnOpQrStUvWxYz012345\/lab"/);
    assert.match(html, /iframe \{ flex: 1; width: 100%; border: 0;/);
    assert.match(html, /<span class="time-left" id="time-left" aria-live="polite">1 h 12 min left<\/span>/);
  });

  it('lets the notebook write the clipboard but never read it', () => {
    // Jupyter's copy buttons write; typed paste is the browser's own paste event, which needs no permission.
    const iframes = notebookWebviewHtml(base).match(/<iframe\b[^>]*>/g) ?? [];
    assert.equal(iframes.length, 1);
    assert.match(iframes[0], / allow="clipboard-write"/);
    assert.doesNotMatch(iframes[0], /clipboard-read/);
  });

  it('escapes the title and the time left', () => {
    const title = `<img src=x onerror="alert(1)">&'`;
    const html = notebookWebviewHtml({ ...base, title, timeLeft: '</span><script>x()</script>' });
    assert.ok(!html.includes('<img') && !html.includes('<script>x()'));
    assert.ok(html.includes('<title>&#60;img src=x onerror=&#34;alert(1)&#34;&#62;&#38;&#39;</title>'));
  });

  it('refuses inputs that would change the CSP or frame something else', () => {
    assert.throws(() => notebookWebviewHtml({ ...base, frameOrigin: "http://127.0.0.1:1; script-src 'unsafe-inline'" }), /frame origin/);
    assert.throws(() => notebookWebviewHtml({ ...base, frameOrigin: 'http://127.0.0.1:1/path' }), /frame origin/);
    assert.throws(() => notebookWebviewHtml({ ...base, nonce: "abc' 'unsafe-inline" }), /nonce/);
    assert.throws(() => notebookWebviewHtml({ ...base, nonce: 'short' }), /nonce/);
    assert.throws(() => notebookWebviewHtml({ ...base, cspSource: 'x; script-src *' }), /CSP source/);
    assert.doesNotThrow(
      () => notebookWebviewHtml({ ...base, cspSource: "'self' https://*.vscode-cdn.net" }),
      'code-server gives several expressions',
    );
    assert.throws(() => notebookWebviewHtml({ ...base, entryUrl: 'http://127.0.0.1:432100/x' }), /entry URL/);
  });

  describe('toolbar script', () => {
    /** Runs the page's script against just enough DOM, returning what it posted and how to poke it. */
    function runScript() {
      const html = notebookWebviewHtml(base);
      const script = /<script nonce="[^"]*">([\s\S]*?)<\/script>/.exec(html)![1];
      const buttons = [...html.matchAll(/<button[^>]*data-message="([^"]*)"[^>]*>([^<]*)<\/button>/g)].map((m) => ({
        label: m[2],
        dataset: { message: unescape(m[1]) },
        click: (): void => undefined,
        addEventListener(_: string, fn: () => void) {
          this.click = fn;
        },
      }));
      const posted: unknown[] = [];
      const label = { textContent: '' };
      let onMessage: (event: { source: unknown; origin: string; data: unknown }) => void = () => undefined;
      // As VS Code 1.139 leaves it: `parent` is the page itself; only its frames tell who the parent is.
      const window: Record<string, unknown> = {
        origin: WEBVIEW_ORIGIN,
        addEventListener: (_: string, fn: typeof onMessage) => (onMessage = fn),
      };
      window.parent = window;
      const host = { length: 1, 0: window }; // VS Code's webview host frame, holding the page
      const notebook = { length: 1, 0: { length: 0 } }; // Jupyter's frame, holding a frame of its own
      runInNewContext(script, {
        acquireVsCodeApi: () => ({ postMessage: (m: unknown) => posted.push(m) }),
        document: {
          getElementById: (id: string) => (id === 'time-left' ? label : null),
          querySelectorAll: () => buttons,
        },
        window,
        JSON,
      });
      const deliver = (source: unknown, origin: string, data: unknown) => onMessage({ source, origin, data });
      return { posted, buttons, window, host, notebook, label, deliver };
    }

    it('says ready, and posts reload and openInBrowser from its buttons, all valid messages', () => {
      const page = runScript();
      for (const button of page.buttons) button.click();
      assert.deepEqual(
        page.buttons.map((b) => b.label),
        ['Reload', 'Open in Browser'],
      );
      assert.deepEqual(JSON.parse(JSON.stringify(page.posted)), [{ type: 'ready' }, { type: 'reload' }, { type: 'openInBrowser' }]);
      for (const m of page.posted) assert.ok(isWebviewMessage(JSON.parse(JSON.stringify(m))));
    });

    it("shows the time left only from VS Code's host frame at the page's own origin, and only well formed", () => {
      const page = runScript();
      page.deliver(page.host, WEBVIEW_ORIGIN, { type: 'timeLeft', text: '5 min left' });
      assert.equal(page.label.textContent, '5 min left');
      page.deliver(page.notebook, base.frameOrigin, { type: 'timeLeft', text: 'spoofed by Jupyter' });
      page.deliver(page.notebook[0], base.frameOrigin, { type: 'timeLeft', text: 'spoofed by a frame inside Jupyter' });
      page.deliver(page.window, WEBVIEW_ORIGIN, { type: 'timeLeft', text: 'the page itself, window.parent in VS Code 1.139' });
      page.deliver({ length: 0 }, WEBVIEW_ORIGIN, { type: 'timeLeft', text: 'another window at the same origin' });
      page.deliver(null, WEBVIEW_ORIGIN, { type: 'timeLeft', text: 'no source' });
      page.deliver(page.host, base.frameOrigin, { type: 'timeLeft', text: 'right window, wrong origin' });
      page.deliver(page.host, WEBVIEW_ORIGIN, { type: 'timeLeft', text: 42 });
      page.deliver(page.host, WEBVIEW_ORIGIN, null);
      assert.equal(page.label.textContent, '5 min left');
    });
  });
});
