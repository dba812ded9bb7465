// Commands that open, start and stop an instance, from a tree row or, without one, from a quick pick.
import vscode = require('vscode');
import { statusRule } from '../shared/instance';
import { chooseInstance, type Choosing } from '../notebooks/chooseInstance';
import type { NotebookOpener, OpenOptions } from '../open/opener';

export function openCommand(deps: Choosing, opener: NotebookOpener, options: OpenOptions = {}) {
  return async (node?: unknown) => {
    const instance = await chooseInstance(deps, node, vscode.l10n.t('Notebook instance to open'));
    if (instance) await opener.open(instance, options);
  };
}

export function startCommand(deps: Choosing, opener: NotebookOpener) {
  return async (node?: unknown) => {
    const instance = await chooseInstance(deps, node, vscode.l10n.t('Notebook instance to start'), (i) => statusRule(i.status).start);
    if (instance) await opener.startInstance(instance);
  };
}

export function stopCommand(deps: Choosing, opener: NotebookOpener) {
  return async (node?: unknown) => {
    const instance = await chooseInstance(deps, node, vscode.l10n.t('Notebook instance to stop'), (i) => statusRule(i.status).stop);
    if (instance) await opener.confirmAndStop(instance);
  };
}
