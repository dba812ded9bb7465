// The `sagemaker-notebook` file system: every operation VS Code asks for, over the instance's Contents API.
// Stats are cached briefly (and filled from directory listings) so opening, editing and saving a file costs
// few requests; every write of ours refreshes the cache from Jupyter's answer, so the mtime VS Code compares
// for its "file is newer" check is always the server's own.
import vscode = require('vscode');
import { ContentsError, type ContentsApi } from './contents';
import { toFileSystemError } from './errors';
import { InstanceFiles, type InstanceAccess } from './instanceFiles';
import { saveWithProgress } from './largeSave';
import { copyPath, deletePath } from './trees';
import { chunksOf, DIRECTORY, entriesOf, READONLY, statOf, type Stat } from './model';
import { baseName, folderKey, isWithin, parentOf, parseParts, SCHEME, type InstanceFolder } from './uri';

/**
 * How long a stat answers without asking Jupyter again: long enough for VS Code's stat of every entry right
 * after it lists a folder, and of a file right after it was written; short, so the stat VS Code makes before a
 * save is the server's. A change inside that second is still caught: writeFile compares (below).
 */
const STAT_TTL_MS = 1_000;
/** Downloads from this size show their progress in the window's status bar. */
const READ_PROGRESS_BYTES = 16 * 1024 * 1024;

interface Located {
  readonly files: InstanceFiles;
  readonly path: string;
}

export class InstanceFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly folders = new Map<string, InstanceFiles>();
  private readonly stats = new Map<string, { stat: Stat; at: number }>();
  /** What VS Code was last told of each path (by stat or a listing): the watcher compares against it. */
  readonly reported = new Map<string, Stat>();
  /** The entries of each directory VS Code listed, by URI: the watcher reports what appears and goes. */
  readonly listed = new Map<string, { uri: vscode.Uri; names: Set<string>; at: number }>();
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  /** Folders (by URI) with a chunked save under way: the watcher leaves them alone until it ends. */
  readonly saving = new Map<string, number>();
  /** writeFile calls VS Code made: a test sees whether VS Code's own conflict check stopped a save first. */
  writeCalls = 0;
  /** The watcher: set by the registration, so watch() hands VS Code's requests to it. */
  watcher: { watch(uri: vscode.Uri, options: { recursive: boolean }): vscode.Disposable } | undefined;

  constructor(private readonly access: InstanceAccess) {}

  /** The folder's way to its files (one per profile, region and instance). */
  filesOf(folder: InstanceFolder): InstanceFiles {
    const key = folderKey(folder);
    let files = this.folders.get(key);
    if (!files) {
      files = new InstanceFiles(folder, this.access);
      this.folders.set(key, files);
    }
    return files;
  }

  /** The folders reached so far, for the watcher and the request counts. */
  knownFolders(): InstanceFiles[] {
    return [...this.folders.values()];
  }

  fire(events: vscode.FileChangeEvent[]): void {
    if (events.length) this.changed.fire(events);
  }

  watch(uri: vscode.Uri, options: { readonly recursive: boolean; readonly excludes: readonly string[] }): vscode.Disposable {
    return this.watcher?.watch(uri, options) ?? new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    return this.run(uri, (api, path) => this.statOf(uri, api, path));
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    return this.run(uri, async (api, path) => {
      const model = await api.get(path, true);
      if (model.type !== 'directory') throw vscode.FileSystemError.FileNotADirectory(uri);
      this.remember(uri, statOf(model));
      const entries = entriesOf(model);
      for (const entry of entries) this.remember(uri.with({ path: `${uri.path.replace(/\/$/, '')}/${entry.name}` }), entry.stat);
      this.listed.set(uri.toString(), { uri, names: new Set(entries.map((e) => e.name)), at: Date.now() });
      return entries.map((e) => [e.name, e.stat.type as vscode.FileType]);
    });
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return this.run(uri, async (api, path) => {
      // VS Code stats a file just before reading it, so the cache usually knows it; when it does not, the
      // download goes first and a stat only explains a refusal (a folder, a missing file): one request.
      const known = this.cached(uri);
      if (known?.type === DIRECTORY) throw vscode.FileSystemError.FileIsADirectory(uri);
      try {
        if (!known || known.size < READ_PROGRESS_BYTES) return await api.read(path);
        return await this.access.ui.progress(
          { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Downloading {0}', baseName(path)) },
          (progress) => {
            let shown = 0;
            return api.read(path, (received) => {
              const percent = Math.floor((received / known.size) * 100);
              if (percent > shown) {
                progress.report({ increment: percent - shown, message: `${percent}%` });
                shown = percent;
              }
            });
          },
        );
      } catch (error) {
        if (!(error instanceof ContentsError)) throw error;
        const stat = await this.freshStatOrUndefined(uri, api, path);
        if (!stat) throw vscode.FileSystemError.FileNotFound(uri);
        if (stat.type === DIRECTORY) throw vscode.FileSystemError.FileIsADirectory(uri);
        throw error;
      }
    });
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array, options: { readonly create: boolean; readonly overwrite: boolean }): Promise<void> {
    this.writeCalls++;
    return this.run(uri, async (api, path) => {
      if (!path) throw vscode.FileSystemError.FileIsADirectory(uri);
      const told = this.reported.get(uri.toString());
      const existing = await this.freshStatOrUndefined(uri, api, path);
      if (existing?.type === DIRECTORY) throw vscode.FileSystemError.FileIsADirectory(uri);
      if (existing && told && (told.mtime !== existing.mtime || told.size !== existing.size)) {
        // VS Code checked "file is newer" against a stat that is already old: refuse rather than overwrite
        // silently. VS Code now has the new stat, so saving again shows its compare-or-overwrite choice.
        this.fire([{ type: vscode.FileChangeType.Changed, uri }]);
        throw new vscode.FileSystemError(
          vscode.l10n.t('{0} changed on the instance a moment ago; save again to compare or overwrite.', path),
        );
      }
      if (existing && !options.overwrite) throw vscode.FileSystemError.FileExists(uri);
      if (!existing && !options.create) throw vscode.FileSystemError.FileNotFound(uri);
      if (!existing) await this.parentMustBeDirectory(uri, api, path);
      const chunked = chunksOf(content.byteLength).length > 0;
      // A chunked save replaces the file by renaming (largeSave.ts), which a read-only file's folder allows.
      if (chunked && existing?.permissions === READONLY)
        throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('No permission for {0}: it is read-only.', path));
      const model = chunked ? await this.saveLarge(uri, api, path, content, !!existing) : await api.write(path, content);
      this.forget(uri);
      this.remember(uri, { ...statOf(model), size: content.byteLength });
    });
  }

  /**
   * A chunked save (largeSave.ts). Its temporary file, and the moment the target is renamed aside, are not
   * changes for VS Code: the watcher skips the folder meanwhile.
   */
  private async saveLarge(uri: vscode.Uri, api: ContentsApi, path: string, bytes: Uint8Array, replacing: boolean) {
    const folder = uri.with({ path: uri.path.slice(0, uri.path.lastIndexOf('/')) }).toString();
    this.saving.set(folder, (this.saving.get(folder) ?? 0) + 1);
    try {
      const { files } = this.locate(uri);
      return await saveWithProgress({
        api,
        path,
        bytes,
        instance: files.folder.instance,
        replacing,
        ui: this.access.ui,
        logger: this.access.logger,
      });
    } finally {
      const left = (this.saving.get(folder) ?? 1) - 1;
      if (left) this.saving.set(folder, left);
      else this.saving.delete(folder);
    }
  }

  async createDirectory(uri: vscode.Uri): Promise<void> {
    return this.run(uri, async (api, path) => {
      if (!path || (await this.freshStatOrUndefined(uri, api, path))) throw vscode.FileSystemError.FileExists(uri);
      await this.parentMustBeDirectory(uri, api, path);
      const model = await api.createDirectory(path);
      this.remember(uri, statOf(model));
    });
  }

  async delete(uri: vscode.Uri, options: { readonly recursive: boolean }): Promise<void> {
    return this.run(uri, async (api, path) => {
      if (!path) throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('The root folder of the instance cannot be deleted.'));
      const stat = await this.freshStatOrUndefined(uri, api, path);
      if (!stat) throw vscode.FileSystemError.FileNotFound(uri);
      await deletePath(api, path, stat.type === DIRECTORY, options.recursive);
      this.forget(uri);
    });
  }

  async rename(from: vscode.Uri, to: vscode.Uri, options: { readonly overwrite: boolean }): Promise<void> {
    const target = this.sameFolder(from, to);
    return this.run(from, async (api, path) => {
      if (!(await this.freshStatOrUndefined(from, api, path))) throw vscode.FileSystemError.FileNotFound(from);
      const existing = await this.freshStatOrUndefined(to, api, target);
      if (existing && !options.overwrite) throw vscode.FileSystemError.FileExists(to);
      if (!existing) await this.parentMustBeDirectory(to, api, target);
      if (existing) await deletePath(api, target, existing.type === DIRECTORY, true);
      await api.rename(path, target);
      this.forget(from);
      this.forget(to);
    });
  }

  async copy(from: vscode.Uri, to: vscode.Uri, options: { readonly overwrite: boolean }): Promise<void> {
    const target = this.sameFolder(from, to);
    return this.run(from, async (api, path) => {
      const source = await this.freshStatOrUndefined(from, api, path);
      if (!source) throw vscode.FileSystemError.FileNotFound(from);
      if (isWithin(target, path) && source.type === DIRECTORY)
        throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('A folder cannot be copied into itself.'));
      const existing = await this.freshStatOrUndefined(to, api, target);
      if (existing && !options.overwrite) throw vscode.FileSystemError.FileExists(to);
      if (!existing) await this.parentMustBeDirectory(to, api, target);
      if (existing) await deletePath(api, target, existing.type === DIRECTORY, true);
      await copyPath(api, path, target, source.type === DIRECTORY);
      this.forget(to);
    });
  }

  dispose(): void {
    for (const files of this.folders.values()) files.dispose();
    this.folders.clear();
    this.changed.dispose();
  }

  /** Forgets what is cached of `uri` and everything under it. */
  forget(uri: vscode.Uri): void {
    const key = uri.toString();
    for (const map of [this.stats, this.reported, this.listed] as Map<string, unknown>[]) {
      for (const k of [...map.keys()]) if (k === key || k.startsWith(`${key}/`)) map.delete(k);
    }
  }

  /** Keeps a stat VS Code was given (or is about to be). */
  remember(uri: vscode.Uri, stat: Stat): void {
    this.stats.set(uri.toString(), { stat, at: Date.now() });
    this.reported.set(uri.toString(), stat);
  }

  /** The stat of `uri` if one is cached and fresh. */
  private cached(uri: vscode.Uri): Stat | undefined {
    const cached = this.stats.get(uri.toString());
    return cached && Date.now() - cached.at < STAT_TTL_MS ? cached.stat : undefined;
  }

  private async statOf(uri: vscode.Uri, api: ContentsApi, path: string): Promise<Stat> {
    const cached = this.cached(uri);
    if (cached) return cached;
    const stat = statOf(await api.get(path));
    this.remember(uri, stat);
    return stat;
  }

  /** The stat as it is now on the server (no cache): writes decide on it. */
  private async freshStatOrUndefined(uri: vscode.Uri, api: ContentsApi, path: string): Promise<Stat | undefined> {
    try {
      const stat = statOf(await api.get(path));
      this.remember(uri, stat);
      return stat;
    } catch (error) {
      if (error instanceof ContentsError && error.kind === 'notFound') return undefined;
      throw error;
    }
  }

  private async parentMustBeDirectory(uri: vscode.Uri, api: ContentsApi, path: string): Promise<void> {
    const parent = parentOf(path);
    if (!parent) return;
    const parentUri = uri.with({ path: uri.path.slice(0, uri.path.lastIndexOf('/')) });
    const stat = await this.freshStatOrUndefined(parentUri, api, parent);
    if (!stat) throw vscode.FileSystemError.FileNotFound(parentUri);
    if (stat.type !== DIRECTORY) throw vscode.FileSystemError.FileNotADirectory(parentUri);
  }

  private sameFolder(from: vscode.Uri, to: vscode.Uri): string {
    const a = this.locate(from);
    const b = this.locate(to);
    if (a.files !== b.files)
      throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('Files move and copy within one notebook instance only.'));
    return b.path;
  }

  private locate(uri: vscode.Uri): Located {
    const parts = uri.scheme === SCHEME ? parseParts(uri.authority, uri.path) : undefined;
    if (!parts) throw vscode.FileSystemError.FileNotFound(uri);
    return { files: this.filesOf(parts), path: parts.path };
  }

  /** Runs one operation on the instance's Contents API, with every failure as a FileSystemError. */
  private async run<T>(uri: vscode.Uri, operation: (api: ContentsApi, path: string) => Promise<T>): Promise<T> {
    const { files, path } = this.locate(uri);
    try {
      return await operation(await files.contents(), path);
    } catch (error) {
      throw toFileSystemError(error, uri, path, files, this.access.logger);
    }
  }
}
