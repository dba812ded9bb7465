// Which instance a command is about: the tree row it was run on, or one the user picks among every active
// region (InService first, labels are the instance names), as every command on an instance asks.
import vscode = require('vscode');
import { UserFacingError } from '../aws/errors';
import type { NotebookInstance } from '../shared/instance';
import type { Ui } from '../shared/ui';
import type { InstanceStore } from './instanceStore';
import type { ExplorerNode } from './instancesTree';

export function instanceOf(node: unknown): NotebookInstance | undefined {
  const n = node as ExplorerNode | undefined;
  return n?.kind === 'instance' ? n.instance : undefined;
}

/** What choosing an instance needs: the instances known (fetched if need be) and the UI to ask with. */
export interface Choosing {
  readonly instances: Pick<InstanceStore, 'findInstance' | 'loadAll'>;
  readonly ui: Ui;
}

const STATUS_ORDER = ['InService', 'Pending', 'Updating', 'Stopping', 'Stopped', 'Failed', 'Deleting'];

/** The row's instance, or one the user picks among all active regions (InService first). */
export async function chooseInstance(
  { instances, ui }: Choosing,
  node: unknown,
  placeHolder: string,
  accept: (i: NotebookInstance) => boolean = () => true,
): Promise<NotebookInstance | undefined> {
  const fromNode = instanceOf(node);
  if (fromNode) return instances.findInstance(fromNode.arn) ?? (node as { instance: NotebookInstance }).instance;
  const all = await ui.progress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Listing notebook instances…') }, () =>
    instances.loadAll(),
  );
  const candidates = all.filter(accept).sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  if (!candidates.length) {
    throw new UserFacingError(
      all.length
        ? vscode.l10n.t('No notebook instance is in a state for this action.')
        : vscode.l10n.t('No notebook instances found. Check the profile and regions in the SageMaker Notebooks view.'),
    );
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
