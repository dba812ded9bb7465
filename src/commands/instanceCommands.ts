// Context-menu commands on an instance row that need no SageMaker call.
import vscode = require('vscode');
import { consoleUrl } from '../aws/regions';
import type { ExplorerNode } from '../notebooks/instancesTree';

export function instanceOf(node: unknown): { name: string; arn: string; region: string } | undefined {
  const n = node as ExplorerNode | undefined;
  return n?.kind === 'instance' ? n.instance : undefined;
}

export async function copyName(node: unknown): Promise<void> {
  const instance = instanceOf(node);
  if (!instance) return;
  await vscode.env.clipboard.writeText(instance.name);
  vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', instance.name), 3000);
}

export async function copyArn(node: unknown): Promise<void> {
  const instance = instanceOf(node);
  if (!instance) return;
  await vscode.env.clipboard.writeText(instance.arn);
  vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', instance.arn), 3000);
}

/** Opens the instance's console page; from the empty-region row, the region's list of instances. */
export async function openInConsole(node: unknown, openExternal: (uri: vscode.Uri) => Thenable<boolean>): Promise<void> {
  const instance = instanceOf(node);
  const region = instance?.region ?? (node as { region?: string } | undefined)?.region;
  if (!region) return;
  await openExternal(vscode.Uri.parse(consoleUrl(region, instance?.name), true));
}
