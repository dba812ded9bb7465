// The one wrapper every command goes through: log once, tell the user with a "Show Log" button,
// stay silent when the user cancelled.
import vscode = require('vscode');
import { toUserError, type ErrorContext } from '../aws/errors';
import type { Logger } from '../log';

export interface CommandDeps {
  readonly logger: Logger;
  readonly showLog: () => void;
  /** Told every message shown, so tests can check that none leaks a secret. */
  readonly shown: (message: string) => void;
  readonly context: () => ErrorContext;
}

/** `handler` wrapped for command `id`; the activation shell (extension.ts) registers it. */
export function commandHandler(
  deps: CommandDeps,
  id: string,
  handler: (...args: any[]) => unknown,
): (...args: unknown[]) => Promise<unknown> {
  return async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (error) {
      if (error instanceof vscode.CancellationError) return undefined;
      const user = toUserError(error, deps.context(), vscode.l10n);
      if (user.kind === 'cancelled') return undefined;
      deps.logger.error(`${id} failed: ${(error as Error)?.name ?? ''} ${(error as Error)?.message ?? String(error)}`);
      const showLog = vscode.l10n.t('Show Log');
      const message = vscode.l10n.t('SageMaker Notebooks: {0}', user.message);
      deps.shown(message);
      void vscode.window.showErrorMessage(message, showLog).then((choice) => {
        if (choice === showLog) deps.showLog();
      });
      return undefined;
    }
  };
}
