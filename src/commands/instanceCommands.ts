// Commands on an instance that need no SageMaker call: copy its name or ARN, open its console page.
import vscode = require('vscode');
import { consoleUrl } from '../aws/regions';
import type { Ui } from '../shared/ui';

export async function copyText(text: string, ui: Ui): Promise<void> {
  await vscode.env.clipboard.writeText(text);
  ui.statusMessage(vscode.l10n.t('Copied {0}', text), 3000);
}

/** The instance's console page; with only a region (the empty-region row), that region's list of instances. */
export async function openInConsole(target: { region: string; name?: string }, ui: Ui): Promise<void> {
  await ui.openExternal(consoleUrl(target.region, target.name));
}
