// The explorer's filter: a name substring and/or one status, applied to what was already fetched.
import { english, type L10n } from '../shared/l10n';
import type { NotebookInstance } from '../shared/instance';

export interface InstanceFilter {
  readonly text?: string;
  readonly status?: string;
}

export function isActive(filter: InstanceFilter): boolean {
  return !!(filter.text || filter.status);
}

export function applyFilter(instances: readonly NotebookInstance[], filter: InstanceFilter): NotebookInstance[] {
  const text = filter.text?.toLowerCase();
  return instances.filter((i) => (!text || i.name.toLowerCase().includes(text)) && (!filter.status || i.status === filter.status));
}

/**
 * The active filter in words, for the view's message line above the rows: the title bar's description is
 * cut off in a default-width sidebar, and an icon change alone is easy to miss.
 */
export function describeFilter(filter: InstanceFilter, l10n: L10n = english): string | undefined {
  if (filter.text && filter.status) return l10n.t('Filtered: names containing "{0}", status {1}', filter.text, filter.status);
  if (filter.text) return l10n.t('Filtered: names containing "{0}"', filter.text);
  if (filter.status) return l10n.t('Filtered: status {0}', filter.status);
  return undefined;
}
