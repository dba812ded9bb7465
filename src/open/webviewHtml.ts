// The notebook webview's page: a slim toolbar over a full-size iframe on the local notebook proxy. Pure, so
// the CSP and the escaping are tested without VS Code.
import type { ExtensionMessage, WebviewMessage } from './webviewMessages';

export interface NotebookWebviewHtmlOptions {
  /** `webview.cspSource`. */
  readonly cspSource: string;
  /** Fresh per render, from crypto. */
  readonly nonce: string;
  /** The proxy's origin, `http://127.0.0.1:PORT`: the only thing the page may frame. */
  readonly frameOrigin: string;
  /** The proxy's entry URL, under frameOrigin. */
  readonly entryUrl: string;
  /** The notebook's name. */
  readonly title: string;
  /** The session's time left, as the status bar words it. */
  readonly timeLeft?: string;
  /**
   * The session ended (autoRenew off): the page says so, with Renew and Open in Browser, in place of the
   * notebook, whose proxy is gone. Words from the caller, localized.
   */
  readonly ended?: { readonly message: string; readonly detail: string; readonly renew: string; readonly openInBrowser: string };
}

/**
 * The CSP is built from its inputs, so each is checked to be what it claims: a stray `;` or quote in the
 * frame origin or nonce would add directives of its own.
 */
export function notebookWebviewHtml(o: NotebookWebviewHtmlOptions): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(o.nonce)) throw new Error('The webview nonce must be 16+ base64 characters.');
  if (!/^https?:\/\/[A-Za-z0-9.-]+(:\d+)?$/.test(o.frameOrigin)) throw new Error('The frame origin must be a bare http(s) origin.');
  if (!o.entryUrl.startsWith(`${o.frameOrigin}/`)) throw new Error('The entry URL must be under the frame origin.');
  // VS Code supplies cspSource; code-server's holds several expressions ("'self' https://…"), so only what
  // could end the directive is refused.
  if (/[;,\r\n]/.test(o.cspSource)) throw new Error('The CSP source must not end the directive.');
  const csp = `default-src 'none'; frame-src ${o.frameOrigin}; script-src 'nonce-${o.nonce}'; style-src ${o.cspSource} 'nonce-${o.nonce}'`;
  const message = (m: WebviewMessage) => escapeHtml(JSON.stringify(m));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(o.title)}</title>
<style nonce="${escapeHtml(o.nonce)}">
  html, body { height: 100%; margin: 0; padding: 0; overflow: hidden; }
  body { display: flex; flex-direction: column; background: var(--vscode-editor-background); color: var(--vscode-foreground); font: var(--vscode-font-size) var(--vscode-font-family); }
  .toolbar { display: flex; align-items: center; gap: 6px; padding: 2px 8px; min-height: 26px; border-bottom: 1px solid var(--vscode-panel-border, transparent); }
  .toolbar .title { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .toolbar .spacer { flex: 1; }
  .toolbar button { background: var(--vscode-button-secondaryBackground); color: var(--vscode-button-secondaryForeground); border: none; padding: 2px 8px; cursor: pointer; }
  .toolbar button:hover { background: var(--vscode-button-secondaryHoverBackground); }
  .time-left { opacity: 0.8; }
  iframe { flex: 1; width: 100%; border: 0; background: white; }
  .ended { flex: 1; display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 12px; padding: 24px; text-align: center; }
  .ended h2 { margin: 0; font-size: 1.3em; font-weight: 600; }
  .ended p { margin: 0; opacity: 0.85; max-width: 40em; }
  .ended .actions { display: flex; gap: 8px; }
  .ended button { border: none; padding: 4px 14px; cursor: pointer; background: var(--vscode-button-secondaryBackground); color: var(--vscode-button-secondaryForeground); }
  .ended button.primary { background: var(--vscode-button-background); color: var(--vscode-button-foreground); }
  .ended button.primary:hover { background: var(--vscode-button-hoverBackground); }
</style>
</head>
<body>
<div class="toolbar" role="toolbar">
  <span class="title">${escapeHtml(o.title)}</span>
  <span class="spacer"></span>
  <span class="time-left" id="time-left" aria-live="polite">${escapeHtml(o.timeLeft ?? '')}</span>
  <button type="button" data-message="${message({ type: 'reload' })}" title="Reload with a fresh sign-in">Reload</button>
  <button type="button" data-message="${message({ type: 'openInBrowser' })}" title="Open this notebook in the browser">Open in Browser</button>
</div>
${o.ended ? endedHtml(o.ended, message) : `<iframe id="notebook" src="${escapeHtml(o.entryUrl)}" title="${escapeHtml(o.title)}" allow="clipboard-write"></iframe>`}
<script nonce="${escapeHtml(o.nonce)}">${toolbarScript()}</script>
</body>
</html>`;
}

function endedHtml(ended: NonNullable<NotebookWebviewHtmlOptions['ended']>, message: (m: WebviewMessage) => string): string {
  return `<div class="ended" id="ended" role="alert">
  <h2>${escapeHtml(ended.message)}</h2>
  <p>${escapeHtml(ended.detail)}</p>
  <div class="actions">
    <button type="button" class="primary" id="renew" data-message="${message({ type: 'renew' })}">${escapeHtml(ended.renew)}</button>
    <button type="button" data-message="${message({ type: 'openInBrowser' })}">${escapeHtml(ended.openInBrowser)}</button>
  </div>
</div>`;
}

/**
 * Runs in the webview. The extension's messages reach this page only through VS Code's webview host frame,
 * its parent, which forwards them with `contentWindow.postMessage(data, window.origin)` (pre/index.html in
 * VS Code 1.100 and 1.139): so a message counts only when it comes from the parent and from this page's own
 * origin. Jupyter's page, and any frame it nests (a srcdoc frame can post to parent.parent), is neither.
 * `window.parent` cannot name the parent: VS Code's script deletes it (1.100) or sets it to the page itself
 * (1.139) before this one runs, so the parent is the window that holds this one among its frames.
 * The shape is checked before anything is shown.
 */
function toolbarScript(): string {
  const timeLeft: ExtensionMessage['type'] = 'timeLeft';
  return `
(function () {
  const vscode = acquireVsCodeApi();
  const label = document.getElementById('time-left');
  for (const button of document.querySelectorAll('button[data-message]')) {
    button.addEventListener('click', () => vscode.postMessage(JSON.parse(button.dataset.message)));
  }
  const isParent = (source) => {
    if (!source || source === window) return false;
    for (let i = 0; i < source.length; i++) if (source[i] === window) return true;
    return false;
  };
  window.addEventListener('message', (event) => {
    if (event.origin !== window.origin || !isParent(event.source)) return;
    const m = event.data;
    if (m && m.type === ${JSON.stringify(timeLeft)} && typeof m.text === 'string') label.textContent = m.text;
  });
  vscode.postMessage({ type: 'ready' });
})();
`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
