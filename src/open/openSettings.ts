// The open settings as read from settings.json, with out-of-range values clamped and reported. Pure.
import type { NotebookInterface } from './urls';

export type OpenTarget = 'browser' | 'editor';

export interface OpenSettings {
  readonly target: OpenTarget;
  readonly ui: NotebookInterface;
  readonly sessionMinutes: number;
}

export const SESSION_MINUTES = { min: 30, max: 720, default: 720 } as const;

export function parseOpenSettings(raw: { openIn?: unknown; interface?: unknown; sessionDurationMinutes?: unknown }): { settings: OpenSettings; warnings: string[] } {
  const warnings: string[] = [];
  const target: OpenTarget = raw.openIn === 'editor' ? 'editor' : 'browser';
  if (raw.openIn !== undefined && raw.openIn !== 'browser' && raw.openIn !== 'editor') {
    warnings.push(`sagemakerNotebooks.openIn must be "browser" or "editor"; using "browser".`);
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
