// The guard on messages from the notebook webview: only the toolbar's and the ended page's messages, exactly.
import assert from 'node:assert/strict';
import { isWebviewMessage } from '../../src/open/webviewMessages';

describe('webview messages', () => {
  it('accepts the toolbar messages', () => {
    for (const type of ['reload', 'renew', 'openInBrowser', 'ready']) assert.equal(isWebviewMessage({ type }), true, type);
  });

  it('rejects unknown types, extra keys, and non-objects', () => {
    const rejected: unknown[] = [
      { type: 'timeLeft', text: '5 min' }, // the extension's own message, not the webview's
      { type: 'openExternal', url: 'https://evil.example' },
      { type: 'reload', url: 'https://evil.example' },
      { type: 'renew', name: 'other-instance' },
      { type: 'Reload' },
      { type: 'toString' },
      { type: ['reload'] },
      {},
      [],
      ['reload'],
      'reload',
      null,
      undefined,
      42,
    ];
    for (const message of rejected) assert.equal(isWebviewMessage(message), false, JSON.stringify(message));
  });
});
