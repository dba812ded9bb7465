// What the activation shell registers for the `sagemaker-notebook` scheme: a provider that holds no code of
// its own and hands every call to the real one in dist/main.js, loading it on the first call. Registered at
// activation (onFileSystem:sagemaker-notebook), so a reloaded window or a saved workspace finds its instance
// folders; nothing is loaded, and no SDK, until VS Code asks about one of their files.
import type * as vscode from 'vscode';

export const FILES_SCHEME = 'sagemaker-notebook';

export function lazyFileSystem(
  load: () => vscode.FileSystemProvider,
  changed: vscode.EventEmitter<vscode.FileChangeEvent[]>,
): vscode.FileSystemProvider {
  return {
    onDidChangeFile: changed.event,
    watch: (uri, options) => load().watch(uri, options),
    stat: (uri) => load().stat(uri),
    readDirectory: (uri) => load().readDirectory(uri),
    createDirectory: (uri) => load().createDirectory(uri),
    readFile: (uri) => load().readFile(uri),
    writeFile: (uri, content, options) => load().writeFile(uri, content, options),
    delete: (uri, options) => load().delete(uri, options),
    rename: (from, to, options) => load().rename(from, to, options),
    copy: (from, to, options) => load().copy!(from, to, options),
  };
}
