// ListNotebookInstances: filtering, sorting and NextToken paging. The token is opaque to clients but
// bound to the query it came from, because AWS requires the same filter and sort on every page.
import { createHash } from 'node:crypto';
import { validationError } from './protocol';
import type { InstanceRecord } from './seed';
import type { ListQuery } from './validate';

export const DEFAULT_TOKEN_TTL_MS = 60 * 60 * 1000;

export interface ListPage {
  items: InstanceRecord[];
  nextToken?: string;
}

/** Tokens carry when they were issued and expire, as SageMaker's do; a page can come back empty with a token. */
export interface Paging {
  now: number;
  tokenTtlMs: number;
  /** Answer this request with no instances but a token for the same place (SageMaker does this at times). */
  emptyPage?: boolean;
}

function matches(record: InstanceRecord, q: ListQuery): boolean {
  if (q.nameContains !== undefined && !record.name.toLowerCase().includes(q.nameContains.toLowerCase())) return false;
  if (q.statusEquals !== undefined && record.status !== q.statusEquals) return false;
  if (q.creationTimeBefore !== undefined && !(record.creationTime < q.creationTimeBefore)) return false;
  if (q.creationTimeAfter !== undefined && !(record.creationTime > q.creationTimeAfter)) return false;
  if (q.lastModifiedTimeBefore !== undefined && !(record.lastModifiedTime < q.lastModifiedTimeBefore)) return false;
  if (q.lastModifiedTimeAfter !== undefined && !(record.lastModifiedTime > q.lastModifiedTimeAfter)) return false;
  return true;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Ties fall back to the name, so pages never overlap or skip when many instances share a time. */
function comparator(sortBy: ListQuery['sortBy']): (a: InstanceRecord, b: InstanceRecord) => number {
  const byName = (a: InstanceRecord, b: InstanceRecord) => compareStrings(a.name, b.name);
  switch (sortBy) {
    case 'Name':
      return byName;
    case 'Status':
      return (a, b) => compareStrings(a.status, b.status) || byName(a, b);
    case 'CreationTime':
      return (a, b) => a.creationTime - b.creationTime || byName(a, b);
  }
}

/** Everything but the paging fields, so a token cannot be replayed against a different query. */
function fingerprint(q: ListQuery): string {
  const { nextToken: _token, maxResults: _max, ...rest } = q;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex').slice(0, 16);
}

function encodeToken(offset: number, q: ListQuery, now: number): string {
  return Buffer.from(JSON.stringify({ o: offset, f: fingerprint(q), t: now })).toString('base64');
}

function decodeToken(token: string, q: ListQuery, paging: Paging): number {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const { o, f, t } = (decoded ?? {}) as { o?: unknown; f?: unknown; t?: unknown };
  if (typeof o !== 'number' || !Number.isInteger(o) || o < 0 || f !== fingerprint(q) || typeof t !== 'number') {
    throw validationError('Invalid pagination token. The token is either malformed or does not match the request.');
  }
  if (paging.now - t > paging.tokenTtlMs)
    throw validationError('The pagination token has expired. Start the listing again without a NextToken.');
  return o;
}

export function listPage(
  records: InstanceRecord[],
  q: ListQuery,
  paging: Paging = { now: Date.now(), tokenTtlMs: DEFAULT_TOKEN_TTL_MS },
): ListPage {
  const offset = q.nextToken === undefined ? 0 : decodeToken(q.nextToken, q, paging);
  const compare = comparator(q.sortBy);
  const sorted = records.filter((r) => matches(r, q)).sort(q.sortOrder === 'Ascending' ? compare : (a, b) => compare(b, a));
  if (paging.emptyPage) return { items: [], nextToken: encodeToken(offset, q, paging.now) };
  const items = sorted.slice(offset, offset + q.maxResults);
  const end = offset + items.length;
  return { items, nextToken: end < sorted.length ? encodeToken(end, q, paging.now) : undefined };
}
