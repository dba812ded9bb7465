// The one wrapper every command goes through: log once, tell the user with a "Show Log" button,
// stay silent when the user cancelled.
import vscode = require('vscode');
import { toUserError, type ErrorContext } from '../aws/errors';
import type { Logger } from '../shared/log';
import type { Ui } from '../shared/ui';
import type { CommandOutcome } from '../shared/uiRecorder';

export interface CommandDeps {
  readonly logger: Logger;
  readonly ui: Ui;
  readonly showLog: () => void;
  readonly context: () => ErrorContext;
  /** Told how each command ended (the test build records it, so a test sees a command fail). */
  readonly ended?: (id: string, outcome: CommandOutcome) => void;
}

/** `handler` wrapped for command `id`; the activation shell (extension.ts) registers it. */
export function wrapCommand(deps: CommandDeps, id: string, handler: (...args: any[]) => unknown): (...args: unknown[]) => Promise<unknown> {
  return async (...args: unknown[]) => {
    try {
      const result = await handler(...args);
      deps.ended?.(id, { kind: 'ok' });
      return result;
    } catch (error) {
      const user = error instanceof vscode.CancellationError ? undefined : toUserError(error, deps.context(), vscode.l10n);
      if (!user || user.kind === 'cancelled') {
        deps.ended?.(id, { kind: 'cancelled' });
        return undefined;
      }
      deps.logger.error(`${id} failed: ${(error as Error)?.name ?? ''} ${(error as Error)?.message ?? String(error)}`);
      const showLog = vscode.l10n.t('Show Log');
      const message = vscode.l10n.t('SageMaker Notebooks: {0}', user.message);
      deps.ended?.(id, { kind: 'error', message });
      void deps.ui.error(message, showLog).then((choice) => {
        if (choice === showLog) deps.showLog();
      });
      return undefined;
    }
  };
}
