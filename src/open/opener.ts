// Opening a notebook: the status decides the path (open, start-and-open, wait, explain), the URL is minted
// right before it is handed over, and one click opens once.
import vscode = require('vscode');
import type { Connection } from '../aws/connection';
import { toUserError, UserFacingError } from '../aws/errors';
import { consoleUrl } from '../aws/regions';
import type { InstanceStore } from '../notebooks/instanceStore';
import type { Logger } from '../shared/log';
import type { NotebookInstance } from '../shared/instance';
import type { NotebookSession } from '../session/session';
import type { Ui } from '../shared/ui';
import type { OpenSettings, OpenTarget } from './openSettings';
import { checkAuthorizedUrl, interfaceUrl, type NotebookInterface } from './urls';

type Ready = Connection & { kind: 'ready' };

export interface OpenTargets {
  /** Hands the exact URL string to the browser (a string, so no Uri re-encodes the token). */
  browser(url: string): Thenable<boolean>;
  /** Opens a VS Code tab on the instance's Jupyter connection; resolves with the session it holds. */
  editor(
    instance: NotebookInstance,
    ui: NotebookInterface,
    reopen: () => Promise<void>,
  ): Promise<{ startedAt: number; expiresAt: number; renews: boolean }>;
  /** VS Code's Integrated Browser; false when this VS Code has none. */
  integratedBrowser(url: string): Promise<boolean>;
}

/** What the opener tells the instance store: an instance it started, stopped or found gone. */
type Instances = Pick<InstanceStore, 'findInstance' | 'updateInstance' | 'removeInstance'>;

export interface OpenerDeps {
  readonly connection: () => Promise<Connection>;
  readonly instances: Instances;
  readonly settings: () => OpenSettings;
  /** The endpoint the region's requests go to (for the loopback check and error messages). */
  readonly endpoint: (region: string) => string | undefined;
  readonly targets: OpenTargets;
  readonly onOpened: (session: NotebookSession) => Promise<void> | void;
  readonly logger: Logger;
  /** Asks the questions (start it? stop it?), shows progress and the messages of a failed or deleted instance. */
  readonly ui: Ui;
  readonly now?: () => number;
  /** Pause between status checks while waiting for a start or stop, growing to the last value. */
  readonly waitSchedule?: readonly number[];
}

export interface OpenOptions {
  readonly target?: OpenTarget;
  readonly ui?: NotebookInterface;
}

export class NotebookOpener {
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(private readonly deps: OpenerDeps) {}

  /** Opens the instance; a second call for the same instance while one runs joins it instead. */
  open(instance: NotebookInstance, options: OpenOptions = {}): Promise<void> {
    const running = this.inFlight.get(instance.arn);
    if (running) return running;
    const run = this.openOnce(instance, options).finally(() => this.inFlight.delete(instance.arn));
    this.inFlight.set(instance.arn, run);
    return run;
  }

  async startInstance(instance: NotebookInstance): Promise<void> {
    const connection = await this.ready();
    await this.call(instance, connection, 'start', () => connection.api.startInstance(instance.region, instance.name));
    this.deps.instances.updateInstance({ ...instance, status: 'Pending' }, { resetPolling: true });
  }

  /** Asks, then stops the instance; false when the user said no. */
  async confirmAndStop(instance: NotebookInstance): Promise<boolean> {
    const confirmed = await this.deps.ui.confirm(
      vscode.l10n.t('Stop notebook instance {0}?', instance.name),
      vscode.l10n.t('Running kernels end and unsaved work in them is lost. Files on the instance volume are kept.'),
      vscode.l10n.t('Stop'),
    );
    if (!confirmed) return false;
    const connection = await this.ready();
    await this.call(instance, connection, 'stop', () => connection.api.stopInstance(instance.region, instance.name));
    this.deps.instances.updateInstance({ ...instance, status: 'Stopping' }, { resetPolling: true });
    return true;
  }

  private async openOnce(known: NotebookInstance, options: OpenOptions): Promise<void> {
    const connection = await this.ready();
    const settings = this.deps.settings();
    const target = options.target ?? settings.target;
    const ui = options.ui ?? settings.ui;
    const instance = (await this.readyToOpen(known, connection)) ?? undefined;
    if (!instance) return;
    await this.deps.ui.progress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Opening {0}…', instance.name), cancellable: true },
      async (_progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        const seconds = settings.sessionMinutes * 60;
        let opened = target;
        let url: string | undefined;
        if (target !== 'editor') {
          url = interfaceUrl(await this.presign(instance, seconds, abort.signal), ui);
          if (target === 'integratedBrowser' && !(await this.deps.targets.integratedBrowser(url))) {
            // Older VS Code versions and forks have no Integrated Browser: a VS Code tab is the closest thing.
            this.deps.logger.info('This VS Code has no Integrated Browser; opening in a VS Code tab instead.');
            opened = 'editor';
          }
        }
        const startedAt = this.now();
        let session = { startedAt, expiresAt: startedAt + seconds * 1000, renews: false };
        if (opened === 'editor') {
          // The tab uses the instance's Jupyter connection, which mints its own URL when it signs in and
          // renews the session itself.
          session = await this.deps.targets.editor(instance, ui, () => this.open(instance, { target: 'editor', ui }));
        } else if (opened === 'browser' && !(await this.deps.targets.browser(url!))) {
          // Not handed over (or refused): no "Opened" line and no session timer for a page that never came.
          this.deps.logger.info(`Did not open ${instance.region}/${instance.name} in the browser`);
          return;
        }
        this.deps.logger.info(`Opened ${instance.region}/${instance.name} in the ${opened} (${ui})`);
        await this.deps.onOpened({
          profile: connection.profile,
          region: instance.region,
          arn: instance.arn,
          name: instance.name,
          target: opened,
          ui,
          ...session,
        });
      },
    );
  }

  /**
   * A presigned URL for the instance, minted now and checked: every user gets the URL rebuilt from its
   * checked parts, never SageMaker's string as it came. It is used at once and never kept.
   */
  async presign(instance: NotebookInstance, sessionSeconds: number, signal?: AbortSignal): Promise<string> {
    const connection = await this.ready();
    const authorized = await this.call(instance, connection, 'open', () =>
      connection.api.presignUrl(instance.region, instance.name, sessionSeconds, signal),
    );
    const checked = checkAuthorizedUrl(authorized, this.deps.endpoint(instance.region), vscode.l10n);
    if (checked.refused !== undefined) throw new UserFacingError(vscode.l10n.t('Could not open {0}: {1}', instance.name, checked.refused));
    return checked.url;
  }

  /** The instance in service, started first if the user agrees (kernels use it before they connect). */
  async readyToUse(instance: NotebookInstance): Promise<NotebookInstance | undefined> {
    return this.readyToOpen(instance, await this.ready());
  }

  /** Brings the instance to InService when the user agrees; undefined when there is nothing to open. */
  private async readyToOpen(known: NotebookInstance, connection: Ready, startAgreed = false): Promise<NotebookInstance | undefined> {
    // The tree's status is trusted when it says InService: that keeps an open at exactly one request.
    let instance = known.status === 'InService' ? known : await this.describe(known, connection);
    if (instance.status === 'Stopping' || instance.status === 'Updating') {
      // Both end in Stopped (an update is only made to a stopped instance): ask now, not after the wait.
      const confirmed =
        startAgreed ||
        (await this.deps.ui.confirm(
          instance.status === 'Stopping'
            ? vscode.l10n.t('{0} is stopping. Start it again when it has stopped, and open it?', instance.name)
            : vscode.l10n.t('{0} is being updated. Start it when the update is done, and open it?', instance.name),
          vscode.l10n.t('Waiting, then starting, usually takes a few minutes; the instance is billed while it runs.'),
          vscode.l10n.t('Open When Running'),
        ));
      if (!confirmed) return undefined;
      const from = instance.status;
      instance = await this.waitFor(
        instance,
        connection,
        (s) => s !== from,
        from === 'Stopping'
          ? vscode.l10n.t('Waiting for {0} to stop', instance.name)
          : vscode.l10n.t('Waiting for the update of {0}', instance.name),
      );
      startAgreed = true;
    }
    switch (instance.status) {
      case 'InService':
        return instance;
      case 'Pending':
        return this.waitUntilInService(instance, connection);
      case 'Stopped': {
        const confirmed =
          startAgreed ||
          (await this.deps.ui.confirm(
            vscode.l10n.t('{0} is stopped. Start it and open it when it is ready?', instance.name),
            vscode.l10n.t('Starting usually takes a few minutes; the instance is billed while it runs.'),
            vscode.l10n.t('Start and Open'),
          ));
        if (!confirmed) return undefined;
        await this.startInstance(instance);
        return this.waitUntilInService({ ...instance, status: 'Pending' }, connection);
      }
      case 'Failed': {
        const openConsole = vscode.l10n.t('Open AWS Console');
        const reason = instance.failureReason ? `: ${instance.failureReason}` : '.';
        void this.deps.ui.error(vscode.l10n.t('{0} has failed{1}', instance.name, reason), openConsole).then((c) => {
          if (c === openConsole) void this.deps.ui.openExternal(consoleUrl(instance.region, instance.name));
        });
        return undefined;
      }
      case 'PendingMaintenance':
      case 'InMaintenance':
        throw new UserFacingError(
          vscode.l10n.t(
            '{0} is under maintenance by SageMaker ({1}) and cannot be opened until the maintenance is over; the view shows when it is.',
            instance.name,
            instance.status,
          ),
        );
      case 'Deleting':
        void this.deps.ui.warn(vscode.l10n.t('{0} is being deleted and cannot be opened.', instance.name));
        return undefined;
      default:
        throw new UserFacingError(vscode.l10n.t('{0} is {1} and cannot be opened.', instance.name, instance.status));
    }
  }

  private async waitUntilInService(instance: NotebookInstance, connection: Ready): Promise<NotebookInstance | undefined> {
    const done = await this.waitFor(
      instance,
      connection,
      (s) => s === 'InService' || s === 'Failed' || s === 'Stopped',
      vscode.l10n.t('Waiting for {0} to start', instance.name),
    );
    if (done.status === 'InService') return done;
    if (done.status === 'Failed') {
      // Most often the lifecycle configuration's on-start script failed: say where its output is.
      const reason = done.failureReason ? `: ${done.failureReason.replace(/\.?$/, '.')}` : '.';
      throw new UserFacingError(
        vscode.l10n.t(
          '{0} could not start{1} If it has a lifecycle configuration, its output is in CloudWatch Logs (log group /aws/sagemaker/NotebookInstances, stream {0}/LifecycleConfigOnStart); fix the cause, then start it again.',
          done.name,
          reason,
        ),
      );
    }
    return this.readyToOpen(done, connection); // Stopped: ask again
  }

  /**
   * Polls the status in a cancellable notification. VS Code shows it as "title: message", so the title has
   * no ellipsis and the message reads on from it ("Waiting for nb to start: now Pending").
   * Cancelling stops the waiting, not the instance.
   */
  private waitFor(
    instance: NotebookInstance,
    connection: Ready,
    settled: (status: string) => boolean,
    title: string,
  ): Promise<NotebookInstance> {
    const schedule = this.deps.waitSchedule ?? [2_000, 3_000, 5_000, 10_000];
    return Promise.resolve(
      this.deps.ui.progress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        let current = instance;
        for (let attempt = 0; ; attempt++) {
          progress.report({ message: vscode.l10n.t('now {0}', current.status) });
          await sleep(schedule[Math.min(attempt, schedule.length - 1)], abort.signal);
          current = await this.describe(current, connection, abort.signal);
          if (settled(current.status)) return current;
        }
      }),
    );
  }

  private async describe(instance: NotebookInstance, connection: Ready, signal?: AbortSignal): Promise<NotebookInstance> {
    const fresh = await this.call(instance, connection, 'open', () =>
      connection.api.describeInstance(instance.region, instance.name, signal),
    );
    this.deps.instances.updateInstance(fresh);
    return fresh;
  }

  /** Runs one SageMaker call; a refusal becomes a message that names the instance and what to do. */
  private async call<T>(
    instance: NotebookInstance,
    connection: Ready,
    action: 'open' | 'start' | 'stop',
    fn: () => Promise<T>,
  ): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      const user = toUserError(
        error,
        { profile: connection.profile, region: instance.region, endpoint: this.deps.endpoint(instance.region) },
        vscode.l10n,
      );
      if (user.kind === 'cancelled' || (error as Error)?.name === 'AbortError') throw new vscode.CancellationError();
      this.deps.logger.error(
        `${action} ${instance.region}/${instance.name} failed: ${(error as Error)?.name} ${(error as Error)?.message}`,
      );
      if (user.kind === 'notFound') {
        this.deps.instances.removeInstance(instance.arn);
        throw new UserFacingError(
          vscode.l10n.t('{0} no longer exists in {1}; it was removed from the list.', instance.name, instance.region),
          'notFound',
        );
      }
      const verb = { open: vscode.l10n.t('open'), start: vscode.l10n.t('start'), stop: vscode.l10n.t('stop') }[action];
      throw new UserFacingError(vscode.l10n.t('Could not {0} {1}: {2}', verb, instance.name, user.message), user.kind);
    }
  }

  private async ready(): Promise<Ready> {
    const connection = await this.deps.connection();
    if (connection.kind !== 'ready') throw new UserFacingError(connection.message);
    return connection;
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new vscode.CancellationError());
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new vscode.CancellationError());
      },
      { once: true },
    );
  });
}
