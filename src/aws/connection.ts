// Which profile, which regions, and the API object built for them. A new connection (profile switch,
// settings change, retry) replaces the old one whole: its clients are destroyed, so nothing stale remains.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { AwsSdk } from './loadSdk';
import { SdkNotebookApi, type NotebookApi } from './notebookApi';
import { activeProfileName, defaultRegion, listProfiles, malformedLines, type ProfileInfo } from './profiles';
import { english, type L10n } from '../shared/l10n';
import type { Logger } from '../shared/log';
import { caBundlePath, type NetworkSettings } from './network';
import type { EndpointSetting } from './endpoints';

export interface ConnectionSettings {
  readonly profile?: string;
  readonly regions: readonly string[];
  readonly endpoint?: EndpointSetting;
  readonly network?: Omit<NetworkSettings, 'caBundle'>;
}

export type Connection =
  | { readonly kind: 'ready'; readonly profile: string; readonly regions: readonly string[]; readonly api: NotebookApi }
  | { readonly kind: 'noConfig' | 'unknownProfile' | 'malformedConfig' | 'noRegion'; readonly profile: string; readonly message: string };

export interface ConnectionDeps {
  readonly sdk: () => AwsSdk;
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
  readonly mfaCode: (profile: string, serial: string) => Promise<string>;
  /** vscode.l10n in the extension: the messages below reach the user. */
  readonly l10n?: L10n;
}

export function configFilePaths(env: NodeJS.ProcessEnv): { config: string; credentials: string } {
  const home = os.homedir();
  return {
    config: env.AWS_CONFIG_FILE || path.join(home, '.aws', 'config'),
    credentials: env.AWS_SHARED_CREDENTIALS_FILE || path.join(home, '.aws', 'credentials'),
  };
}

export async function loadProfiles(deps: Pick<ConnectionDeps, 'sdk'>): Promise<ProfileInfo[]> {
  const files = await deps.sdk().loadSharedConfigFiles({ ignoreCache: true });
  return listProfiles(files);
}

export async function connect(settings: ConnectionSettings, deps: ConnectionDeps): Promise<Connection> {
  const l10n = deps.l10n ?? english;
  const profile = activeProfileName(settings.profile, deps.env);
  const paths = configFilePaths(deps.env);
  if (!fs.existsSync(paths.config) && !fs.existsSync(paths.credentials)) {
    return { kind: 'noConfig', profile, message: l10n.t('No AWS config or credentials file found ({0}).', paths.config) };
  }
  const profiles = await loadProfiles(deps);
  const info = profiles.find((p) => p.name === profile);
  if (!info) {
    for (const file of [paths.config, paths.credentials]) {
      const bad = fs.existsSync(file) ? malformedLines(fs.readFileSync(file, 'utf8')) : [];
      if (bad.length) {
        return {
          kind: 'malformedConfig',
          profile,
          message: l10n.t(
            '{0} cannot be read at line {1}, so profile "{2}" was not found. Fix the file, then retry.',
            file,
            bad[0],
            profile,
          ),
        };
      }
    }
    return { kind: 'unknownProfile', profile, message: l10n.t('Profile "{0}" is not in your AWS config or credentials file.', profile) };
  }
  const regions = settings.regions.length ? [...settings.regions] : [defaultRegion(info, deps.env)].filter((r): r is string => !!r);
  if (!regions.length) {
    return { kind: 'noRegion', profile, message: l10n.t('Profile "{0}" has no region. Choose the regions to list.', profile) };
  }
  deps.logger.info(
    `Using profile "${profile}" (${info.kind}) in ${regions.join(', ')}${settings.endpoint ? ` via ${JSON.stringify(settings.endpoint)}` : ''}`,
  );
  const api = new SdkNotebookApi(deps.sdk(), {
    profile,
    endpoint: settings.endpoint,
    regions,
    logger: deps.logger,
    mfaCode: (serial) => deps.mfaCode(profile, serial),
    l10n,
    network: {
      strictSSL: true,
      ...settings.network,
      caBundle: caBundlePath(deps.env, info.caBundle),
    },
  });
  return { kind: 'ready', profile, regions, api };
}
