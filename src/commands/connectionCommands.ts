// Commands that choose what the explorer lists: profile, regions, filter; and the fixes its welcome
// states offer (sign in with SSO, open the config file).
import * as fs from 'fs';
import * as path from 'path';
import vscode = require('vscode');
import { configFilePaths, loadProfiles } from '../aws/connection';
import type { AwsSdk } from '../aws/loadSdk';
import type { ProfileKind } from '../aws/profiles';
import { SAGEMAKER_REGIONS, withProfileRegions } from '../aws/regions';
import { STATUSES } from '../shared/instance';
import type { InstancesTreeProvider } from '../notebooks/instancesTree';
import type { ConnectionManager } from '../aws/connectionManager';
import { readSettings } from '../settings';
import type { Ui } from '../shared/ui';

const KIND_LABEL: Record<ProfileKind, string> = {
  keys: 'access keys',
  sso: 'SSO',
  assumeRole: 'assumed role',
  process: 'credential_process',
  webIdentity: 'web identity',
  other: 'no credentials',
};

export interface ConnectionCommandDeps {
  readonly sdk: () => AwsSdk;
  readonly connection: ConnectionManager;
  readonly env: NodeJS.ProcessEnv;
  readonly ui: Ui;
}

export async function selectProfile(deps: ConnectionCommandDeps): Promise<void> {
  const profiles = await loadProfiles(deps);
  const current = deps.connection.profile;
  if (!profiles.length) {
    const open = vscode.l10n.t('Open Config File');
    const choice = await deps.ui.warn(
      vscode.l10n.t('No AWS profiles found. Create one with "aws configure" or "aws configure sso".'),
      open,
    );
    if (choice === open) await openConfigFile(deps.env);
    return;
  }
  const picked = await deps.ui.pick(
    profiles.map((p) => ({
      label: p.name,
      description: [KIND_LABEL[p.kind], p.mfa ? 'MFA' : undefined, p.region].filter(Boolean).join(' · '),
      detail: p.name === current ? vscode.l10n.t('Current profile') : undefined,
      picked: p.name === current,
    })),
    {
      title: vscode.l10n.t('Select AWS Profile'),
      placeHolder: vscode.l10n.t('Profile whose notebook instances are listed'),
      matchOnDescription: true,
    },
  );
  if (!picked || picked.label === current) return;
  await vscode.workspace.getConfiguration('sagemakerNotebooks').update('profile', picked.label, vscode.ConfigurationTarget.Global);
  deps.connection.refresh(); // the configuration listener refreshes too; this makes the switch independent of it
}

/**
 * Chooses the regions of the active profile only (sagemakerNotebooks.regionsByProfile in user settings):
 * profiles often live in different regions, and choosing under one must not change another's.
 */
export async function selectRegions(deps: ConnectionCommandDeps): Promise<void> {
  const settings = readSettings(undefined, deps.env);
  const profile = deps.connection.profile;
  const connection = await deps.connection.current().catch(() => undefined);
  const current = new Set(settings.regions.length ? settings.regions : connection?.kind === 'ready' ? connection.regions : []);
  const items = SAGEMAKER_REGIONS.map((r) => ({ label: r.id, description: r.name, picked: current.has(r.id) }));
  items.sort((a, b) => Number(b.picked) - Number(a.picked));
  const picked = await deps.ui.pickMany(items, {
    title: vscode.l10n.t('Select Regions for Profile "{0}"', profile),
    placeHolder: vscode.l10n.t('Regions to list (none selected: the profile region)'),
    matchOnDescription: true,
  });
  if (!picked) return;
  const config = vscode.workspace.getConfiguration('sagemakerNotebooks');
  // Only the user settings' own value is rewritten, so a workspace's entries are never copied into them.
  const mine = config.inspect<unknown>('regionsByProfile')?.globalValue;
  await config.update(
    'regionsByProfile',
    withProfileRegions(
      mine,
      profile,
      picked.map((p) => p.label),
    ),
    vscode.ConfigurationTarget.Global,
  );
  deps.connection.refresh();
}

export async function setFilter(tree: InstancesTreeProvider, ui: Ui): Promise<void> {
  const text = await ui.input({
    title: vscode.l10n.t('Filter Notebook Instances (1/2)'),
    prompt: vscode.l10n.t('Part of the name; leave empty for any name'),
    value: tree.filter.text ?? '',
  });
  if (text === undefined) return;
  const any = vscode.l10n.t('Any status');
  const picked = await ui.pick(
    [any, ...STATUSES].map((label) => ({ label })),
    {
      title: vscode.l10n.t('Filter Notebook Instances (2/2)'),
      placeHolder: vscode.l10n.t('Status'),
    },
  );
  if (picked === undefined) return;
  const status = picked.label;
  tree.setFilter({ text: text.trim() || undefined, status: status === any ? undefined : status });
}

export async function openConfigFile(env: NodeJS.ProcessEnv): Promise<void> {
  const { config } = configFilePaths(env);
  if (!fs.existsSync(config)) {
    fs.mkdirSync(path.dirname(config), { recursive: true });
    fs.writeFileSync(config, '[default]\nregion = us-east-1\n', { mode: 0o600 });
  }
  await vscode.window.showTextDocument(vscode.Uri.file(config));
}

/** Runs `aws sso login` in a terminal, where the user sees the device code and the browser prompt. */
export function ssoLogin(profile: string): void {
  const terminal = vscode.window.createTerminal({ name: `AWS SSO login (${profile})` });
  terminal.show();
  terminal.sendText(`aws sso login --profile ${shellQuote(profile)}`);
}

function shellQuote(value: string): string {
  return /^[\w.@-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
