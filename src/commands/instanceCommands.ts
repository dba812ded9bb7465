// Commands on an instance that need no SageMaker call: copy its name or ARN, open its console page.
import vscode = require('vscode');
import { consoleUrl } from '../aws/regions';

export async function copyText(text: string): Promise<void> {
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', text), 3000);
}

/** The instance's console page; with only a region (the empty-region row), that region's list of instances. */
export async function openInConsole(target: { region: string; name?: string }, openExternal: (url: string) => Thenable<boolean>): Promise<void> {
  await openExternal(consoleUrl(target.region, target.name));
}
