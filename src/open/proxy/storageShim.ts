// JupyterLab reads localStorage as it starts. In the VS Code tab its page is a frame of another site than the
// window, and a browser that blocks third-party storage (Chromium with third-party cookies blocked, Safari)
// throws on every access: JupyterLab then reloads itself into a new workspace without end. The proxy puts a
// small script of its own at the top of the notebook's pages that, only where storage is refused, gives the
// page an in-memory one (kept for that page's life, as a private window would). Pure, so it is unit-tested.

/** Where the proxy serves the script, on its own origin (so a CSP of `script-src 'self'` allows it). */
export const STORAGE_SHIM_PATH = '/.sagemaker-notebooks/storage.js';

export const STORAGE_SHIM = `(function () {
  function usable(name) {
    try { window[name].getItem('sagemaker-notebooks-probe'); return true; } catch (e) { return false; }
  }
  function inMemory() {
    var items = new Map();
    return {
      get length() { return items.size; },
      key: function (i) { var k = Array.from(items.keys())[i]; return k === undefined ? null : k; },
      getItem: function (k) { k = String(k); return items.has(k) ? items.get(k) : null; },
      setItem: function (k, v) { items.set(String(k), String(v)); },
      removeItem: function (k) { items.delete(String(k)); },
      clear: function () { items.clear(); }
    };
  }
  ['localStorage', 'sessionStorage'].forEach(function (name) {
    if (!usable(name)) Object.defineProperty(window, name, { value: inMemory(), configurable: true });
  });
})();
`;

const TAG = Buffer.from(`<script src="${STORAGE_SHIM_PATH}"></script>`);

/**
 * The first chunk of an HTML page with the script as the first thing in its `<head>`, so it runs before any
 * of the page's own. Bytes are kept as they are (the search runs on a latin1 view, which maps byte to char);
 * a chunk without a `<head>` tag is returned unchanged: a script before the doctype would change the mode
 * the page renders in.
 */
export function withStorageShim(chunk: Buffer): Buffer {
  const head = /<head(?:\s[^>]*)?>/i.exec(chunk.toString('latin1'));
  if (!head) return chunk;
  const at = head.index + head[0].length;
  return Buffer.concat([chunk.subarray(0, at), TAG, chunk.subarray(at)]);
}
