// Commands that open, start and stop an instance, from a tree row or, without one, from a quick pick.
import vscode = require('vscode');
import { UserFacingError } from '../aws/errors';
import type { NotebookInstance } from '../shared/instance';
import type { InstancesTreeProvider } from '../notebooks/instancesTree';
import type { NotebookOpener, OpenOptions } from '../open/opener';
import type { ExplorerNode } from '../notebooks/instancesTree';
import type { Ui } from '../shared/ui';

export function instanceOf(node: unknown): NotebookInstance | undefined {
  const n = node as ExplorerNode | undefined;
  return n?.kind === 'instance' ? n.instance : undefined;
}

const STATUS_ORDER = ['InService', 'Pending', 'Updating', 'Stopping', 'Stopped', 'Failed', 'Deleting'];

/** The row's instance, or one the user picks among all active regions (InService first). */
export async function chooseInstance({ tree, ui }: { tree: InstancesTreeProvider; ui: Ui }, node: unknown, placeHolder: string, accept: (i: NotebookInstance) => boolean = () => true): Promise<NotebookInstance | undefined> {
  const fromNode = instanceOf(node);
  if (fromNode) return tree.findInstance(fromNode.arn) ?? (node as { instance: NotebookInstance }).instance;
  const all = await ui.progress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Listing notebook instances…') }, () => tree.loadAll());
  const candidates = all.filter(accept).sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  if (!candidates.length) {
    throw new UserFacingError(all.length ? vscode.l10n.t('No notebook instance is in a state for this action.') : vscode.l10n.t('No notebook instances found. Check the profile and regions in the SageMaker Notebooks view.'));
  }
  const regions = new Set(candidates.map((i) => i.region));
  const picked = await ui.pick(
    candidates.map((instance) => ({
      label: instance.name,
      description: [instance.status, instance.instanceType, regions.size > 1 ? instance.region : undefined].filter(Boolean).join(' · '),
      instance,
    })),
    { placeHolder, matchOnDescription: true },
  );
  return picked?.instance;
}

function rank(i: NotebookInstance): number {
  const r = STATUS_ORDER.indexOf(i.status);
  return r < 0 ? STATUS_ORDER.length : r;
}

export function openCommand(deps: { tree: InstancesTreeProvider; ui: Ui }, opener: NotebookOpener, options: OpenOptions = {}) {
  return async (node?: unknown) => {
    const instance = await chooseInstance(deps, node, vscode.l10n.t('Notebook instance to open'));
    if (instance) await opener.open(instance, options);
  };
}

export function startCommand(deps: { tree: InstancesTreeProvider; ui: Ui }, opener: NotebookOpener) {
  return async (node?: unknown) => {
    const instance = await chooseInstance(deps, node, vscode.l10n.t('Notebook instance to start'), (i) => i.status === 'Stopped' || i.status === 'Failed');
    if (instance) await opener.start(instance);
  };
}

export function stopCommand(deps: { tree: InstancesTreeProvider; ui: Ui }, opener: NotebookOpener) {
  return async (node?: unknown) => {
    const instance = await chooseInstance(deps, node, vscode.l10n.t('Notebook instance to stop'), (i) => i.status === 'InService');
    if (instance) await opener.stop(instance);
  };
}
