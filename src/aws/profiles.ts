// Profiles as the AWS CLI sees them, from the files the SDK's own loader parsed. Pure: no fs, no vscode.

export type ProfileKind = 'sso' | 'assumeRole' | 'process' | 'webIdentity' | 'keys' | 'other';

export interface ProfileInfo {
  readonly name: string;
  readonly kind: ProfileKind;
  readonly region?: string;
  readonly mfa: boolean;
  /** The profile's `ca_bundle`, a PEM file of trusted CAs. */
  readonly caBundle?: string;
}

type Section = Record<string, string | undefined>;
export interface ParsedFiles {
  readonly configFile: Record<string, Section>;
  readonly credentialsFile: Record<string, Section>;
}

// The loader keys non-profile sections as `sso-session.<name>` and `services.<name>`.
const NON_PROFILE = /^(sso-session|services)\./;

export function listProfiles(files: ParsedFiles): ProfileInfo[] {
  const names = new Set<string>();
  for (const name of Object.keys(files.configFile)) if (!NON_PROFILE.test(name)) names.add(name);
  for (const name of Object.keys(files.credentialsFile)) names.add(name);
  return [...names]
    .sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : a.localeCompare(b)))
    .map((name) => {
      const merged = { ...files.configFile[name], ...files.credentialsFile[name] };
      const info: ProfileInfo = { name, kind: profileKind(merged), region: merged.region || undefined, mfa: !!merged.mfa_serial };
      return merged.ca_bundle ? { ...info, caBundle: merged.ca_bundle } : info;
    });
}

export function profileKind(section: Section): ProfileKind {
  if (section.sso_session || section.sso_start_url) return 'sso';
  if (section.role_arn) return 'assumeRole';
  if (section.credential_process) return 'process';
  if (section.web_identity_token_file) return 'webIdentity';
  if (section.aws_access_key_id) return 'keys';
  return 'other';
}

type Env = Readonly<Record<string, string | undefined>>;

/** The profile in force: the setting, else AWS_PROFILE, else `default` (the CLI's order, setting first). */
export function activeProfileName(setting: string | undefined, env: Env): string {
  return setting?.trim() || env.AWS_PROFILE?.trim() || 'default';
}

/** The profile's own region, else the environment's, as the CLI resolves it when no --region is given. */
export function defaultRegion(profile: ProfileInfo | undefined, env: Env): string | undefined {
  return profile?.region || env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
}

/**
 * The numbers (from 1) of the lines of an AWS ini file that no reader understands. The SDK's loader silently
 * skips them (and with them whole profiles, e.g. after `[default` without its bracket), so the explorer points
 * at them instead. Only their numbers: such a line may hold a secret (`aws_secret_access_key: …`).
 */
export function malformedLines(text: string): number[] {
  const bad: number[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) return;
    if (/^\[[^[\]]+\]\s*([#;].*)?$/.test(line)) return;
    if (/^[^=\s[][^=]*=/.test(line)) return;
    if (/^\s/.test(raw) && index > 0) return; // indented sub-property (e.g. `s3 =` followed by `  max_concurrent_requests = 20`)
    bad.push(index + 1);
  });
  return bad;
}
