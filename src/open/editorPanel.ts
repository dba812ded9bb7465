// "Open in VS Code": a webview panel per notebook whose iframe shows Jupyter through a local authenticating
// proxy (src/open/proxy), on the instance's Jupyter connection (src/jupyter), which holds the notebook's
// cookies and renews the session. The webview holds nothing.
import { randomBytes } from 'crypto';
import vscode = require('vscode');
import type { ConnectionLease } from '../jupyter/connections';
import type { Logger } from '../shared/log';
import type { NotebookInstance } from '../shared/instance';
import type { NotebookProxy, NotebookProxyOptions } from './proxy';
import type { NotebookInterface } from './urls';
import { frameOrigin } from './forwarding';
import { notebookWebviewHtml } from './webviewHtml';
import { isWebviewMessage } from './webviewMessages';

export interface EditorPanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly logger: Logger;
  readonly startProxy: (options: NotebookProxyOptions) => Promise<NotebookProxy>;
  /** Holds the instance's Jupyter connection (one per instance, shared with its other users). */
  readonly connect: (instance: NotebookInstance, ui: NotebookInterface) => ConnectionLease;
  /** `sagemakerNotebooks.autoRenew`. */
  readonly autoRenew: () => boolean;
  /** Mints a fresh URL and opens it in the browser. */
  readonly openInBrowser: (instance: NotebookInstance) => Promise<void>;
  /** The time left in the instance's session, as the toolbar shows it. */
  readonly timeLeft: (arn: string) => string | undefined;
  /** vscode.env.asExternalUri as a string; undefined when the editor cannot forward the port. */
  readonly externalUri: (url: string) => Promise<string | undefined>;
}

interface OpenPanel {
  readonly arn: string;
  readonly panel: vscode.WebviewPanel;
  lease: ConnectionLease;
  /** Follows the lease's connection: its end closes the tab, or (the session ran out) shows Renew. */
  watch?: { dispose(): void };
  /** Undefined once the session ended (the tab then shows Renew). */
  proxy?: NotebookProxy;
  /** The origin the iframe reaches the proxy at: its own, or the address port forwarding gave it. */
  frameOrigin?: string;
  reload: () => Promise<void>;
}

/**
 * One tab per instance and interface: JupyterLab and classic Jupyter of one instance are two tabs, on one
 * Jupyter connection.
 */
export class NotebookPanels implements vscode.Disposable {
  private readonly panels = new Map<string, OpenPanel>();

  constructor(private readonly deps: EditorPanelDeps) {}

  /**
   * Shows the notebook in its panel (creating it, or on Reload signing in afresh behind a new proxy), and
   * resolves with the session the connection holds.
   */
  async show(
    instance: NotebookInstance,
    ui: NotebookInterface,
    reload: () => Promise<void>,
  ): Promise<{ startedAt: number; expiresAt: number; renews: boolean }> {
    const id = `${instance.arn}\u0000${ui}`;
    let open = this.panels.get(id);
    // Reload signs in afresh; a tab whose connection ended (autoRenew off, say) takes a new one.
    const renewing = open !== undefined && open.lease.connection.state.kind !== 'ended';
    const lease = renewing ? open!.lease : this.deps.connect(instance, ui);
    let proxy: NotebookProxy;
    try {
      if (renewing) await lease.connection.renew();
      proxy = await this.deps.startProxy({
        connection: lease.connection,
        entryPath: ui === 'jupyterlab' ? '/lab' : '/tree',
        logger: this.deps.logger,
      });
    } catch (error) {
      if (!renewing) lease.release();
      throw error;
    }
    if (open && !renewing) {
      open.lease.release();
      open.lease = lease;
    }
    const where = frameOrigin(proxy.address, await this.deps.externalUri(`${proxy.address}/`));
    if (where.fallback) this.deps.logger.info(`Notebook view: framing the proxy on this machine: ${where.fallback}`);
    const entryUrl = where.origin === proxy.address ? proxy.entryUrl : proxy.serveAt(where.origin);
    if (!open) {
      const panel = vscode.window.createWebviewPanel('sagemakerNotebooks.notebook', instance.name, vscode.ViewColumn.Active, {
        enableScripts: true,
        localResourceRoots: [vscode.Uri.joinPath(this.deps.extensionUri, 'media')],
      });
      panel.iconPath = vscode.Uri.joinPath(this.deps.extensionUri, 'media', 'sagemaker-notebooks.svg');
      const created: OpenPanel = { arn: instance.arn, panel, lease, reload };
      open = created;
      this.panels.set(id, created);
      panel.onDidDispose(() => {
        this.panels.delete(id);
        created.watch?.dispose();
        void created.proxy?.close();
        created.lease.release();
      });
      panel.webview.onDidReceiveMessage((message: unknown) => {
        if (!isWebviewMessage(message)) {
          this.deps.logger.warn('Ignored a message from the notebook webview that is not one of ours.');
          return;
        }
        if (message.type === 'ready') this.postTimeLeft(instance.arn, this.deps.timeLeft(instance.arn) ?? '');
        if (message.type === 'reload' || message.type === 'renew') void created.reload().catch((e) => this.deps.logger.error(e));
        if (message.type === 'openInBrowser') void this.deps.openInBrowser(instance).catch((e) => this.deps.logger.error(e));
      });
    } else {
      void open.proxy?.close();
      open.reload = reload;
    }
    open.proxy = proxy;
    open.frameOrigin = new URL(entryUrl).origin;
    const target = open;
    // The connection ending (the instance stopped, the profile changed, VS Code closing) closes the tab:
    // nothing in it works any more. The session running out (autoRenew off) leaves it open, saying so, with
    // Renew (a new session in this tab, as Reload) and Open in Browser; its proxy has nothing left to serve.
    target.watch?.dispose();
    target.watch = lease.connection.onDidChangeState((state) => {
      if (state.kind !== 'ended' || this.panels.get(id) !== target) return;
      if (state.reason !== 'expired') return target.panel.dispose();
      const ended = target.proxy;
      target.proxy = undefined;
      void ended?.close();
      this.deps.logger.info(`Notebook view: the session of ${instance.name} ended; the tab offers Renew`);
      const origin = target.frameOrigin ?? 'http://127.0.0.1';
      target.panel.webview.html = notebookWebviewHtml({
        cspSource: target.panel.webview.cspSource,
        nonce: randomBytes(16).toString('base64'),
        frameOrigin: origin,
        entryUrl: `${origin}/`,
        title: instance.name,
        timeLeft: vscode.l10n.t('Session ended'),
        ended: {
          message: vscode.l10n.t('The notebook session ended.'),
          detail: vscode.l10n.t(
            'Automatic renewal is off (sagemakerNotebooks.autoRenew). Renew starts a new session in this tab; changes not saved before the end may need to be made again.',
          ),
          renew: vscode.l10n.t('Renew'),
          openInBrowser: vscode.l10n.t('Open in Browser'),
        },
      });
    });
    proxy.onDidClose(() => {
      if (target.proxy === proxy && this.panels.get(id) === target) target.panel.dispose();
    });
    try {
      open.panel.webview.html = notebookWebviewHtml({
        cspSource: open.panel.webview.cspSource,
        nonce: randomBytes(16).toString('base64'),
        frameOrigin: open.frameOrigin,
        entryUrl,
        title: instance.name,
        timeLeft: this.deps.timeLeft(instance.arn),
      });
    } catch (error) {
      open.panel.dispose(); // a blank panel helps nobody; disposing it also closes the proxy
      throw error;
    }
    open.panel.reveal();
    const state = lease.connection.state;
    const now = Date.now();
    return state.kind === 'open'
      ? { startedAt: state.startedAt, expiresAt: state.endsAt, renews: this.deps.autoRenew() }
      : { startedAt: now, expiresAt: now, renews: false };
  }

  /** Updates the time-left label of the instance's open panels. */
  postTimeLeft(arn: string, text: string): void {
    for (const open of this.of(arn)) if (open.proxy) void open.panel.webview.postMessage({ type: 'timeLeft', text }); // an ended tab keeps saying so
  }

  /** Closes the panels (and their proxies) of an instance whose session ended or that stopped. */
  close(arn: string): void {
    for (const open of this.of(arn)) open.panel.dispose();
  }

  /** How many tabs show the instance. */
  count(arn: string): number {
    return this.of(arn).length;
  }

  private of(arn: string): OpenPanel[] {
    return [...this.panels.values()].filter((p) => p.arn === arn);
  }

  /**
   * Where the proxy listens, the origin the iframe uses and the HTML of an open panel. Holds the secret:
   * reachable by the integration tests only (the shell exports its API under the test runner alone).
   */
  inspect(arn: string): { address: string; frameOrigin: string; html: string; ended?: true } | undefined {
    const open = this.of(arn)[0];
    if (open && !open.proxy) return { address: '', frameOrigin: open.frameOrigin ?? '', html: open.panel.webview.html, ended: true }; // the session ended: no proxy
    return open?.proxy
      ? { address: open.proxy.address, frameOrigin: open.frameOrigin ?? open.proxy.origin, html: open.panel.webview.html }
      : undefined;
  }

  /** Brings an open panel to the front; false when there is none. */
  reveal(arn: string): boolean {
    const open = this.of(arn)[0];
    open?.panel.reveal();
    return !!open;
  }

  dispose(): void {
    for (const open of [...this.panels.values()]) open.panel.dispose();
  }
}
