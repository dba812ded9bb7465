// What SageMaker accepts for a notebook instance, checked as the user types: the API model's patterns,
// lengths and ranges, its instance types (a copy of the SDK's enum, pinned equal by a unit test so the
// activation bundles never load the SDK for it) and the platform rules. Pure: messages through `l10n`.
import { english, type L10n } from '../shared/l10n';

export const NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/;
export const ROLE_ARN_PATTERN = /^arn:aws[a-z-]*:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;
export const CODE_REPOSITORY_PATTERN = /^https:\/\/([^/]+)\/?(.*)$|^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/;
export const MIN_VOLUME_GB = 5;
export const MAX_VOLUME_GB = 16384;
export const MAX_SCRIPT_CHARS = 16384;

/** The platform new instances get (the API's default), and every identifier the API accepts. */
export const DEFAULT_PLATFORM = 'notebook-al2023-v1';
export const PLATFORMS = ['notebook-al2023-v1', 'notebook-al2-v3', 'notebook-al2-v2', 'notebook-al2-v1'] as const;

/** Instance families SageMaker does not offer on Amazon Linux 2023 notebook instances. */
export const NOT_ON_AL2023 = ['ml.p2', 'ml.p3', 'ml.p3dn', 'ml.inf1', 'ml.g3'];

// The SDK's `_InstanceType` (@aws-sdk/client-sagemaker, enums.d.ts), the types CreateNotebookInstance takes.
export const INSTANCE_TYPES: readonly string[] = (
  'c4.2xlarge c4.4xlarge c4.8xlarge c4.xlarge c5d.18xlarge c5d.2xlarge c5d.4xlarge c5d.9xlarge c5d.xlarge c5.18xlarge c5.2xlarge c5.4xlarge c5.9xlarge c5.xlarge ' +
  'c6id.12xlarge c6id.16xlarge c6id.24xlarge c6id.2xlarge c6id.32xlarge c6id.4xlarge c6id.8xlarge c6id.large c6id.xlarge c6i.12xlarge c6i.16xlarge c6i.24xlarge c6i.2xlarge c6i.32xlarge c6i.4xlarge c6i.8xlarge c6i.large c6i.xlarge ' +
  'c7i.12xlarge c7i.16xlarge c7i.24xlarge c7i.2xlarge c7i.48xlarge c7i.4xlarge c7i.8xlarge c7i.large c7i.xlarge ' +
  'g4dn.12xlarge g4dn.16xlarge g4dn.2xlarge g4dn.4xlarge g4dn.8xlarge g4dn.xlarge g5.12xlarge g5.16xlarge g5.24xlarge g5.2xlarge g5.48xlarge g5.4xlarge g5.8xlarge g5.xlarge ' +
  'g6e.12xlarge g6e.16xlarge g6e.24xlarge g6e.2xlarge g6e.48xlarge g6e.4xlarge g6e.8xlarge g6e.xlarge g6.12xlarge g6.16xlarge g6.24xlarge g6.2xlarge g6.48xlarge g6.4xlarge g6.8xlarge g6.xlarge ' +
  'g7e.12xlarge g7e.24xlarge g7e.2xlarge g7e.48xlarge g7e.4xlarge g7e.8xlarge inf1.24xlarge inf1.2xlarge inf1.6xlarge inf1.xlarge inf2.24xlarge inf2.48xlarge inf2.8xlarge inf2.xlarge ' +
  'm4.10xlarge m4.16xlarge m4.2xlarge m4.4xlarge m4.xlarge m5d.12xlarge m5d.16xlarge m5d.24xlarge m5d.2xlarge m5d.4xlarge m5d.8xlarge m5d.large m5d.xlarge m5.12xlarge m5.24xlarge m5.2xlarge m5.4xlarge m5.xlarge ' +
  'm6id.12xlarge m6id.16xlarge m6id.24xlarge m6id.2xlarge m6id.32xlarge m6id.4xlarge m6id.8xlarge m6id.large m6id.xlarge m6i.12xlarge m6i.16xlarge m6i.24xlarge m6i.2xlarge m6i.32xlarge m6i.4xlarge m6i.8xlarge m6i.large m6i.xlarge ' +
  'm7i.12xlarge m7i.16xlarge m7i.24xlarge m7i.2xlarge m7i.48xlarge m7i.4xlarge m7i.8xlarge m7i.large m7i.xlarge p2.16xlarge p2.8xlarge p2.xlarge p3dn.24xlarge p3.16xlarge p3.2xlarge p3.8xlarge ' +
  'p4de.24xlarge p4d.24xlarge p5en.48xlarge p5.48xlarge p5.4xlarge p6-b200.48xlarge r5.12xlarge r5.16xlarge r5.24xlarge r5.2xlarge r5.4xlarge r5.8xlarge r5.large r5.xlarge ' +
  'r6id.12xlarge r6id.16xlarge r6id.24xlarge r6id.2xlarge r6id.32xlarge r6id.4xlarge r6id.8xlarge r6id.large r6id.xlarge r6i.12xlarge r6i.16xlarge r6i.24xlarge r6i.2xlarge r6i.32xlarge r6i.4xlarge r6i.8xlarge r6i.large r6i.xlarge ' +
  'r7i.12xlarge r7i.16xlarge r7i.24xlarge r7i.2xlarge r7i.48xlarge r7i.4xlarge r7i.8xlarge r7i.large r7i.xlarge t2.2xlarge t2.large t2.medium t2.xlarge t3.2xlarge t3.large t3.medium t3.xlarge ' +
  'trn1n.32xlarge trn1.2xlarge trn1.32xlarge'
)
  .split(' ')
  .map((t) => `ml.${t}`);

export function isAl2(platform: string | undefined): boolean {
  return !!platform && /^notebook-al2-/.test(platform);
}

export function isAl2023(platform: string | undefined): boolean {
  return !!platform && platform.startsWith('notebook-al2023');
}

export function family(instanceType: string): string {
  return instanceType.split('.').slice(0, 2).join('.');
}

export function supportedOn(instanceType: string, platform: string): boolean {
  return !(isAl2023(platform) && NOT_ON_AL2023.includes(family(instanceType)));
}

export interface TypeGroup {
  readonly label: string;
  readonly types: readonly string[];
}

/** The instance types by what they are for, smallest first within a family; the platform's unsupported ones left out. */
export function instanceTypeGroups(platform: string, l10n: L10n = english): TypeGroup[] {
  const groups: [string, RegExp][] = [
    [l10n.t('Standard (burstable)'), /^ml\.t\d/],
    [l10n.t('General purpose'), /^ml\.m/],
    [l10n.t('Compute optimized'), /^ml\.c/],
    [l10n.t('Memory optimized'), /^ml\.r/],
    [l10n.t('Accelerated computing (GPU)'), /^ml\.(g|p)/],
    [l10n.t('Machine learning accelerators (Inferentia, Trainium)'), /^ml\.(inf|trn)/],
  ];
  const order = ['medium', 'large', 'xlarge'];
  const size = (t: string) => {
    const s = t.split('.')[2];
    const i = order.indexOf(s);
    return i >= 0 ? i : 3 + parseInt(s, 10);
  };
  const sorted = INSTANCE_TYPES.filter((t) => supportedOn(t, platform)).sort(
    (a, b) => family(a).localeCompare(family(b)) || size(a) - size(b),
  );
  return groups.map(([label, re]) => ({ label, types: sorted.filter((t) => re.test(t)) })).filter((g) => g.types.length > 0);
}

export function validateName(value: string, l10n: L10n = english): string | undefined {
  if (!value) return l10n.t('Enter a name.');
  if (value.length > 63) return l10n.t('At most 63 characters ({0} now).', value.length);
  if (!NAME_PATTERN.test(value)) return l10n.t('Letters, digits and hyphens only; start and end with a letter or digit.');
  return undefined;
}

export function validateRoleArn(value: string, l10n: L10n = english): string | undefined {
  if (!value)
    return l10n.t('Enter the ARN of an IAM role, e.g. arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole.');
  if (value.length < 20 || value.length > 2048 || !ROLE_ARN_PATTERN.test(value))
    return l10n.t('Not an IAM role ARN: arn:aws:iam::<12-digit account>:role/<path and name>.');
  return undefined;
}

export function validateVolume(value: string, minimum = MIN_VOLUME_GB, l10n: L10n = english): string | undefined {
  if (!/^\d+$/.test(value.trim())) return l10n.t('Enter a whole number of GB.');
  const n = Number(value.trim());
  if (n < minimum)
    return minimum > MIN_VOLUME_GB ? l10n.t('The volume can only grow: at least {0} GB.', minimum) : l10n.t('At least {0} GB.', minimum);
  if (n > MAX_VOLUME_GB) return l10n.t('At most {0} GB.', MAX_VOLUME_GB);
  return undefined;
}

export function validateCodeRepository(value: string, l10n: L10n = english): string | undefined {
  if (!value) return undefined; // optional
  if (value.length > 1024) return l10n.t('At most 1024 characters.');
  if (!CODE_REPOSITORY_PATTERN.test(value)) return l10n.t('An https:// Git URL, or the name of a SageMaker code repository.');
  return undefined;
}

export function instanceTypeProblem(instanceType: string, platform: string, l10n: L10n = english): string | undefined {
  if (!INSTANCE_TYPES.includes(instanceType)) return l10n.t('{0} is not a notebook instance type.', instanceType);
  if (!supportedOn(instanceType, platform))
    return l10n.t(
      '{0} is not available on Amazon Linux 2023 ({1}); choose another type, e.g. ml.g5 or ml.g4dn instead of ml.p3.',
      instanceType,
      platform,
    );
  return undefined;
}

/** What SageMaker can assume: the role's trust policy (URL-encoded JSON, as IAM returns it) allows sagemaker.amazonaws.com. */
export function sageMakerCanAssume(policyDocument: string | undefined): boolean {
  if (!policyDocument) return false;
  let doc: unknown;
  try {
    doc = JSON.parse(policyDocument.trim().startsWith('{') ? policyDocument : decodeURIComponent(policyDocument));
  } catch {
    return false;
  }
  const statements = (doc as { Statement?: unknown }).Statement;
  const list = Array.isArray(statements) ? statements : [statements];
  return list.some((s) => {
    const st = s as { Effect?: string; Action?: unknown; Principal?: { Service?: unknown } } | undefined;
    if (st?.Effect !== 'Allow') return false;
    const actions = ([] as unknown[]).concat(st.Action ?? []);
    if (!actions.some((a) => a === 'sts:AssumeRole' || a === 'sts:*' || a === '*')) return false;
    return ([] as unknown[]).concat(st.Principal?.Service ?? []).includes('sagemaker.amazonaws.com');
  });
}
