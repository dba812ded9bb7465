// Whole folders over the Contents API, which deletes and copies one entry per call: a recursive delete empties
// a folder first when Jupyter refuses a non-empty one, and a folder is copied entry by entry.
import vscode = require('vscode');
import { ContentsError, type ContentsApi } from './contents';
import { DIRECTORY, entriesOf } from './model';
import { joinPath } from './uri';

/**
 * Jupyter's DELETE: to the trash when the server is configured so, else for good, refusing a non-empty
 * folder then (jupyter_server's `always_delete_dir` is off): a recursive delete then empties it first.
 */
export async function deletePath(api: ContentsApi, path: string, isDirectory: boolean, recursive: boolean): Promise<void> {
  try {
    await api.delete(path);
  } catch (error) {
    if (!(error instanceof ContentsError && error.kind === 'notEmpty' && isDirectory)) throw error;
    if (!recursive) throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('The folder {0} is not empty.', path));
    const listing = entriesOf(await api.get(path, true));
    for (const entry of listing) await deletePath(api, entry.path, entry.stat.type === DIRECTORY, true);
    await api.delete(path);
  }
}

export async function copyPath(api: ContentsApi, from: string, to: string, isDirectory: boolean): Promise<void> {
  if (!isDirectory) {
    await api.copyFile(from, to);
    return;
  }
  await api.createDirectory(to);
  for (const entry of entriesOf(await api.get(from, true))) {
    await copyPath(api, entry.path, joinPath(to, entry.name), entry.stat.type === DIRECTORY);
  }
}
