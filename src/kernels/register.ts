// The kernels feature's wiring, so main.ts adds one call: the controllers, the remembered local notebooks,
// and the commands (Use Kernels in VS Code, Restart Kernel, Shut Down Kernel).
import vscode = require('vscode');
import { KernelControllers, type KernelsDeps } from './kernels';
import type { NotebookInstance } from '../shared/instance';

export interface RegisterKernelsDeps extends KernelsDeps {
  /** The row's instance, or one the user picks (the palette). */
  readonly chooseInstance: (node: unknown, placeHolder: string) => Promise<NotebookInstance | undefined>;
}

export function registerKernels(deps: RegisterKernelsDeps): {
  kernels: KernelControllers;
  commands: Record<string, (...args: any[]) => unknown>;
} {
  const kernels = new KernelControllers(deps);
  kernels.restore();
  return {
    kernels,
    commands: {
      'sagemakerNotebooks.connectKernels': async (node?: unknown) => {
        const instance = await deps.chooseInstance(node, vscode.l10n.t('Notebook instance whose kernels to use in VS Code'));
        if (instance) await kernels.connect(instance);
      },
      'sagemakerNotebooks.restartKernel': (target?: unknown) => kernels.restart(target),
      'sagemakerNotebooks.shutdownKernel': (target?: unknown) => kernels.shutdown(target),
    },
  };
}
