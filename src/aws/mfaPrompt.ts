import vscode = require('vscode');
import type { Ui } from '../shared/ui';

/** Asks for the code of a profile's MFA device; cancelling rejects with a CancellationError. */
export function mfaPrompt(ui: Ui): (profile: string, serial: string) => Promise<string> {
  return async (profile, serial) => {
    const code = await ui.input({
      title: vscode.l10n.t('MFA code for profile {0}', profile),
      prompt: vscode.l10n.t('Enter the code from the MFA device {0}', serial),
      ignoreFocusOut: true,
      validateInput: (v) => (/^\d{6}$/.test(v.trim()) ? undefined : vscode.l10n.t('Enter the six digits of the code')),
    });
    if (code === undefined) throw new vscode.CancellationError();
    return code.trim();
  };
}
