// The open settings as read from settings.json, with out-of-range values clamped and reported. Pure.
import type { NotebookInterface } from './urls';

/** `integratedBrowser` is VS Code's own browser tab, where this VS Code has one (checked at open time). */
export type OpenTarget = 'browser' | 'editor' | 'integratedBrowser';

const TARGETS: readonly OpenTarget[] = ['browser', 'editor', 'integratedBrowser'];

export interface OpenSettings {
  readonly target: OpenTarget;
  readonly ui: NotebookInterface;
  readonly sessionMinutes: number;
}

export const SESSION_MINUTES = { min: 30, max: 720, default: 720 } as const;

export function parseOpenSettings(raw: { openIn?: unknown; interface?: unknown; sessionDurationMinutes?: unknown }): { settings: OpenSettings; warnings: string[] } {
  const warnings: string[] = [];
  const target: OpenTarget = TARGETS.includes(raw.openIn as OpenTarget) ? (raw.openIn as OpenTarget) : 'browser';
  if (raw.openIn !== undefined && !TARGETS.includes(raw.openIn as OpenTarget)) {
    warnings.push(`sagemakerNotebooks.openIn must be "browser", "editor" or "integratedBrowser"; using "browser".`);
  }
  const ui: NotebookInterface = raw.interface === 'jupyter' ? 'jupyter' : 'jupyterlab';
  if (raw.interface !== undefined && raw.interface !== 'jupyter' && raw.interface !== 'jupyterlab') {
    warnings.push(`sagemakerNotebooks.interface must be "jupyterlab" or "jupyter"; using "jupyterlab".`);
  }
  let sessionMinutes: number = SESSION_MINUTES.default;
  const minutes = raw.sessionDurationMinutes;
  if (minutes !== undefined) {
    if (typeof minutes !== 'number' || !Number.isFinite(minutes)) {
      warnings.push(`sagemakerNotebooks.sessionDurationMinutes must be a number from ${SESSION_MINUTES.min} to ${SESSION_MINUTES.max}; using ${SESSION_MINUTES.default}.`);
    } else {
      sessionMinutes = Math.min(SESSION_MINUTES.max, Math.max(SESSION_MINUTES.min, Math.round(minutes)));
      if (sessionMinutes !== minutes) {
        warnings.push(`sagemakerNotebooks.sessionDurationMinutes ${minutes} is outside ${SESSION_MINUTES.min}–${SESSION_MINUTES.max}; using ${sessionMinutes}.`);
      }
    }
  }
  return { settings: { target, ui, sessionMinutes }, warnings };
}
