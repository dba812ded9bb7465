// What a local notebook remembers of its kernel (workspace state): enough to show its controller again and to
// reconnect on its next run without a request before then. Never a URL, a cookie or a token.
import type { NotebookInstance } from '../shared/instance';

/** The workspace-state key, read by the activation shell too (a workspace with bindings loads the services). */
export const BINDINGS_KEY = 'sagemakerNotebooks.kernelBindings';

export interface KernelSpecInfo {
  readonly name: string;
  readonly displayName: string;
  readonly language: string;
}

export interface KernelBinding {
  readonly profile: string;
  readonly arn: string;
  readonly name: string;
  readonly region: string;
  readonly spec: KernelSpecInfo;
}

export function bindingFor(
  profile: string,
  instance: Pick<NotebookInstance, 'arn' | 'name' | 'region'>,
  spec: KernelSpecInfo,
): KernelBinding {
  return {
    profile,
    arn: instance.arn,
    name: instance.name,
    region: instance.region,
    spec: { name: spec.name, displayName: spec.displayName, language: spec.language },
  };
}
