// Plain data for a notebook instance as the explorer knows it; no vscode, no SDK types.

/** Every NotebookInstanceStatus of the SDK's model (@aws-sdk/client-sagemaker, enums.d.ts). */
export const STATUSES = [
  'Pending',
  'InService',
  'Stopping',
  'Stopped',
  'Failed',
  'Deleting',
  'Updating',
  'PendingMaintenance',
  'InMaintenance',
] as const;
export type NotebookStatus = (typeof STATUSES)[number];

export interface NotebookInstance {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  /** A NotebookStatus, or one a newer SDK adds (shown as is). */
  readonly status: string;
  readonly instanceType?: string;
  readonly url?: string;
  readonly failureReason?: string;
  readonly creationTime?: Date;
  readonly lastModifiedTime?: Date;
  /** Known from a Describe only (the list summary has no platform): `notebook-al2023-v1`, `notebook-al2-v3`, … */
  readonly platformIdentifier?: string;
}

/** What can be asked of an instance in a status without the call being refused. */
export interface StatusRule {
  /** SageMaker moves it on by itself, so the explorer keeps watching it. */
  readonly changesByItself: boolean;
  /** Open is offered: it opens at once, or asks to start, or waits (the opener handles every such status). */
  readonly open: boolean;
  readonly start: boolean;
  readonly stop: boolean;
}

// From the API documentation in the SDK's model: a presigned URL needs InService ("A notebook instance's
// status must be InService before you can connect"), StartNotebookInstance launches a stopped (or failed)
// instance, StopNotebookInstance terminates a running one. Nothing there lets a caller start, stop or
// connect to an instance under maintenance, and SageMaker ends maintenance by itself, so both maintenance
// statuses offer no action and are watched until they settle.
const RULES: Record<NotebookStatus, StatusRule> = {
  InService: { changesByItself: false, open: true, start: false, stop: true },
  Stopped: { changesByItself: false, open: true, start: true, stop: false },
  Failed: { changesByItself: false, open: false, start: true, stop: false },
  Pending: { changesByItself: true, open: true, start: false, stop: false },
  Stopping: { changesByItself: true, open: true, start: false, stop: false },
  Updating: { changesByItself: true, open: true, start: false, stop: false },
  Deleting: { changesByItself: true, open: false, start: false, stop: false },
  PendingMaintenance: { changesByItself: true, open: false, start: false, stop: false },
  InMaintenance: { changesByItself: true, open: false, start: false, stop: false },
};

/** A status a newer SDK adds: shown as it is, watched until it becomes one we know, no action that could fail. */
const UNKNOWN: StatusRule = { changesByItself: true, open: false, start: false, stop: false };

export function isKnownStatus(status: string): status is NotebookStatus {
  return Object.hasOwn(RULES, status);
}

export function statusRule(status: string): StatusRule {
  return isKnownStatus(status) ? RULES[status] : UNKNOWN;
}

/** A status that will change by itself, so the explorer keeps watching the instance. */
export function isTransitional(status: string): boolean {
  return statusRule(status).changesByItself;
}

/**
 * An instance on its way out of service, or out of it: its notebook sessions and Jupyter connection end.
 * (Updating follows a stop; maintenance keeps the server running until SageMaker stops it.)
 */
export function endsSessions(status: string): boolean {
  return status === 'Stopping' || status === 'Stopped' || status === 'Failed' || status === 'Deleting';
}

/** The contextValue segment for a status: `notebook.inService`, `notebook.stopped`, … */
export function statusContext(status: string): string {
  return status ? status.charAt(0).toLowerCase() + status.slice(1) : 'unknown';
}
