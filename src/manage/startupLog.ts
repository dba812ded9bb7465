// "Show Startup Log": a read-only document `sagemaker-startup-log:/<region>/<name>.log` with the lifecycle
// scripts' CloudWatch output, following it (a Describe and a GetLogEvents per stream every few seconds) while
// the instance starts and while the document is open; the links to the scripts open them for editing.
import vscode = require('vscode');
import { toUserError } from '../aws/errors';
import type { Logger } from '../shared/log';
import type { ConnectionManager } from '../aws/connectionManager';
import type { InstanceStore } from '../notebooks/instanceStore';
import { session } from './context';
import { LIFECYCLE_SCHEME, scriptUri } from './lifecycleFs';
import { startupLogText, type StartupLogState, type StreamLog } from './startupLogText';

export const STARTUP_LOG_SCHEME = 'sagemaker-startup-log';
const HOOKS = ['OnCreate', 'OnStart'] as const;

interface Followed {
  state: StartupLogState;
  tokens: Partial<Record<(typeof HOOKS)[number], string>>;
  timer?: NodeJS.Timeout;
  busy?: Promise<void>;
  /** Fetches so far: the interval grows from 2 s to 10 s over the first minute, for a log left open. */
  polls: number;
}

export function startupLogUri(region: string, name: string): vscode.Uri {
  return vscode.Uri.from({ scheme: STARTUP_LOG_SCHEME, path: `/${region}/${name}.log` });
}

export class StartupLogs implements vscode.TextDocumentContentProvider, vscode.DocumentLinkProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly followed = new Map<string, Followed>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly connection: ConnectionManager,
    private readonly instances: InstanceStore,
    private readonly logger: Logger,
    private readonly intervalMs = 2000,
  ) {
    this.subscriptions = [vscode.workspace.onDidCloseTextDocument((doc) => doc.uri.scheme === STARTUP_LOG_SCHEME && this.forget(doc.uri))];
  }

  /** Opens (or shows again) the startup log of an instance and starts following it. */
  async show(region: string, name: string): Promise<vscode.TextEditor> {
    const uri = startupLogUri(region, name);
    const entry = this.followed.get(uri.toString());
    if (entry) await this.update(uri, entry); // shown again: fresh now, whatever the timer
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'log');
    return vscode.window.showTextDocument(doc, { preview: false });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const key = uri.toString();
    let entry = this.followed.get(key);
    if (!entry) {
      const m = /^\/([a-z0-9-]+)\/(.+)\.log$/.exec(uri.path);
      if (!m) return '';
      entry = { state: { name: m[2], region: m[1], status: '…', streams: [], following: true }, tokens: {}, polls: 0 };
      this.followed.set(key, entry);
      await this.update(uri, entry, false);
    }
    return startupLogText(entry.state, vscode.l10n);
  }

  provideDocumentLinks(doc: vscode.TextDocument): vscode.DocumentLink[] {
    const links: vscode.DocumentLink[] = [];
    const re = new RegExp(`${LIFECYCLE_SCHEME}:/[^\\s]+`, 'g');
    for (let line = 0; line < Math.min(doc.lineCount, 20); line++) {
      const text = doc.lineAt(line).text;
      for (const m of text.matchAll(re)) {
        const link = new vscode.DocumentLink(new vscode.Range(line, m.index, line, m.index + m[0].length), vscode.Uri.parse(m[0]));
        link.tooltip = vscode.l10n.t('Open the script for editing');
        links.push(link);
      }
    }
    return links;
  }

  /** The state of a followed log, for tests: whether it is still following. */
  isFollowing(region: string, name: string): boolean {
    return this.followed.get(startupLogUri(region, name).toString())?.state.following ?? false;
  }

  dispose(): void {
    for (const entry of this.followed.values()) clearTimeout(entry.timer);
    this.followed.clear();
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }

  private forget(uri: vscode.Uri): void {
    const entry = this.followed.get(uri.toString());
    if (entry) clearTimeout(entry.timer);
    this.followed.delete(uri.toString());
  }

  private update(uri: vscode.Uri, entry: Followed, notify = true): Promise<void> {
    entry.busy ??= this.fetch(uri, entry, notify).finally(() => (entry.busy = undefined));
    return entry.busy;
  }

  private async fetch(uri: vscode.Uri, entry: Followed, notify: boolean): Promise<void> {
    clearTimeout(entry.timer);
    const { name, region } = entry.state;
    let next: StartupLogState;
    try {
      const { manage, profile } = await session(this.connection, this.logger);
      const d = await manage.describe(region, name);
      const settled = d.status !== 'Pending';
      // The tree polls on a growing interval; what the log just learnt shows there at once.
      const row = this.instances.knownInstances().find((i) => i.arn === d.arn);
      if (row && row.status !== d.status)
        this.instances.updateInstance({ ...row, status: d.status, failureReason: d.failureReason, lastModifiedTime: d.lastModifiedTime });
      const streams: StreamLog[] = [];
      let problem: string | undefined;
      for (const hook of HOOKS) {
        const previous = entry.state.streams.find((s) => s.hook === hook);
        try {
          const page = await manage.logPage(region, `${name}/LifecycleConfig${hook}`, entry.tokens[hook]);
          entry.tokens[hook] = page.token;
          streams.push({ hook, lines: page.lines || previous?.lines ? [...(previous?.lines ?? []), ...(page.lines ?? [])] : undefined });
        } catch (error) {
          const user = toUserError(error, { profile, region }, vscode.l10n);
          problem =
            user.kind === 'accessDenied'
              ? vscode.l10n.t(
                  'Cannot read the log: profile "{0}" lacks the permission logs:GetLogEvents on log group /aws/sagemaker/NotebookInstances (arn:aws:logs:{1}:<account>:log-group:/aws/sagemaker/NotebookInstances:*). Ask for it, then run Show Startup Log again.',
                  profile,
                  region,
                )
              : vscode.l10n.t('Cannot read the log: {0}', user.message);
          this.logger.warn(`Startup log ${region}/${name}: ${(error as Error)?.name} ${(error as Error)?.message}`);
          break;
        }
      }
      next = {
        name: d.name,
        region,
        status: d.status,
        failureReason: d.failureReason,
        lifecycleConfigName: d.lifecycleConfigName,
        scriptLinks: d.lifecycleConfigName
          ? {
              onCreate: scriptUri(region, d.lifecycleConfigName, 'onCreate').toString(),
              onStart: scriptUri(region, d.lifecycleConfigName, 'onStart').toString(),
            }
          : undefined,
        directInternetAccess: d.directInternetAccess,
        streams,
        problem,
        following: !settled && !problem,
      };
    } catch (error) {
      next = { ...entry.state, problem: toUserError(error, { profile: '', region }, vscode.l10n).message, following: false };
    }
    const changed = startupLogText(next) !== startupLogText(entry.state);
    entry.state = next;
    if (changed && notify) this.changed.fire(uri);
    if (next.following && this.followed.get(uri.toString()) === entry) {
      entry.polls++;
      entry.timer = setTimeout(() => void this.update(uri, entry), this.intervalMs * Math.min(5, 1 + Math.floor(entry.polls / 6)));
    }
  }
}
