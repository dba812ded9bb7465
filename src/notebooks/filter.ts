// The explorer's filter: a name substring and/or one status, applied to what was already fetched.
import type { NotebookInstance } from './model';

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

export function describeFilter(filter: InstanceFilter): string | undefined {
  const parts = [filter.text ? `"${filter.text}"` : undefined, filter.status].filter(Boolean);
  return parts.length ? `filter: ${parts.join(', ')}` : undefined;
}
