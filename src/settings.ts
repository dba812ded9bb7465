import * as vscode from 'vscode';
import type { ConnectionSettings } from './aws/connection';

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
