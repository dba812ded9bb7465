// Commercial regions where SageMaker notebook instances are offered (AWS regional services list).

export const SAGEMAKER_REGIONS: readonly { id: string; name: string }[] = [
  { id: 'us-east-1', name: 'US East (N. Virginia)' },
  { id: 'us-east-2', name: 'US East (Ohio)' },
  { id: 'us-west-1', name: 'US West (N. California)' },
  { id: 'us-west-2', name: 'US West (Oregon)' },
  { id: 'af-south-1', name: 'Africa (Cape Town)' },
  { id: 'ap-east-1', name: 'Asia Pacific (Hong Kong)' },
  { id: 'ap-south-1', name: 'Asia Pacific (Mumbai)' },
  { id: 'ap-south-2', name: 'Asia Pacific (Hyderabad)' },
  { id: 'ap-southeast-1', name: 'Asia Pacific (Singapore)' },
  { id: 'ap-southeast-2', name: 'Asia Pacific (Sydney)' },
  { id: 'ap-southeast-3', name: 'Asia Pacific (Jakarta)' },
  { id: 'ap-southeast-4', name: 'Asia Pacific (Melbourne)' },
  { id: 'ap-northeast-1', name: 'Asia Pacific (Tokyo)' },
  { id: 'ap-northeast-2', name: 'Asia Pacific (Seoul)' },
  { id: 'ap-northeast-3', name: 'Asia Pacific (Osaka)' },
  { id: 'ca-central-1', name: 'Canada (Central)' },
  { id: 'ca-west-1', name: 'Canada West (Calgary)' },
  { id: 'eu-central-1', name: 'Europe (Frankfurt)' },
  { id: 'eu-central-2', name: 'Europe (Zurich)' },
  { id: 'eu-west-1', name: 'Europe (Ireland)' },
  { id: 'eu-west-2', name: 'Europe (London)' },
  { id: 'eu-west-3', name: 'Europe (Paris)' },
  { id: 'eu-south-1', name: 'Europe (Milan)' },
  { id: 'eu-south-2', name: 'Europe (Spain)' },
  { id: 'eu-north-1', name: 'Europe (Stockholm)' },
  { id: 'il-central-1', name: 'Israel (Tel Aviv)' },
  { id: 'me-south-1', name: 'Middle East (Bahrain)' },
  { id: 'me-central-1', name: 'Middle East (UAE)' },
  { id: 'sa-east-1', name: 'South America (São Paulo)' },
  { id: 'us-gov-east-1', name: 'AWS GovCloud (US-East)' },
  { id: 'us-gov-west-1', name: 'AWS GovCloud (US-West)' },
  { id: 'cn-north-1', name: 'China (Beijing)' },
  { id: 'cn-northwest-1', name: 'China (Ningxia)' },
];

const REGION_SHAPE = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** Splits configured regions into usable ones and ones that cannot be a region name, deduplicated. */
export function checkRegions(regions: readonly string[]): { valid: string[]; invalid: string[] } {
  const valid: string[] = [];
  const invalid: string[] = [];
  for (const r of regions) {
    const list = REGION_SHAPE.test(r) ? valid : invalid;
    if (!list.includes(r)) list.push(r);
  }
  return { valid, invalid };
}

/** The console page of an instance, on the console domain of its partition. */
export function consoleUrl(region: string, name?: string): string {
  const host = region.startsWith('cn-')
    ? `console.amazonaws.cn`
    : region.startsWith('us-gov-')
      ? `console.amazonaws-us-gov.com`
      : `${region}.console.aws.amazon.com`;
  const fragment = name ? `/notebook-instances/${encodeURIComponent(name)}` : '/notebook-instances';
  return `https://${host}/sagemaker/home?region=${region}#${fragment}`;
}

/**
 * The regions chosen for one profile. `byProfile` (sagemakerNotebooks.regionsByProfile) holds each profile's
 * own choice, where an empty list means "the profile's own region"; a profile without an entry falls back to
 * `shared` (the older sagemakerNotebooks.regions, kept as the default for every profile so existing settings
 * keep working). An empty result lets the connection use the profile's region. Unchecked names: see
 * checkRegions.
 */
export function regionsForProfile(
  profile: string,
  byProfile: unknown,
  shared: unknown,
): { regions: string[]; from: 'profile' | 'shared' | 'none' } {
  const own = isRecord(byProfile) && Object.prototype.hasOwnProperty.call(byProfile, profile) ? byProfile[profile] : undefined;
  if (Array.isArray(own)) return { regions: names(own), from: 'profile' };
  const all = Array.isArray(shared) ? names(shared) : [];
  return { regions: all, from: all.length ? 'shared' : 'none' };
}

/** sagemakerNotebooks.regionsByProfile with one profile's choice replaced; other profiles keep theirs. */
export function withProfileRegions(byProfile: unknown, profile: string, regions: readonly string[]): Record<string, string[]> {
  const next: Record<string, string[]> = {};
  if (isRecord(byProfile)) for (const [k, v] of Object.entries(byProfile)) if (Array.isArray(v)) next[k] = names(v);
  next[profile] = [...regions];
  return next;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function names(list: readonly unknown[]): string[] {
  return list.filter((r): r is string => typeof r === 'string' && !!r.trim()).map((r) => r.trim());
}
