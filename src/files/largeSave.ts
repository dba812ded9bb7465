// A save over one chunk, in VS Code's progress notification: MiB sent so far, and a Cancel that stops the
// upload at its next chunk and leaves the file on the instance as it was (upload.ts). The user's click on
// Cancel reaches the task as its cancellation token.
import vscode = require('vscode');
import type { Logger } from '../shared/log';
import type { Ui } from '../shared/ui';
import type { ContentsApi } from './contents';
import type { ContentsModel } from './model';
import { saveInChunks } from './upload';
import { baseName } from './uri';

const MiB = 1024 * 1024;

export interface LargeSave {
  readonly api: ContentsApi;
  readonly path: string;
  readonly bytes: Uint8Array;
  readonly instance: string;
  /** A file is at the path now. */
  readonly replacing: boolean;
  readonly ui: Ui;
  readonly logger: Logger;
}

export async function saveWithProgress({ api, path, bytes, instance, replacing, ui, logger }: LargeSave): Promise<ContentsModel> {
  const saved = await ui.progress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('Saving {0} to {1}', baseName(path), instance),
      cancellable: true,
    },
    async (progress, token) => {
      const abort = new AbortController();
      const cancelled = token.onCancellationRequested(() => abort.abort());
      let shown = 0;
      try {
        return await saveInChunks(api, path, bytes, {
          replacing,
          signal: abort.signal,
          progress: (sent, total) => {
            const percent = Math.floor((sent / total) * 100);
            progress.report({ increment: percent - shown, message: `${Math.round(sent / MiB)} / ${Math.round(total / MiB)} MiB` });
            shown = percent;
          },
        });
      } finally {
        cancelled.dispose();
      }
    },
  );
  if (saved.previousLeftAt) {
    const message = vscode.l10n.t('Saved {0}; its previous version {1} could not be deleted.', path, saved.previousLeftAt);
    logger.warn(`Files: ${message}`);
    void ui.warn(message);
  }
  return saved.model;
}
