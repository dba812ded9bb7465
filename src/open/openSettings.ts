// The open settings as read from settings.json, with out-of-range values clamped and reported. Pure.
import { english, type L10n } from '../shared/l10n';
import type { NotebookInterface } from '../shared/openChoice';

import type { OpenTarget } from '../shared/openChoice';
export type { OpenTarget };

const TARGETS: readonly OpenTarget[] = ['browser', 'editor', 'integratedBrowser'];

export interface OpenSettings {
  readonly target: OpenTarget;
  readonly ui: NotebookInterface;
  readonly sessionMinutes: number;
}

export const SESSION_MINUTES = { min: 30, max: 720, default: 720 } as const;

export function parseOpenSettings(
  raw: { openIn?: unknown; interface?: unknown; sessionDurationMinutes?: unknown },
  l10n: L10n = english,
): { settings: OpenSettings; warnings: string[] } {
  const warnings: string[] = [];
  const target: OpenTarget = TARGETS.includes(raw.openIn as OpenTarget) ? (raw.openIn as OpenTarget) : 'browser';
  if (raw.openIn !== undefined && !TARGETS.includes(raw.openIn as OpenTarget)) {
    warnings.push(l10n.t('sagemakerNotebooks.openIn must be "browser", "editor" or "integratedBrowser"; using "browser".'));
  }
  const ui: NotebookInterface = raw.interface === 'jupyter' ? 'jupyter' : 'jupyterlab';
  if (raw.interface !== undefined && raw.interface !== 'jupyter' && raw.interface !== 'jupyterlab') {
    warnings.push(l10n.t('sagemakerNotebooks.interface must be "jupyterlab" or "jupyter"; using "jupyterlab".'));
  }
  let sessionMinutes: number = SESSION_MINUTES.default;
  const minutes = raw.sessionDurationMinutes;
  if (minutes !== undefined) {
    if (typeof minutes !== 'number' || !Number.isFinite(minutes)) {
      warnings.push(
        l10n.t(
          'sagemakerNotebooks.sessionDurationMinutes must be a number from {0} to {1}; using {2}.',
          SESSION_MINUTES.min,
          SESSION_MINUTES.max,
          SESSION_MINUTES.default,
        ),
      );
    } else {
      sessionMinutes = Math.min(SESSION_MINUTES.max, Math.max(SESSION_MINUTES.min, Math.round(minutes)));
      if (sessionMinutes !== minutes) {
        warnings.push(
          l10n.t(
            'sagemakerNotebooks.sessionDurationMinutes {0} is outside {1}–{2}; using {3}.',
            minutes,
            SESSION_MINUTES.min,
            SESSION_MINUTES.max,
            sessionMinutes,
          ),
        );
      }
    }
  }
  return { settings: { target, ui, sessionMinutes }, warnings };
}
