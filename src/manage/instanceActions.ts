// Update, Delete and the guided migration to Amazon Linux 2023, on an instance from a tree row or a pick.
import vscode = require('vscode');
import { UserFacingError } from '../aws/errors';
import { chooseInstance } from '../notebooks/chooseInstance';
import { session, waitForStatus, type ManageDeps } from './context';
import { instanceTypeItems, platformItems } from './createWizard';
import type { UpdateRequest } from './manageApi';
import { BACK, runSteps, type Answer } from './prompter';
import { DEFAULT_PLATFORM, family, instanceTypeProblem, isAl2023, validateVolume } from './rules';
import { checkScript } from './scriptChecks';

type Item<T> = vscode.QuickPickItem & { value?: T };

/** Update Notebook Instance: type, volume (grow only), lifecycle configuration, root access, platform. */
export async function updateInstance(deps: ManageDeps, node?: unknown): Promise<void> {
  const chosen = await chooseInstance(deps, node, vscode.l10n.t('Stopped notebook instance to update'), (i) => i.status === 'Stopped');
  if (!chosen) return;
  const { api, manage } = await session(deps.connection, deps.logger);
  const current = await manage.describe(chosen.region, chosen.name);
  if (current.status !== 'Stopped') {
    throw new UserFacingError(
      vscode.l10n.t('{0} is {1}: SageMaker updates only stopped instances. Stop it first, then update it.', current.name, current.status),
    );
  }
  const prompter = deps.prompter();
  const title = vscode.l10n.t('Update {0}', current.name);
  const at = (n: number) => ({ title, step: n, totalSteps: 5 });
  const next = {
    platform: current.platformIdentifier ?? DEFAULT_PLATFORM,
    instanceType: current.instanceType,
    volume: String(current.volumeSizeInGB ?? 5),
    lifecycle: current.lifecycleConfigName,
    rootAccess: (current.rootAccess ?? 'Enabled') as 'Enabled' | 'Disabled',
  };
  let configs: string[] | undefined;
  const pick = async <T>(n: number, placeholder: string, items: Item<T>[], value: T, set: (v: T) => void): Promise<Answer<unknown>> => {
    const a = await prompter.pick({ ...at(n), placeholder, items, active: items.find((i) => i.value === value) });
    if (a !== undefined && a !== BACK) set(a.value as T);
    return a;
  };
  const ok = await runSteps([
    () => pick(1, vscode.l10n.t('Platform'), platformItems(current.platformIdentifier), next.platform, (v) => (next.platform = v)),
    () => {
      const items = instanceTypeItems(next.platform, current.instanceType);
      if (!items.some((i) => i.value === next.instanceType)) next.instanceType = 'ml.t3.medium';
      return pick(2, vscode.l10n.t('Instance type'), items, next.instanceType, (v) => (next.instanceType = v));
    },
    async () => {
      const minimum = current.volumeSizeInGB ?? 5;
      const a = await prompter.input({
        ...at(3),
        prompt: vscode.l10n.t('Volume size in GB (can only grow: {0} now)', minimum),
        value: next.volume,
        validate: (v) => validateVolume(v, minimum, vscode.l10n),
      });
      if (typeof a === 'string') next.volume = a.trim();
      return a;
    },
    async () => {
      configs ??= (await manage.listLifecycleConfigs(current.region)).map((c) => c.name);
      const items: Item<string | undefined>[] = [
        {
          label: vscode.l10n.t('No lifecycle configuration'),
          description: current.lifecycleConfigName ? vscode.l10n.t('detach {0}', current.lifecycleConfigName) : vscode.l10n.t('current'),
          value: undefined,
        },
        ...configs.map((c) => ({
          label: c,
          description: c === current.lifecycleConfigName ? vscode.l10n.t('current') : undefined,
          value: c,
        })),
      ];
      return pick(4, vscode.l10n.t('Lifecycle configuration'), items, next.lifecycle, (v) => (next.lifecycle = v));
    },
    () =>
      pick(
        5,
        vscode.l10n.t('Root access'),
        [
          { label: vscode.l10n.t('Enabled'), value: 'Enabled' as const },
          { label: vscode.l10n.t('Disabled'), value: 'Disabled' as const },
        ],
        next.rootAccess,
        (v) => (next.rootAccess = v),
      ),
  ]);
  if (!ok) return;
  const change: { -readonly [K in keyof UpdateRequest]: UpdateRequest[K] } = {};
  if (next.platform !== current.platformIdentifier) change.platformIdentifier = next.platform;
  if (next.instanceType !== current.instanceType) change.instanceType = next.instanceType;
  if (Number(next.volume) !== current.volumeSizeInGB) change.volumeSizeInGB = Number(next.volume);
  if (next.lifecycle !== current.lifecycleConfigName) change.lifecycleConfigName = next.lifecycle ?? null;
  if (next.rootAccess !== (current.rootAccess ?? 'Enabled')) change.rootAccess = next.rootAccess;
  if (!Object.keys(change).length) {
    await deps.ui.info(vscode.l10n.t('Nothing to change on {0}.', current.name));
    return;
  }
  await deps.ui.progress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Updating {0}…', current.name) }, () =>
    manage.update(current.region, current.name, change),
  );
  deps.instances.updateInstance(await api.describeInstance(current.region, current.name), { resetPolling: true });
}

/** Delete Notebook Instance, for Stopped and Failed ones, after a modal naming it and its volume. */
export async function deleteInstance(deps: ManageDeps, node?: unknown): Promise<void> {
  const chosen = await chooseInstance(
    deps,
    node,
    vscode.l10n.t('Notebook instance to delete'),
    (i) => i.status === 'Stopped' || i.status === 'Failed',
  );
  if (!chosen) return;
  const { api, manage } = await session(deps.connection, deps.logger);
  const confirmed = await deps.ui.confirm(
    vscode.l10n.t('Delete notebook instance "{0}" in {1}?', chosen.name, chosen.region),
    vscode.l10n.t(
      'Its ML storage volume is deleted with it, and every file on it (notebooks, data, installed packages) is lost. This cannot be undone.',
    ),
    vscode.l10n.t('Delete'),
  );
  if (!confirmed) return;
  await manage.delete(chosen.region, chosen.name);
  deps.instances.updateInstance(await api.describeInstance(chosen.region, chosen.name), { resetPolling: true });
}

/**
 * Migrate to Amazon Linux 2023 in one action: check the type is offered there, warn about lifecycle scripts
 * that use yum or initctl, stop the instance if it runs, update its platform, start it again.
 */
export async function migrateToAl2023(deps: ManageDeps, node?: unknown): Promise<void> {
  const chosen = await chooseInstance(
    deps,
    node,
    vscode.l10n.t('Notebook instance to migrate to Amazon Linux 2023'),
    (i) => ['InService', 'Stopped', 'Failed'].includes(i.status) && !isAl2023(i.platformIdentifier),
  );
  if (!chosen) return;
  const { api, manage } = await session(deps.connection, deps.logger);
  const current = await manage.describe(chosen.region, chosen.name);
  if (isAl2023(current.platformIdentifier)) {
    await deps.ui.info(vscode.l10n.t('{0} already runs on Amazon Linux 2023 ({1}).', current.name, current.platformIdentifier ?? ''));
    return;
  }
  const target = DEFAULT_PLATFORM;
  const typeProblem = instanceTypeProblem(current.instanceType, target, vscode.l10n);
  if (typeProblem) {
    throw new UserFacingError(
      vscode.l10n.t(
        'Cannot migrate {0}: {1} Update it to a supported instance type first (Update Notebook Instance), then migrate.',
        current.name,
        typeProblem,
      ),
      'validation',
    );
  }
  if (!['InService', 'Stopped', 'Failed'].includes(current.status)) {
    throw new UserFacingError(
      vscode.l10n.t('{0} is {1}: wait until it is InService or Stopped, then migrate.', current.name, current.status),
    );
  }
  const warnings: string[] = [];
  if (current.lifecycleConfigName) {
    const scripts = await manage.lifecycleScripts(current.region, current.lifecycleConfigName);
    for (const [hook, text] of [
      ['OnCreate', scripts.onCreate],
      ['OnStart', scripts.onStart],
    ] as const) {
      for (const p of text ? checkScript(text, { al2023: true }, vscode.l10n) : []) {
        if (p.code === 'yum' || p.code === 'initctl')
          warnings.push(`${current.lifecycleConfigName} ${hook}, ${vscode.l10n.t('line {0}', p.line + 1)}: ${p.message}`);
      }
    }
  }
  const running = current.status === 'InService';
  const detail = [
    running
      ? vscode.l10n.t('It is running: it will be stopped, updated to {0}, and started again.', target)
      : vscode.l10n.t('It will be updated to {0} and started.', target),
    vscode.l10n.t('Its volume and files are kept; packages installed outside the volume must be installed again.'),
    ...(warnings.length
      ? [
          '',
          vscode.l10n.t('Its lifecycle configuration uses commands Amazon Linux 2023 does not have, so the start may fail:'),
          ...warnings,
        ]
      : []),
  ].join('\n');
  if (
    !(await deps.ui.confirm(
      vscode.l10n.t(
        'Migrate "{0}" ({1}, {2}) to Amazon Linux 2023?',
        current.name,
        current.instanceType,
        current.platformIdentifier ?? 'Amazon Linux 2',
      ),
      detail,
      vscode.l10n.t('Migrate'),
    ))
  )
    return;
  await deps.ui.progress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('Migrating {0} to Amazon Linux 2023', current.name),
      cancellable: true,
    },
    async (progress, token) => {
      if (running) {
        progress.report({ message: vscode.l10n.t('stopping…') });
        await api.stopInstance(current.region, current.name);
        await waitForStatus(api, current, ['Stopped'], token);
      }
      progress.report({ message: vscode.l10n.t('updating the platform…') });
      await manage.update(current.region, current.name, { platformIdentifier: target });
      await waitForStatus(api, current, ['Stopped'], token);
      progress.report({ message: vscode.l10n.t('starting…') });
      await api.startInstance(current.region, current.name);
    },
  );
  const fresh = await api.describeInstance(current.region, current.name);
  deps.instances.updateInstance(fresh, { resetPolling: true });
  deps.logger.info(`Migrated ${current.region}/${current.name} (${family(current.instanceType)}) to ${target}`);
}
