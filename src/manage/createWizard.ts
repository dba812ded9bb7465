// Create Notebook Instance: the console's form as a multi-step quick input (region when several are listed,
// name, platform, instance type, IAM role, volume, lifecycle configuration, root access, internet access,
// code repository), each value checked as it is typed. The new instance shows as Pending in the tree,
// is watched until it settles, and the user is offered to open it (or to read its startup log).
import vscode = require('vscode');
import { toUserError } from '../aws/errors';
import type { NotebookInstance } from '../shared/instance';
import { session, type ManageDeps } from './context';
import type { CreateRequest, Role } from './manageApi';
import { BACK, runSteps, type Answer } from './prompter';
import {
  DEFAULT_PLATFORM,
  instanceTypeGroups,
  isAl2,
  MIN_VOLUME_GB,
  PLATFORMS,
  validateCodeRepository,
  validateName,
  validateRoleArn,
  validateVolume,
} from './rules';

type Item<T> = vscode.QuickPickItem & { value?: T };

export function platformLabel(platform: string): string {
  if (platform.startsWith('notebook-al2023')) return vscode.l10n.t('Amazon Linux 2023 (JupyterLab 4)');
  if (platform === 'notebook-al2-v3') return vscode.l10n.t('Amazon Linux 2 (JupyterLab 4)');
  if (platform === 'notebook-al2-v2') return vscode.l10n.t('Amazon Linux 2 (JupyterLab 3)');
  if (platform === 'notebook-al2-v1') return vscode.l10n.t('Amazon Linux 2 (JupyterLab 1)');
  return platform;
}

export function platformItems(current?: string): Item<string>[] {
  return PLATFORMS.map((p) => ({
    label: p,
    description: [
      platformLabel(p),
      p === DEFAULT_PLATFORM ? vscode.l10n.t('recommended') : undefined,
      p === current ? vscode.l10n.t('current') : undefined,
    ]
      .filter(Boolean)
      .join(' · '),
    detail: isAl2(p)
      ? vscode.l10n.t('$(warning) Amazon Linux 2 is being retired for notebook instances: prefer Amazon Linux 2023.')
      : undefined,
    value: p,
  }));
}

export function instanceTypeItems(platform: string, current?: string): Item<string>[] {
  return instanceTypeGroups(platform, vscode.l10n).flatMap((g) => [
    { label: g.label, kind: vscode.QuickPickItemKind.Separator },
    ...g.types.map((t) => ({ label: t, description: t === current ? vscode.l10n.t('current') : undefined, value: t })),
  ]);
}

export async function createInstance(deps: ManageDeps): Promise<NotebookInstance | undefined> {
  const { api, manage, regions } = await session(deps.connection, deps.logger);
  await deps.instances.loadAll(); // the names already taken, checked as the name is typed
  const prompter = deps.prompter();
  const title = vscode.l10n.t('Create Notebook Instance');
  const total = regions.length > 1 ? 10 : 9;
  const offset = regions.length > 1 ? 1 : 0;
  const at = (n: number) => ({ title, step: n + offset, totalSteps: total });

  const state = {
    region: regions[0],
    name: '',
    platform: DEFAULT_PLATFORM,
    instanceType: 'ml.t3.medium',
    roleArn: '',
    volume: String(MIN_VOLUME_GB),
    lifecycle: undefined as string | undefined,
    rootAccess: 'Enabled' as 'Enabled' | 'Disabled',
    internet: 'Enabled' as 'Enabled' | 'Disabled',
    repository: '',
  };
  let roles: Role[] | undefined;
  let rolesProblem: string | undefined;
  let configs: string[] | undefined;
  let configsProblem: string | undefined;
  const taken = () =>
    new Set(
      deps.instances
        .knownInstances()
        .filter((i) => i.region === state.region)
        .map((i) => i.name.toLowerCase()),
    );

  const pickValue = async <T>(
    items: Item<T>[],
    placeholder: string,
    n: number,
    current: T,
    set: (v: T) => void,
  ): Promise<Answer<unknown>> => {
    const answer = await prompter.pick({ ...at(n), placeholder, items, active: items.find((i) => i.value === current) });
    if (answer !== undefined && answer !== BACK) set(answer.value as T);
    return answer;
  };

  const steps: (() => Promise<Answer<unknown>>)[] = [
    ...(regions.length > 1
      ? [
          () =>
            prompter
              .pick({
                title,
                step: 1,
                totalSteps: total,
                placeholder: vscode.l10n.t('Region of the new notebook instance'),
                items: regions.map((r) => ({ label: r })),
                active: { label: state.region },
              })
              .then((a) => (a && a !== BACK && (state.region = a.label), a)),
        ]
      : []),
    async () => {
      const a = await prompter.input({
        ...at(1),
        prompt: vscode.l10n.t('Name of the notebook instance in {0} (letters, digits, hyphens; at most 63)', state.region),
        value: state.name,
        validate: (v) =>
          validateName(v, vscode.l10n) ??
          (taken().has(v.toLowerCase()) ? vscode.l10n.t('{0} already has a notebook instance named {1}.', state.region, v) : undefined),
      });
      if (typeof a === 'string') state.name = a;
      return a;
    },
    () =>
      pickValue(
        platformItems(),
        vscode.l10n.t('Platform (operating system and JupyterLab version)'),
        2,
        state.platform,
        (v) => (state.platform = v),
      ),
    () =>
      pickValue(instanceTypeItems(state.platform), vscode.l10n.t('Instance type'), 3, state.instanceType, (v) => (state.instanceType = v)),
    async () => {
      if (roles === undefined && rolesProblem === undefined) {
        try {
          roles = await manage.sageMakerRoles(state.region);
        } catch (error) {
          const user = toUserError(error, { profile: '' }, vscode.l10n);
          rolesProblem =
            user.kind === 'accessDenied'
              ? vscode.l10n.t('iam:ListRoles is not allowed for this profile, so roles cannot be listed.')
              : user.message;
          deps.logger.warn(`Listing IAM roles failed: ${(error as Error)?.name} ${(error as Error)?.message}`);
        }
      }
      const typeArn = vscode.l10n.t('Enter a role ARN…');
      if (roles?.length) {
        const items: Item<string>[] = [
          ...roles.map((r) => ({ label: r.name, description: r.path !== '/' ? r.path : undefined, detail: r.arn, value: r.arn })),
          { label: typeArn, value: '' },
        ];
        const a = await pickValue(
          items,
          vscode.l10n.t('IAM execution role (roles SageMaker can assume)'),
          4,
          state.roleArn,
          (v) => (state.roleArn = v),
        );
        if (a === undefined || a === BACK || state.roleArn) return a;
      }
      const a = await prompter.input({
        ...at(4),
        prompt: rolesProblem
          ? vscode.l10n.t('IAM execution role ARN ({0})', rolesProblem)
          : roles?.length === 0
            ? vscode.l10n.t('IAM execution role ARN (no role of this account lets SageMaker assume it)')
            : vscode.l10n.t('IAM execution role ARN'),
        placeholder: 'arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole',
        value: state.roleArn,
        validate: (v) => validateRoleArn(v.trim(), vscode.l10n),
      });
      if (typeof a === 'string') state.roleArn = a.trim();
      return a;
    },
    async () => {
      const a = await prompter.input({
        ...at(5),
        prompt: vscode.l10n.t('Volume size in GB ({0} to 16384)', MIN_VOLUME_GB),
        value: state.volume,
        validate: (v) => validateVolume(v, MIN_VOLUME_GB, vscode.l10n),
      });
      if (typeof a === 'string') state.volume = a.trim();
      return a;
    },
    async () => {
      if (configs === undefined && configsProblem === undefined) {
        try {
          configs = (await manage.listLifecycleConfigs(state.region)).map((c) => c.name);
        } catch (error) {
          configsProblem = toUserError(error, { profile: '' }, vscode.l10n).message;
        }
      }
      const items: Item<string | undefined>[] = [
        { label: vscode.l10n.t('No lifecycle configuration'), description: configsProblem, value: undefined },
        ...(configs ?? []).map((c) => ({ label: c, value: c })),
      ];
      return pickValue(
        items,
        vscode.l10n.t('Lifecycle configuration (scripts run when the instance is created and started)'),
        6,
        state.lifecycle,
        (v) => (state.lifecycle = v),
      );
    },
    () =>
      pickValue(
        onOff(vscode.l10n.t('Users get root access on the instance')),
        vscode.l10n.t('Root access'),
        7,
        state.rootAccess,
        (v) => (state.rootAccess = v),
      ),
    () =>
      pickValue(
        onOff(vscode.l10n.t('The instance reaches the internet through SageMaker')),
        vscode.l10n.t('Direct internet access'),
        8,
        state.internet,
        (v) => (state.internet = v),
      ),
    async () => {
      const a = await prompter.input({
        ...at(9),
        prompt: vscode.l10n.t(
          'Default Git repository (optional): an https:// URL or a SageMaker code repository name. Press Enter to create the instance.',
        ),
        value: state.repository,
        validate: (v) => validateCodeRepository(v.trim(), vscode.l10n),
      });
      if (typeof a === 'string') state.repository = a.trim();
      return a;
    },
  ];
  if (!(await runSteps(steps))) return undefined;

  const request: CreateRequest = {
    name: state.name,
    instanceType: state.instanceType,
    platformIdentifier: state.platform,
    roleArn: state.roleArn,
    volumeSizeInGB: Number(state.volume),
    lifecycleConfigName: state.lifecycle,
    rootAccess: state.rootAccess,
    directInternetAccess: state.internet,
    defaultCodeRepository: state.repository || undefined,
  };
  const arn = await deps.ui.progress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Creating notebook instance {0}…', state.name) },
    () => manage.create(state.region, request),
  );
  const created = await api.describeInstance(state.region, state.name);
  watchNewInstance(deps, arn || created.arn, created.name);
  deps.connection.refresh(); // lists it (Pending) and watches it until it settles
  return created;
}

function onOff(enabledDetail: string): Item<'Enabled' | 'Disabled'>[] {
  return [
    { label: vscode.l10n.t('Enabled'), detail: enabledDetail, value: 'Enabled' },
    { label: vscode.l10n.t('Disabled'), value: 'Disabled' },
  ];
}

/** Offers to open the instance once the tree sees it InService, or its startup log if it fails. */
export function watchNewInstance(deps: ManageDeps, arn: string, name: string): void {
  const listener = deps.instances.onDidSeeInstances(({ instances, removed }) => {
    if (removed.includes(arn)) return listener.dispose();
    const fresh = instances.find((i) => i.arn === arn);
    if (!fresh) return;
    if (fresh.status === 'InService') {
      listener.dispose();
      const open = vscode.l10n.t('Open');
      void deps.ui.info(vscode.l10n.t('Notebook instance {0} is InService.', name), open).then((c) => c === open && deps.open(fresh));
    } else if (fresh.status === 'Failed') {
      listener.dispose();
      const show = vscode.l10n.t('Show Startup Log');
      void deps.ui
        .warn(vscode.l10n.t('Notebook instance {0} failed to start: {1}', name, fresh.failureReason ?? ''), show)
        .then(
          (c) => c === show && vscode.commands.executeCommand('sagemakerNotebooks.showStartupLog', { kind: 'instance', instance: fresh }),
        );
    }
  });
}
