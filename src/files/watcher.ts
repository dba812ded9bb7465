// Changes made on the instance (by a kernel, a terminal, JupyterLab in a browser) as VS Code's file events.
// Jupyter has no change feed, so this polls, and only what VS Code watches and shows: the folders it listed
// (the Explorer's open folders) and the folders of open editors, one listing per folder per round. It polls
// while the window has focus, every few seconds, backing off while nothing changes; with no watch (no
// instance folder open) nothing is polled.
import vscode = require('vscode');
import type { Logger } from '../shared/log';
import type { InstanceFileSystem } from './fileSystem';
import { entriesOf, FILE } from './model';
import { isWithin, parseParts, SCHEME } from './uri';

export interface WatcherDeps {
  readonly fs: InstanceFileSystem;
  readonly logger: Logger;
  /** The URIs of open editors (text and notebooks). */
  openUris(): vscode.Uri[];
  focused(): boolean;
  readonly baseMs?: number;
  readonly maxMs?: number;
  /** At most this many listed folders are polled per round, the most recently listed first. */
  readonly maxFolders?: number;
}

interface Watch {
  readonly uri: vscode.Uri;
  readonly recursive: boolean;
}

export class FileWatcher implements vscode.Disposable {
  private readonly watches = new Set<Watch>();
  private timer: NodeJS.Timeout | undefined;
  private intervalMs: number;
  private polling = false;
  /** Listings made by polling, for the tests and the benchmark. */
  rounds = 0;

  constructor(private readonly deps: WatcherDeps) {
    this.intervalMs = this.base;
  }

  private get base(): number {
    return this.deps.baseMs ?? 3_000;
  }

  watch(uri: vscode.Uri, options: { recursive: boolean }): vscode.Disposable {
    const watch: Watch = { uri, recursive: options.recursive };
    this.watches.add(watch);
    this.schedule();
    return new vscode.Disposable(() => {
      this.watches.delete(watch);
      if (!this.watches.size) this.stop();
    });
  }

  /** The window got or lost focus: poll now and at the base interval again, or stop until it comes back. */
  focusChanged(focused: boolean): void {
    this.stop();
    if (!focused) return;
    this.intervalMs = this.base;
    this.schedule(0);
  }

  /** Whether a timer is set: the test of "no polling when nothing is open". */
  get active(): boolean {
    return this.timer !== undefined || this.polling;
  }

  dispose(): void {
    this.stop();
    this.watches.clear();
  }

  private stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(delay = this.intervalMs): void {
    if (this.timer || this.polling || !this.watches.size || !this.deps.focused()) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.poll();
    }, delay);
  }

  /** One round: lists each folder to watch once and fires what changed. */
  async poll(): Promise<number> {
    this.polling = true;
    let changes = 0;
    try {
      const folders = this.targets();
      for (const dir of folders) changes += await this.pollFolder(dir);
      this.rounds++;
    } finally {
      this.polling = false;
    }
    this.intervalMs = changes ? this.base : Math.min(this.deps.maxMs ?? 30_000, this.intervalMs * 2);
    this.schedule();
    return changes;
  }

  private covered(uri: vscode.Uri): boolean {
    for (const w of this.watches) {
      if (w.uri.authority !== uri.authority) continue;
      const root = w.uri.path.replace(/\/$/, '');
      if (uri.path === root || (w.recursive && isWithin(uri.path, root)) || (!w.recursive && parentPath(uri.path) === root)) return true;
    }
    return false;
  }

  private targets(): vscode.Uri[] {
    const byKey = new Map<string, vscode.Uri>();
    for (const uri of this.deps.openUris()) {
      if (uri.scheme !== SCHEME || !this.covered(uri)) continue;
      const dir = uri.with({ path: parentPath(uri.path) });
      if (parseParts(dir.authority, dir.path)) byKey.set(dir.toString(), dir);
    }
    const listed = [...this.deps.fs.listed.values()].filter((l) => this.covered(l.uri)).sort((a, b) => b.at - a.at);
    for (const l of listed.slice(0, this.deps.maxFolders ?? 30)) byKey.set(l.uri.toString(), l.uri);
    return [...byKey.values()];
  }

  private async pollFolder(dir: vscode.Uri): Promise<number> {
    const parts = parseParts(dir.authority, dir.path);
    if (!parts) return 0;
    const api = this.deps.fs.filesOf(parts).current();
    if (!api) return 0; // not reached (yet), or the instance stopped: polling never reconnects
    if (this.deps.fs.saving.has(dir.with({ path: dir.path.replace(/\/$/, '') }).toString())) return 0; // its next round sees the outcome
    const fs = this.deps.fs;
    const events: vscode.FileChangeEvent[] = [];
    let model;
    try {
      model = await api.get(parts.path, true);
    } catch (error) {
      if ((error as { kind?: string }).kind === 'notFound' && fs.listed.has(dir.toString())) {
        fs.forget(dir);
        fs.fire([{ type: vscode.FileChangeType.Deleted, uri: dir }]);
        return 1;
      }
      this.deps.logger.debug(`Files: polling ${parts.instance}:/${parts.path} failed: ${(error as Error).message}`);
      return 0;
    }
    const entries = entriesOf(model);
    const child = (name: string) => dir.with({ path: `${dir.path.replace(/\/$/, '')}/${name}` });
    const listed = fs.listed.get(dir.toString());
    if (listed) {
      const now = new Set(entries.map((e) => e.name));
      for (const name of now) if (!listed.names.has(name)) events.push({ type: vscode.FileChangeType.Created, uri: child(name) });
      for (const name of listed.names) {
        if (now.has(name)) continue;
        fs.forget(child(name));
        events.push({ type: vscode.FileChangeType.Deleted, uri: child(name) });
      }
      listed.names = now;
    }
    for (const entry of entries) {
      const uri = child(entry.name);
      const before = fs.reported.get(uri.toString());
      if (before && entry.stat.type === FILE && (before.mtime !== entry.stat.mtime || before.size !== entry.stat.size)) {
        events.push({ type: vscode.FileChangeType.Changed, uri });
      }
      if (before) fs.remember(uri, entry.stat);
    }
    if (events.length) this.deps.logger.debug(`Files: ${events.length} change(s) in ${parts.instance}:/${parts.path}`);
    fs.fire(events);
    return events.length;
  }
}

function parentPath(path: string): string {
  const trimmed = path.replace(/\/$/, '');
  return trimmed.slice(0, trimmed.lastIndexOf('/')) || '/';
}
