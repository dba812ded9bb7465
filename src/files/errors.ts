// Every failure of a file operation as the FileSystemError VS Code shows: what happened to which file, and
// what to do. A failure that says the instance cannot be reached drops the folder's connection, so the next
// call finds its way again.
import vscode = require('vscode');
import { ConnectionEndedError } from '../jupyter/connection';
import type { Logger } from '../shared/log';
import { ContentsError } from './contents';
import { UnavailableError, type InstanceFiles } from './instanceFiles';
import { SaveStopped } from './upload';

const NETWORK_CODES = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH)$/;
const MiB = 1024 * 1024;

/** `path`: the file's path under the Jupyter root. */
export function toFileSystemError(error: unknown, uri: vscode.Uri, path: string, files: InstanceFiles, logger: Logger): Error {
  if (error instanceof vscode.FileSystemError) return error;
  const instance = files.folder.instance;
  const where = `${instance}:/${path}`;
  if (error instanceof SaveStopped) return stoppedSave(error, uri, path, files, logger);
  if (error instanceof UnavailableError) return vscode.FileSystemError.Unavailable(error.message);
  if (error instanceof ConnectionEndedError) {
    files.lost();
    return vscode.FileSystemError.Unavailable(error.message);
  }
  if (error instanceof ContentsError) {
    logger.debug(`Files: ${error.message}`);
    switch (error.kind) {
      case 'notFound':
        return vscode.FileSystemError.FileNotFound(uri);
      case 'exists':
        return vscode.FileSystemError.FileExists(uri);
      case 'noPermissions':
        return vscode.FileSystemError.NoPermissions(vscode.l10n.t('No permission for {0}: {1}', where, error.message));
      case 'tooLarge':
        return new vscode.FileSystemError(
          vscode.l10n.t(
            '{0} is too large for the Jupyter server of {1}: it refused the request over its size limit (ServerApp.max_body_size, or a proxy in front of it). Raise that limit on the instance, or keep the file smaller.',
            where,
            instance,
          ),
        );
      case 'unavailable':
        return vscode.FileSystemError.Unavailable(
          vscode.l10n.t('The Jupyter server of {0} is not answering: {1}', instance, error.message),
        );
      default:
        return new vscode.FileSystemError(vscode.l10n.t('{0}: {1}', where, error.message));
    }
  }
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code && NETWORK_CODES.test(code)) {
    files.lost();
    return vscode.FileSystemError.Unavailable(
      vscode.l10n.t('Could not reach the Jupyter server of {0}: {1}', instance, (error as Error).message),
    );
  }
  logger.error(`Files: ${where}: ${(error as Error)?.message}`);
  return new vscode.FileSystemError(vscode.l10n.t('{0}: {1}', where, (error as Error)?.message ?? String(error)));
}

/** A chunked save that stopped: the file on the instance is unchanged (or where its previous version is), and why. */
function stoppedSave(error: SaveStopped, uri: vscode.Uri, path: string, files: InstanceFiles, logger: Logger): Error {
  const left = [
    error.partialAt &&
      vscode.l10n.t('The partial upload {0} could not be removed: delete it once the instance answers again.', error.partialAt),
    error.previousAt && vscode.l10n.t('The previous version of the file is now {0}.', error.previousAt),
  ].filter(Boolean);
  const state = error.previousAt
    ? vscode.l10n.t('{0} is not in place on the instance.', path)
    : vscode.l10n.t('The file on the instance is unchanged.');
  if (error.cancelled) {
    logger.info(`Files: saving ${path} cancelled after ${error.sent} of ${error.total} bytes`);
    return new vscode.FileSystemError([vscode.l10n.t('Saving {0} was cancelled.', path), state, ...left].join(' '));
  }
  const cause = toFileSystemError(error.reason, uri, path, files, logger) as vscode.FileSystemError;
  const message = [
    vscode.l10n.t(
      'Could not save {0} ({1} of {2} MiB sent): {3}',
      path,
      Math.floor(error.sent / MiB),
      Math.ceil(error.total / MiB),
      cause.message,
    ),
    state,
    ...left,
  ].join(' ');
  logger.warn(`Files: ${message}`);
  return cause.code === 'Unavailable' ? vscode.FileSystemError.Unavailable(message) : new vscode.FileSystemError(message);
}
