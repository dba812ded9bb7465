import * as vscode from 'vscode';
import type { ConnectionSettings } from './aws/connection';
import { parseOpenSettings, type OpenSettings } from './open/openSettings';

/**
 * Reads the connection settings. `endpoint` is machine-scoped and `profile` is a restricted setting
 * (package.json capabilities), so VS Code itself ignores them in a workspace's own settings where that
 * workspace could redirect credentials or URLs.
 */
export function readSettings(): ConnectionSettings {
  const config = vscode.workspace.getConfiguration('sagemakerNotebooks');
  const text = (key: string) => {
    const value = config.get<unknown>(key);
    return typeof value === 'string' && value.trim() ? value.trim() : undefined;
  };
  const regions = config.get<unknown>('regions');
  return {
    profile: text('profile'),
    regions: Array.isArray(regions) ? regions.filter((r): r is string => typeof r === 'string' && !!r.trim()).map((r) => r.trim()) : [],
    endpoint: text('endpoint'),
  };
}

/** The open settings, clamped; each problem is reported once per distinct message. */
export function readOpenSettings(warn: (message: string) => void): OpenSettings {
  const config = vscode.workspace.getConfiguration('sagemakerNotebooks');
  const { settings, warnings } = parseOpenSettings({
    openIn: config.get('openIn'),
    interface: config.get('interface'),
    sessionDurationMinutes: config.get('sessionDurationMinutes'),
  });
  for (const w of warnings) {
    if (!reported.has(w)) {
      reported.add(w);
      warn(w);
    }
  }
  return settings;
}

const reported = new Set<string>();

/** Minutes before the end of a session at which the timer warns (1–120, default 10). */
export function readWarningMinutes(): number {
  const value = vscode.workspace.getConfiguration('sagemakerNotebooks').get<unknown>('expiryWarningMinutes');
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(120, Math.max(1, value)) : 10;
}
