// Figures of the in-VS Code benchmarks, merged into the JSON file named by SMN_BENCH_RESULTS, which
// scripts/bench.mjs reads after the suite. A figure is only written when it was measured.
import * as fs from 'fs';

export function recordFigures(group: string, values: Record<string, unknown>): void {
  const file = process.env.SMN_BENCH_RESULTS;
  if (!file) return;
  const all = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  all[group] = { ...(all[group] as Record<string, unknown> | undefined), ...values };
  fs.writeFileSync(file, JSON.stringify(all, null, 2));
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A window length from the environment (SMN_BENCH_WINDOW_MS), so a quick run can shorten it. */
export function windowMs(fallback: number): number {
  const value = Number(process.env.SMN_BENCH_WINDOW_MS);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}
