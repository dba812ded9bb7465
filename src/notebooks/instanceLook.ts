// Pure description of how an instance looks in the tree. The provider turns it into a vscode.TreeItem,
// so this mapping is testable without VS Code.
import { escapeMarkdown, escapeTableCell } from '../shared/markdown';
import { english, type L10n } from '../shared/l10n';
import { isKnownStatus, isTransitional, statusContext, type NotebookInstance } from '../shared/instance';

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
  /** Whether a click runs Open: an InService instance opens, a Stopped one asks to start and open. */
  readonly opensOnClick: boolean;
}

const ICONS: Record<string, { icon: string; color?: string; obvious: boolean }> = {
  InService: { icon: 'vm-running', color: 'testing.iconPassed', obvious: true },
  Stopped: { icon: 'vm-outline', color: 'disabledForeground', obvious: true },
  Pending: { icon: 'loading~spin', color: 'charts.yellow', obvious: false },
  Stopping: { icon: 'loading~spin', color: 'charts.yellow', obvious: false },
  Updating: { icon: 'sync~spin', color: 'charts.blue', obvious: false },
  Deleting: { icon: 'loading~spin', color: 'errorForeground', obvious: false },
  Failed: { icon: 'error', color: 'errorForeground', obvious: false },
  PendingMaintenance: { icon: 'clock', color: 'charts.yellow', obvious: false },
  InMaintenance: { icon: 'gear~spin', color: 'charts.orange', obvious: false },
};

export function instanceLook(instance: NotebookInstance, now: Date = new Date(), l10n: L10n = english): InstanceLook {
  const known = ICONS[instance.status] ?? { icon: 'question', obvious: false };
  // Status first, where the icon does not say it: it is what a narrow sidebar must not cut. The `ml.` that
  // every notebook instance type starts with is left to the tooltip.
  // An InService instance also says how long it has been running (since it last changed status, which for
  // InService is when it started), so a forgotten one is noticed; an Amazon Linux 2 one is marked.
  const running =
    instance.status === 'InService' && instance.lastModifiedTime ? shortDuration(instance.lastModifiedTime, now, l10n) : undefined;
  const al2 = instance.platformIdentifier?.startsWith('notebook-al2-') ? 'AL2' : undefined;
  const parts = [
    known.obvious ? undefined : instance.status,
    instance.instanceType?.replace(/^ml\./, ''),
    al2,
    running && l10n.t('up {0}', running),
  ].filter(Boolean);
  return {
    id: instance.arn,
    label: instance.name,
    description: parts.join(' · '),
    icon: known.icon,
    color: known.color,
    contextValue: `notebook.${statusContext(instance.status)}`,
    tooltip: tooltipMarkdown(instance, now, l10n),
    accessibilityLabel: [instance.name, instance.status, instance.instanceType].filter(Boolean).join(', '),
    opensOnClick: instance.status === 'InService' || instance.status === 'Stopped',
  };
}

function tooltipMarkdown(i: NotebookInstance, now: Date, l10n: L10n): string {
  const rows: [string, string | undefined][] = [
    [l10n.t('Status'), isTransitional(i.status) ? l10n.t('{0} (updating automatically)', i.status) : i.status],
    ['', statusNote(i.status, l10n)],
    [l10n.t('Failure reason'), i.failureReason],
    [l10n.t('Instance type'), i.instanceType],
    [
      l10n.t('Running for'),
      i.status === 'InService' && i.lastModifiedTime
        ? l10n.t(
            '{0} (since {1})',
            shortDuration(i.lastModifiedTime, now, l10n),
            i.lastModifiedTime
              .toISOString()
              .replace('T', ' ')
              .replace(/\.\d+Z$/, ' UTC'),
          )
        : undefined,
    ],
    [l10n.t('Platform'), i.platformIdentifier && platformText(i.platformIdentifier, l10n)],
    [l10n.t('Region'), i.region],
    ['ARN', i.arn ? `\`${i.arn}\`` : undefined],
    [l10n.t('Host'), i.url],
    [l10n.t('Created'), i.creationTime && timeText(i.creationTime, now, l10n)],
    [l10n.t('Last modified'), i.lastModifiedTime && timeText(i.lastModifiedTime, now, l10n)],
  ];
  const lines = rows.filter(([, v]) => v).map(([k, v]) => `| ${k} | ${escapeTableCell(v!)} |`);
  const hint =
    i.status === 'InService' ? l10n.t('Click to open.') : i.status === 'Stopped' ? l10n.t('Click to start and open.') : undefined;
  return [`**${escapeMarkdown(i.name)}**`, '', '| | |', '|---|---|', ...lines, ...(hint ? ['', hint] : [])].join('\n');
}

/** Why an instance offers no action, for the statuses where that is not obvious. */
function statusNote(status: string, l10n: L10n): string | undefined {
  if (status === 'PendingMaintenance')
    return l10n.t(
      'SageMaker has scheduled maintenance of this instance: it cannot be opened, started or stopped until the maintenance is over.',
    );
  if (status === 'InMaintenance')
    return l10n.t('SageMaker is maintaining this instance: it cannot be opened, started or stopped until the maintenance is over.');
  if (!isKnownStatus(status)) return l10n.t('A status this version of the extension does not know: no action is offered until it changes.');
  return undefined;
}

/** `notebook-al2-v3 (Amazon Linux 2: migrate to Amazon Linux 2023)`; AL2023 as it is. */
export function platformText(platform: string, l10n: L10n = english): string {
  if (platform.startsWith('notebook-al2-'))
    return l10n.t('{0} ⚠ Amazon Linux 2, being retired: use Migrate to Amazon Linux 2023', platform);
  if (platform.startsWith('notebook-al2023')) return l10n.t('{0} (Amazon Linux 2023)', platform);
  return platform;
}

/** `45 min`, `3 h 5 min`, `2 d 4 h`: how long, compact enough for a row's description. */
export function shortDuration(since: Date, now: Date, l10n: L10n = english): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - since.getTime()) / 60_000));
  if (minutes < 1) return l10n.t('<1 min');
  if (minutes < 60) return l10n.t('{0} min', minutes);
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? l10n.t('{0} h {1} min', hours, minutes % 60) : l10n.t('{0} h', hours);
  const days = Math.floor(hours / 24);
  return hours % 24 ? l10n.t('{0} d {1} h', days, hours % 24) : l10n.t('{0} d', days);
}

export function timeText(when: Date, now: Date, l10n: L10n = english): string {
  return `${relativeTime(when, now, l10n)} (${when
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC')})`;
}

export function relativeTime(when: Date, now: Date, l10n: L10n = english): string {
  const seconds = Math.round((now.getTime() - when.getTime()) / 1000);
  const future = seconds < 0;
  const abs = Math.abs(seconds);
  // One string per form, each with its count, so translators can write any plural rule.
  const units: [number, (n: number) => string][] = [
    [86400 * 365, (n) => (n === 1 ? l10n.t('1 year') : l10n.t('{0} years', n))],
    [86400 * 30, (n) => (n === 1 ? l10n.t('1 month') : l10n.t('{0} months', n))],
    [86400, (n) => (n === 1 ? l10n.t('1 day') : l10n.t('{0} days', n))],
    [3600, (n) => (n === 1 ? l10n.t('1 hour') : l10n.t('{0} hours', n))],
    [60, (n) => (n === 1 ? l10n.t('1 minute') : l10n.t('{0} minutes', n))],
  ];
  for (const [size, text] of units) {
    if (abs >= size) {
      const n = Math.floor(abs / size);
      return future ? l10n.t('in {0}', text(n)) : l10n.t('{0} ago', text(n));
    }
  }
  return l10n.t('just now');
}
