// Pure description of how an instance looks in the tree. The provider turns it into a vscode.TreeItem,
// so this mapping is testable without VS Code.
import { isTransitional, statusContext, type NotebookInstance } from './model';

export interface InstanceLook {
  readonly id: string;
  readonly label: string;
  readonly description: string;
  /** Codicon id, e.g. `vm-running`; `~spin` suffix for transitional states. */
  readonly icon: string;
  /** Theme colour id, or undefined for the default foreground. */
  readonly color?: string;
  readonly contextValue: string;
  readonly tooltip: string;
  readonly accessibilityLabel: string;
}

const ICONS: Record<string, { icon: string; color?: string; obvious: boolean }> = {
  InService: { icon: 'vm-running', color: 'testing.iconPassed', obvious: true },
  Stopped: { icon: 'vm-outline', color: 'disabledForeground', obvious: true },
  Pending: { icon: 'loading~spin', color: 'charts.yellow', obvious: false },
  Stopping: { icon: 'loading~spin', color: 'charts.yellow', obvious: false },
  Updating: { icon: 'sync~spin', color: 'charts.blue', obvious: false },
  Deleting: { icon: 'loading~spin', color: 'errorForeground', obvious: false },
  Failed: { icon: 'error', color: 'errorForeground', obvious: false },
};

export function instanceLook(instance: NotebookInstance, now: Date = new Date()): InstanceLook {
  const known = ICONS[instance.status] ?? { icon: 'question', obvious: false };
  const parts = [instance.instanceType, known.obvious ? undefined : instance.status].filter(Boolean);
  return {
    id: instance.arn,
    label: instance.name,
    description: parts.join(' · '),
    icon: known.icon,
    color: known.color,
    contextValue: `notebook.${statusContext(instance.status)}`,
    tooltip: tooltipMarkdown(instance, now),
    accessibilityLabel: `${instance.name}, ${instance.status}${instance.instanceType ? `, ${instance.instanceType}` : ''}`,
  };
}

function tooltipMarkdown(i: NotebookInstance, now: Date): string {
  const rows: [string, string | undefined][] = [
    ['Status', i.status + (isTransitional(i.status) ? ' (updating automatically)' : '')],
    ['Failure reason', i.failureReason],
    ['Instance type', i.instanceType],
    ['Region', i.region],
    ['ARN', i.arn ? `\`${i.arn}\`` : undefined],
    ['Host', i.url],
    ['Created', i.creationTime && timeText(i.creationTime, now)],
    ['Last modified', i.lastModifiedTime && timeText(i.lastModifiedTime, now)],
  ];
  const lines = rows.filter(([, v]) => v).map(([k, v]) => `| ${k} | ${escapeCell(v!)} |`);
  return [`**${escapeMd(i.name)}**`, '', '| | |', '|---|---|', ...lines].join('\n');
}

export function timeText(when: Date, now: Date): string {
  return `${relativeTime(when, now)} (${when.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')})`;
}

export function relativeTime(when: Date, now: Date): string {
  const seconds = Math.round((now.getTime() - when.getTime()) / 1000);
  const future = seconds < 0;
  const abs = Math.abs(seconds);
  const units: [number, string][] = [[86400 * 365, 'year'], [86400 * 30, 'month'], [86400, 'day'], [3600, 'hour'], [60, 'minute']];
  for (const [size, unit] of units) {
    if (abs >= size) {
      const n = Math.floor(abs / size);
      const text = `${n} ${unit}${n === 1 ? '' : 's'}`;
      return future ? `in ${text}` : `${text} ago`;
    }
  }
  return 'just now';
}

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
