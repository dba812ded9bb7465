// The messages between the notebook webview and the extension, one definition for both sides. Whatever
// arrives from a webview is untrusted input (its page runs scripts), so the extension acts only on what
// isWebviewMessage accepts.

/** From the webview's toolbar to the extension. */
export type WebviewMessage =
  { readonly type: 'reload' } | { readonly type: 'renew' } | { readonly type: 'openInBrowser' } | { readonly type: 'ready' };

/** From the extension to the webview. */
export type ExtensionMessage = { readonly type: 'timeLeft'; readonly text: string };

const WEBVIEW_TYPES: ReadonlySet<string> = new Set<WebviewMessage['type']>(['reload', 'renew', 'openInBrowser', 'ready']);

/** Exactly `{ type }` with a known type: extra keys or other shapes are refused, not ignored. */
export function isWebviewMessage(x: unknown): x is WebviewMessage {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const keys = Object.keys(x);
  const type = (x as { type?: unknown }).type;
  return keys.length === 1 && typeof type === 'string' && WEBVIEW_TYPES.has(type);
}
