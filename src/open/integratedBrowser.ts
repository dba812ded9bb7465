// VS Code's Integrated Browser, a third place to open a notebook, where this VS Code has one (1.10x forks
// and older versions do not): checked at run time, and offered through a context key.
import vscode = require('vscode');

const INTEGRATED_BROWSER = 'workbench.action.browser.open';

export async function hasIntegratedBrowser(): Promise<boolean> {
  return (await vscode.commands.getCommands(true)).includes(INTEGRATED_BROWSER);
}

/** Sets the context key that enables "Open in Integrated Browser". */
export function updateIntegratedBrowserContext(): void {
  void hasIntegratedBrowser().then((has) => vscode.commands.executeCommand('setContext', 'sagemakerNotebooks.integratedBrowser', has));
}

/** Opens the URL (a string, like openExternal: never re-encoded) in the Integrated Browser; false when there is none. */
export async function openInIntegratedBrowser(url: string): Promise<boolean> {
  if (!(await hasIntegratedBrowser())) return false;
  await vscode.commands.executeCommand(INTEGRATED_BROWSER, url);
  return true;
}
