// Where the webview's iframe reaches the in-editor proxy. The proxy listens on 127.0.0.1 where the extension
// runs. When the editor's window is elsewhere (Remote - SSH, WSL, a container, a browser-based VS Code),
// VS Code's asExternalUri forwards that port and names the address the window can reach it at.

export interface FrameOrigin {
  readonly origin: string;
  /** Why the local origin is used although the forwarded one differs; for the log. */
  readonly fallback?: string;
}

/**
 * The origin to frame, from the proxy's local origin and what asExternalUri made of `${local}/` (undefined
 * when it failed). A forwarded address at the root of its own origin is used. One that maps the port under
 * a path (code-server's default `/proxy/<port>/`) cannot serve Jupyter, whose pages load `/static/…` and
 * `/api/…` from the origin's root; the local origin is kept then, which works when the window runs on this
 * machine (and Open in Browser works everywhere).
 */
export function frameOrigin(local: string, external: string | undefined): FrameOrigin {
  if (!external) return { origin: local, fallback: 'the editor did not forward the port' };
  let url: URL;
  try {
    url = new URL(external);
  } catch {
    return { origin: local, fallback: 'the editor gave an unreadable forwarded address' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { origin: local, fallback: `the forwarded address is not on the web (${url.protocol})` };
  if (url.pathname !== '/' && url.pathname !== '')
    return { origin: local, fallback: `port forwarding maps the proxy under a path (${url.pathname}), where Jupyter's pages cannot load` };
  return { origin: url.origin };
}
