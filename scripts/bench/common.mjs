// Shared helpers of the benchmark: where the repository is, medians, and the rows of the result table.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const round = (x, digits = 1) => (Number.isFinite(x) ? Number(x.toFixed(digits)) : x);
export const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
export const ms = (x) => `${x.toFixed(1)} ms`;

/**
 * One row of the table. `limit` is what the value is held against (a number in the value's unit, measured in
 * the same run where it is a reference); `ratio` is value / reference; `ok` is true/false against the budget,
 * or 'info' for figures without one.
 * @param {{ measure: string, value: number, unit: string, shown?: string, limit?: number|null,
 *   limitShown?: string, ratio?: number|null, budget?: string, ok: boolean|'info', note?: string }} row
 */
export function row(row) {
  return { limit: null, ratio: null, ...row };
}

/** A row checked as value <= reference × budget; the ratio is value / reference. */
export function ratioRow({ measure, value, reference, budget, unit, format, note }) {
  const ratio = value / reference;
  return row({
    measure,
    value: round(value, 3),
    unit,
    shown: format(value),
    limit: round(reference * budget, 3),
    limitShown: `${budget}× ${format(reference)}`,
    ratio: round(ratio, 2),
    budget: `≤ ${budget}×`,
    ok: ratio <= budget,
    note,
  });
}

/** A row checked as value <= limit (counts). */
export function countRow({ measure, value, limit, unit = '', note, shown }) {
  return row({
    measure,
    value: round(value, 2),
    unit,
    shown: shown ?? `${round(value, 2)}${unit ? ` ${unit}` : ''}`,
    limit,
    limitShown: `${limit}${unit ? ` ${unit}` : ''}`,
    ratio: limit === 0 ? (value === 0 ? 0 : null) : round(value / limit, 2),
    budget: `≤ ${limit}`,
    ok: value <= limit,
    note,
  });
}

export function infoRow({ measure, value, unit = '', shown, limitShown = '—', ratio = null, note }) {
  return row({
    measure,
    value: round(value, 3),
    unit,
    shown: shown ?? `${value} ${unit}`.trim(),
    limitShown,
    ratio: ratio === null ? null : round(ratio, 2),
    ok: 'info',
    note,
  });
}
