// Timer arithmetic for notebook sessions, from the wall clock and expiresAt only (never by counting ticks),
// so the figures are right after the machine sleeps or the clock jumps. Pure.
import { english, type L10n } from '../shared/l10n';
import type { NotebookSession } from './session';

export type SessionPhase = 'running' | 'warning' | 'expired';

const MINUTE = 60_000;
const LAST_MINUTES = 10 * MINUTE;

export function remaining(now: number, expiresAt: number): number {
  return Math.max(0, expiresAt - now);
}

/**
 * A reading nobody can take for another: `11h 59m`, `29m`, and `m:ss min` only in the last ten minutes.
 * Rounds up, so the time shows as ended only once it has.
 */
export function formatRemaining(ms: number, l10n: L10n = english): string {
  if (ms <= 0) return l10n.t('{0}:{1} min', 0, '00');
  if (ms <= LAST_MINUTES) {
    const seconds = Math.ceil(ms / 1000);
    return l10n.t('{0}:{1} min', Math.floor(seconds / 60), String(seconds % 60).padStart(2, '0'));
  }
  const minutes = Math.ceil(ms / MINUTE);
  const hours = Math.floor(minutes / 60);
  return hours ? l10n.t('{0}h {1}m', hours, minutes % 60) : l10n.t('{0}m', minutes);
}

/** The same time in words, for sentences: "30 minutes", "1 hour 5 minutes", "45 seconds". Rounds up. */
export function durationInWords(ms: number, l10n: L10n = english): string {
  if (ms < MINUTE) {
    const seconds = Math.max(0, Math.ceil(ms / 1000));
    return seconds === 1 ? l10n.t('1 second') : l10n.t('{0} seconds', seconds);
  }
  const total = Math.ceil(ms / MINUTE);
  const hours = Math.floor(total / 60);
  const minutes = total % 60;
  const h = hours === 1 ? l10n.t('1 hour') : l10n.t('{0} hours', hours);
  const m = minutes === 1 ? l10n.t('1 minute') : l10n.t('{0} minutes', minutes);
  if (!hours) return m;
  return minutes ? l10n.t('{0} {1}', h, m) : h;
}

export function phase(ms: number, warningMs: number): SessionPhase {
  if (ms <= 0) return 'expired';
  return ms <= warningMs ? 'warning' : 'running';
}

/**
 * How long until the shown text or phase next changes: the next whole minute (or second in the last ten
 * minutes), or the warning threshold, whichever is sooner. Never below 250 ms, so a skewed clock cannot spin.
 */
export function nextUpdateIn(ms: number, warningMs: number): number {
  if (ms <= 0) return Number.POSITIVE_INFINITY;
  const unit = ms <= LAST_MINUTES ? 1000 : MINUTE;
  let wait = ms % unit || unit;
  if (ms > warningMs) wait = Math.min(wait, ms - warningMs);
  if (ms > LAST_MINUTES) wait = Math.min(wait, ms - LAST_MINUTES);
  return Math.max(250, wait);
}

/** Sessions still running, soonest to end first. */
export function activeSessions(sessions: readonly NotebookSession[], now: number): NotebookSession[] {
  return sessions.filter((s) => s.expiresAt > now).sort((a, b) => a.expiresAt - b.expiresAt);
}

export interface StatusText {
  readonly text: string;
  readonly phase: SessionPhase;
  readonly accessibility: string;
}

/** The status bar text: the session that ends soonest, plus how many others there are. */
export function statusText(
  sessions: readonly NotebookSession[],
  now: number,
  warningMs: number,
  l10n: L10n = english,
): StatusText | undefined {
  const [first, ...others] = [...sessions].sort((a, b) => a.expiresAt - b.expiresAt);
  if (!first) return undefined;
  const ms = remaining(now, first.expiresAt);
  const p = phase(ms, warningMs);
  const more = others.length ? ` +${others.length}` : '';
  const icon = p === 'expired' ? '$(error)' : p === 'warning' ? '$(warning)' : '$(watch)';
  const left = p === 'expired' ? l10n.t('ended') : formatRemaining(ms, l10n);
  const rest = !others.length ? '' : others.length === 1 ? l10n.t(', 1 more session') : l10n.t(', {0} more sessions', others.length);
  return {
    text: `${icon} ${first.name} ${left}${more}`,
    phase: p,
    accessibility:
      p === 'expired'
        ? l10n.t('Notebook session {0} has ended{1}', first.name, rest)
        : l10n.t('Notebook session {0}, {1} left{2}', first.name, durationInWords(ms, l10n), rest),
  };
}
