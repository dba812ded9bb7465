// Which SageMaker endpoint each region's client calls. A VPC interface endpoint serves one region and
// SageMaker refuses a signature scoped to another, so the extension never sends one region's request to
// another region's endpoint: the setting names an endpoint per region (a map), or a URL with `{region}`,
// or one plain URL that serves one region. Pure: no vscode, no SDK.
import { english, type L10n } from '../shared/l10n';

export type EndpointSetting = string | Readonly<Record<string, string>>;

export type EndpointChoice =
  /** `url` undefined: the SDK's own resolution (AWS_ENDPOINT_URL_SAGEMAKER, the profile's endpoint_url, the public endpoint). */
  | { readonly kind: 'use'; readonly url: string | undefined }
  /** The setting names endpoints, but none for this region: calling the public one would bypass the VPC. */
  | { readonly kind: 'missing'; readonly message: string };

const REGION_IN_HOST = /(?:^|[.-])((?:[a-z]{2}(?:-gov|-iso[a-z]?)?)-[a-z]+-\d+)(?=[.-])/;

/** The region a URL's host name names (`…api.sagemaker.eu-west-1.vpce.amazonaws.com` → `eu-west-1`). */
export function regionInUrl(url: string): string | undefined {
  try {
    return REGION_IN_HOST.exec(new URL(url.replace('{region}', 'x')).hostname)?.[1];
  } catch {
    return undefined;
  }
}

/**
 * A plain URL serves the region its host names; without one, the only listed region, or the first of
 * several (the others are told that they need their own endpoint).
 */
export function endpointFor(
  setting: EndpointSetting | undefined,
  region: string,
  regions: readonly string[],
  l10n: L10n = english,
): EndpointChoice {
  if (setting === undefined) return { kind: 'use', url: undefined };
  if (typeof setting === 'string') {
    if (setting.includes('{region}')) return { kind: 'use', url: setting.split('{region}').join(region) };
    const named = regionInUrl(setting);
    if (named ? named === region : regions.length <= 1 || regions[0] === region) return { kind: 'use', url: setting };
    return {
      kind: 'missing',
      message: l10n.t(
        'sagemakerNotebooks.endpoint serves {0} only, so {1} is not listed: give an endpoint per region (a map from region to URL, or a URL with {region}).',
        named ?? regions[0],
        region,
      ),
    };
  }
  const url = Object.hasOwn(setting, region) ? setting[region] : undefined;
  if (url) return { kind: 'use', url };
  return {
    kind: 'missing',
    message: l10n.t('sagemakerNotebooks.endpoint names no endpoint for {0}, so it is not listed: add "{0}" to it.', region),
  };
}

/**
 * Reads the raw setting: a string, or an object from region to URL. Returns the usable part and a problem
 * per unusable value (`usable` decides: https, or http on this machine).
 */
export function parseEndpointSetting(
  raw: unknown,
  usable: (url: string) => boolean,
  l10n: L10n = english,
): { setting?: EndpointSetting; problems: string[] } {
  const problems: string[] = [];
  const bad = (value: string) =>
    l10n.t('sagemakerNotebooks.endpoint must be an https URL (or http on this machine); "{0}" is ignored.', value);
  if (raw === undefined || raw === null) return { problems };
  if (typeof raw === 'string') {
    const url = raw.trim();
    if (!url) return { problems };
    if (!usable(url.split('{region}').join('us-east-1'))) return { problems: [bad(url)] };
    return { setting: url, problems };
  }
  if (typeof raw === 'object' && !Array.isArray(raw)) {
    const map: Record<string, string> = {};
    for (const [region, value] of Object.entries(raw as Record<string, unknown>)) {
      if (typeof value === 'string' && value.trim() && usable(value.trim())) map[region] = value.trim();
      else problems.push(bad(String(value)));
    }
    return { setting: Object.keys(map).length ? map : undefined, problems };
  }
  return { problems: [l10n.t('sagemakerNotebooks.endpoint must be a URL or a map from region to URL; it is ignored.')] };
}
