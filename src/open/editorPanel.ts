// "Open in VS Code": a webview panel per notebook whose iframe shows Jupyter through a local authenticating
// proxy (src/open/proxy). The proxy, not the webview, holds the notebook's cookies.
import { randomBytes } from 'crypto';
import vscode = require('vscode');
import type { Logger } from '../log';
import type { NotebookInstance } from '../notebooks/model';
import type { NotebookProxy } from './proxy';
import { frameOrigin } from './forwarding';
import { notebookWebviewHtml } from './webviewHtml';
import { isWebviewMessage } from './webviewMessages';

export interface EditorPanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly logger: Logger;
  readonly startProxy: (authorizedUrl: string) => Promise<NotebookProxy>;
  /** Mints a fresh URL and opens it in the browser. */
  readonly openInBrowser: (instance: NotebookInstance) => Promise<void>;
  /** The time left in the instance's session, as the toolbar shows it. */
  readonly timeLeft: (arn: string) => string | undefined;
  /** vscode.env.asExternalUri as a string; undefined when the editor cannot forward the port. */
  readonly externalUri: (url: string) => Promise<string | undefined>;
}

interface OpenPanel {
  readonly panel: vscode.WebviewPanel;
  proxy?: NotebookProxy;
  /** The origin the iframe reaches the proxy at: its own, or the address port forwarding gave it. */
  frameOrigin?: string;
  reload: () => Promise<void>;
}

export class NotebookPanels implements vscode.Disposable {
  private readonly panels = new Map<string, OpenPanel>();

  constructor(private readonly deps: EditorPanelDeps) {}

  /** Shows the notebook in its panel (creating it, or replacing its proxy on reload). */
  async show(instance: NotebookInstance, authorizedUrl: string, reload: () => Promise<void>): Promise<void> {
    const proxy = await this.deps.startProxy(authorizedUrl);
    const where = frameOrigin(proxy.address, await this.deps.externalUri(`${proxy.address}/`));
    if (where.fallback) this.deps.logger.info(`Notebook view: framing the proxy on this machine: ${where.fallback}`);
    const entryUrl = where.origin === proxy.address ? proxy.entryUrl : proxy.serveAt(where.origin);
    let open = this.panels.get(instance.arn);
    if (!open) {
      const panel = vscode.window.createWebviewPanel('sagemakerNotebooks.notebook', instance.name, vscode.ViewColumn.Active, {
        enableScripts: true,
        localResourceRoots: [vscode.Uri.joinPath(this.deps.extensionUri, 'media')],
      });
      panel.iconPath = vscode.Uri.joinPath(this.deps.extensionUri, 'media', 'sagemaker-notebooks.svg');
      const created: OpenPanel = { panel, reload };
      open = created;
      this.panels.set(instance.arn, created);
      panel.onDidDispose(() => {
        this.panels.delete(instance.arn);
        void created.proxy?.close();
      });
      panel.webview.onDidReceiveMessage((message: unknown) => {
        if (!isWebviewMessage(message)) {
          this.deps.logger.warn('Ignored a message from the notebook webview that is not one of ours.');
          return;
        }
        if (message.type === 'ready') this.postTimeLeft(instance.arn, this.deps.timeLeft(instance.arn) ?? '');
        if (message.type === 'reload') void created.reload().catch((e) => this.deps.logger.error(e));
        if (message.type === 'openInBrowser') void this.deps.openInBrowser(instance).catch((e) => this.deps.logger.error(e));
      });
    } else {
      void open.proxy?.close();
      open.reload = reload;
    }
    open.proxy = proxy;
    open.frameOrigin = new URL(entryUrl).origin;
    const target = open;
    proxy.onDidClose(() => {
      if (target.proxy === proxy && this.panels.get(instance.arn) === target) target.panel.dispose();
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
  }

  /** Updates the time-left label of an open panel. */
  postTimeLeft(arn: string, text: string): void {
    void this.panels.get(arn)?.panel.webview.postMessage({ type: 'timeLeft', text });
  }

  /** Closes the panel (and its proxy) of an instance whose session ended or that stopped. */
  close(arn: string): void {
    this.panels.get(arn)?.panel.dispose();
  }

  /**
   * Where the proxy listens, the origin the iframe uses and the HTML of an open panel. Holds the secret:
   * reachable by the integration tests only (the shell exports its API under the test runner alone).
   */
  inspect(arn: string): { address: string; frameOrigin: string; html: string } | undefined {
    const open = this.panels.get(arn);
    return open?.proxy ? { address: open.proxy.address, frameOrigin: open.frameOrigin ?? open.proxy.origin, html: open.panel.webview.html } : undefined;
  }

  /** Brings an open panel to the front; false when there is none. */
  reveal(arn: string): boolean {
    const open = this.panels.get(arn);
    open?.panel.reveal();
    return !!open;
  }

  dispose(): void {
    for (const open of [...this.panels.values()]) open.panel.dispose();
  }
}
