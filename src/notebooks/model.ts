// Plain data for a notebook instance as the explorer knows it; no vscode, no SDK types.

export const STATUSES = ['Pending', 'InService', 'Stopping', 'Stopped', 'Failed', 'Deleting', 'Updating'] as const;
export type NotebookStatus = (typeof STATUSES)[number];

export interface NotebookInstance {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly status: NotebookStatus | string;
  readonly instanceType?: string;
  readonly url?: string;
  readonly failureReason?: string;
  readonly creationTime?: Date;
  readonly lastModifiedTime?: Date;
}

const TRANSITIONAL: ReadonlySet<string> = new Set(['Pending', 'Stopping', 'Deleting', 'Updating']);

/** A status that will change by itself, so the explorer keeps watching the instance. */
export function isTransitional(status: string): boolean {
  return TRANSITIONAL.has(status);
}

/** The contextValue segment for a status: `notebook.inService`, `notebook.stopped`, … */
export function statusContext(status: string): string {
  return status ? status.charAt(0).toLowerCase() + status.slice(1) : 'unknown';
}
