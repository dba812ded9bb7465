import vscode = require('vscode');
import type { ConnectionSettings } from './aws/connection';
import { parseOpenSettings, type OpenSettings } from './open/openSettings';
import { activeProfileName } from './aws/profiles';
import { checkRegions, regionsForProfile } from './aws/regions';
import { isLoopbackUrl } from './shared/loopback';
import { parseEndpointSetting } from './aws/endpoints';
import { ignoredSettings, settingKeysIn } from './workspaceSettings';

/**
 * Reads the connection settings. `endpoint` is machine-scoped and `profile` is a restricted setting
 * (package.json capabilities), so VS Code itself ignores them in a workspace's own settings where that
 * workspace could redirect credentials or URLs; `warn` tells the user when that happens or a value is unusable.
 */
export function readSettings(warn: (message: string) => void = () => undefined, env: NodeJS.ProcessEnv = process.env): ConnectionSettings {
  const config = vscode.workspace.getConfiguration('sagemakerNotebooks');
  const text = (key: string) => {
    const value = config.get<unknown>(key);
    if (value !== undefined && typeof value !== 'string')
      warnOnce(warn, vscode.l10n.t('sagemakerNotebooks.{0} must be a string; it is ignored.', key));
    return typeof value === 'string' && value.trim() ? value.trim() : undefined;
  };
  const regions = config.get<unknown>('regions');
  if (regions !== undefined && !Array.isArray(regions))
    warnOnce(warn, vscode.l10n.t('sagemakerNotebooks.regions must be a list such as ["us-east-1"]; it is ignored.'));
  const byProfile = config.get<unknown>('regionsByProfile');
  if (byProfile !== undefined && (typeof byProfile !== 'object' || byProfile === null || Array.isArray(byProfile))) {
    warnOnce(
      warn,
      vscode.l10n.t('sagemakerNotebooks.regionsByProfile must map profile names to lists such as {"team": ["eu-west-1"]}; it is ignored.'),
    );
  }
  // Region names are checked to have a region's shape, so no settings file can point the signed requests at
  // a host other than SageMaker's own regional endpoints: neither regions setting needs to be restricted in
  // untrusted workspaces (the profile and the endpoint are).
  const profile = text('profile');
  const chosen = regionsForProfile(activeProfileName(profile, env), byProfile, regions);
  const { setting: endpoint, problems } = parseEndpointSetting(config.get<unknown>('endpoint'), usableEndpoint, vscode.l10n);
  for (const problem of problems) warnOnce(warn, problem);
  const http = vscode.workspace.getConfiguration('http');
  const proxy = http.get<unknown>('proxy');
  const noProxy = http.get<unknown>('noProxy');
  const { valid, invalid } = checkRegions(chosen.regions);
  const key = chosen.from === 'profile' ? 'sagemakerNotebooks.regionsByProfile' : 'sagemakerNotebooks.regions';
  if (invalid.length) warnOnce(warn, vscode.l10n.t('Ignoring invalid region names in the setting {0}: {1}', key, invalid.join(', ')));
  return {
    network: {
      proxy: typeof proxy === 'string' && proxy.trim() ? proxy.trim() : undefined,
      noProxy: Array.isArray(noProxy) ? noProxy.filter((x): x is string => typeof x === 'string') : [],
      strictSSL: http.get<boolean>('proxyStrictSSL') !== false,
    },
    profile,
    regions: valid,
    endpoint,
  };
}

/** An endpoint receives signed requests (with session tokens): https, or plain http only on loopback. */
function usableEndpoint(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || (parsed.protocol === 'http:' && isLoopbackUrl(url));
  } catch {
    return false;
  }
}

/** The open settings, clamped; each problem is reported once per distinct message. */
export function readOpenSettings(warn: (message: string) => void): OpenSettings {
  const config = vscode.workspace.getConfiguration('sagemakerNotebooks');
  const { settings, warnings } = parseOpenSettings(
    {
      openIn: config.get('openIn'),
      interface: config.get('interface'),
      sessionDurationMinutes: config.get('sessionDurationMinutes'),
    },
    vscode.l10n,
  );
  for (const w of warnings) warnOnce(warn, w);
  return settings;
}

/** Settings whose change means a new connection: other profile, regions, endpoint, or network path. */
const CONNECTION_SETTINGS = [
  'sagemakerNotebooks.profile',
  'sagemakerNotebooks.regions',
  'sagemakerNotebooks.regionsByProfile',
  'sagemakerNotebooks.endpoint',
  'http.proxy',
  'http.noProxy',
  'http.proxyStrictSSL',
];

export function affectsConnection(event: vscode.ConfigurationChangeEvent): boolean {
  return CONNECTION_SETTINGS.some((key) => event.affectsConfiguration(key));
}

/** Whether sessions the extension holds (tabs, kernels, files, terminals) renew themselves (default on). */
export function readAutoRenew(): boolean {
  return vscode.workspace.getConfiguration('sagemakerNotebooks').get<boolean>('autoRenew', true) !== false;
}

/** Minutes before the end of a session at which the timer warns (1–120, default 10). */
export function readWarningMinutes(): number {
  const value = vscode.workspace.getConfiguration('sagemakerNotebooks').get<unknown>('expiryWarningMinutes');
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(120, Math.max(1, value)) : 10;
}

const reported = new Set<string>();

function warnOnce(warn: (message: string) => void, message: string): void {
  if (reported.has(message)) return;
  reported.add(message);
  warn(message);
}

/**
 * Tells the user when the workspace's own settings files set the profile (ignored while the workspace is
 * not trusted) or the endpoint (only read from user settings). VS Code drops those values silently.
 */
export async function reportIgnoredWorkspaceSettings(warn: (message: string) => void): Promise<void> {
  const files = (vscode.workspace.workspaceFolders ?? []).map((f) => vscode.Uri.joinPath(f.uri, '.vscode', 'settings.json'));
  if (vscode.workspace.workspaceFile?.scheme === 'file') files.push(vscode.workspace.workspaceFile);
  const found = new Set<string>();
  for (const file of files) {
    const text = await vscode.workspace.fs.readFile(file).then(
      (b) => Buffer.from(b).toString('utf8'),
      () => '',
    );
    for (const key of settingKeysIn(text, ['sagemakerNotebooks.profile', 'sagemakerNotebooks.endpoint'])) found.add(key);
  }
  for (const key of ignoredSettings([...found], vscode.workspace.isTrusted)) {
    warnOnce(
      warn,
      key === 'sagemakerNotebooks.profile'
        ? vscode.l10n.t(
            'This workspace is not trusted, so its own sagemakerNotebooks.profile setting is ignored. Trust the workspace, or set the profile in your user settings.',
          )
        : vscode.l10n.t("A workspace's sagemakerNotebooks.endpoint setting is ignored: the endpoint can only be set in user settings."),
    );
  }
}
