// The instance's kernels as VS Code kernels: one NotebookController per kernelspec of a connected instance,
// for VS Code's own `.ipynb` editor (`jupyter-notebook`). Cells run through @jupyterlab/services (dist/kernels.js,
// loaded on the first run) over the instance's shared Jupyter connection; kernels are started through
// `/api/sessions` with the notebook's path, so closing a notebook leaves its kernel running and reopening it
// reattaches. A local notebook remembers its kernel in the workspace state and reconnects on its next run.
import vscode = require('vscode');
import { createHash } from 'node:crypto';
import type { Logger } from '../shared/log';
import type { NotebookInstance } from '../shared/instance';
import type { Ui } from '../shared/ui';
import type { ConnectionLease } from '../jupyter/connections';
import type { ConnectionState, JupyterConnection } from '../jupyter/connection';
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import type { KernelConnection } from '@jupyterlab/services/lib/kernel/default';
import { loadKernels } from './loadKernels';
import { KernelNotReadyError, kernelReady } from './ready';
import { OutputMapper, errorItem, type Output, type OutputChange, type OutputItem } from './outputs';
import { BINDINGS_KEY, bindingFor, type KernelBinding, type KernelSpecInfo } from './bindings';

export const NOTEBOOK_TYPE = 'jupyter-notebook';
/** package.json's publisher.name: VS Code's notebook.selectKernel names a controller by it and the controller id. */
export const EXTENSION_ID = 'sagemaker-notebooks.sagemaker-notebook-instances';
const CONTROLLER_PREFIX = 'sagemaker-nb';

export interface KernelsDeps {
  readonly logger: Logger;
  readonly ui: Ui;
  /** The workspace state: where local notebooks remember their instance and kernel. */
  readonly state: vscode.Memento;
  /** The active AWS profile. */
  readonly profile: () => string;
  /** A hold on the instance's shared Jupyter connection (opened by its first user). */
  readonly connect: (instance: NotebookInstance) => ConnectionLease;
  /** The instance brought to InService, asking to start it when it is stopped; undefined when the user declined. */
  readonly readyToUse: (instance: NotebookInstance) => Promise<NotebookInstance | undefined>;
  /** What the tree knows of an instance now. */
  readonly findInstance: (arn: string) => NotebookInstance | undefined;
  /** Where a notebook of the instance's own files lives on the instance (the files feature); undefined for others. */
  readonly pathOnInstance?: (uri: vscode.Uri) => string | undefined;
  /** The instance a notebook of the instance's own files belongs to (under the active profile); undefined for others. */
  readonly instanceOfFile?: (uri: vscode.Uri) => Promise<NotebookInstance | undefined>;
}

/** What a notebook's kernel is doing, for the status bar. */
export type KernelStatus =
  | { readonly kind: 'connecting' }
  | { readonly kind: 'idle' | 'busy' }
  | { readonly kind: 'restarting' }
  | { readonly kind: 'dead'; readonly message: string }
  | { readonly kind: 'ended'; readonly message: string };

/** A notebook's attachment to a kernel on the instance: its session and the library's kernel connection. */
interface Attached {
  readonly sessionId: string;
  readonly path: string;
  readonly kernel: KernelConnection;
  readonly spec: string;
  /** False once we let go of it: its late status events (disconnected, dead on dispose) are not the kernel's. */
  live: boolean;
  /** Resolves when the kernel is there to take a cell (see ready.ts). */
  readonly ready: () => Promise<void>;
}

function letGo(a: Attached): void {
  a.live = false;
  if (!a.kernel.isDisposed) a.kernel.dispose();
}

/** The kernels of one instance under one profile: its controllers and the notebooks attached to them. */
class InstanceKernels implements vscode.Disposable {
  readonly controllers = new Map<string, vscode.NotebookController>();
  private lease: ConnectionLease | undefined;
  private leaseWatch: { dispose(): void } | undefined;
  private connecting: Promise<JupyterConnection> | undefined;
  readonly attached = new Map<string, Promise<Attached>>();
  private specsLoaded = false;

  constructor(
    readonly profile: string,
    public instance: NotebookInstance,
    private readonly owner: KernelControllers,
  ) {}

  get key(): string {
    return keyOf(this.profile, this.instance.arn);
  }

  get connection(): JupyterConnection | undefined {
    return this.lease?.connection.state.kind === 'ended' ? undefined : this.lease?.connection;
  }

  /** Signed in to the instance's Jupyter (bringing the instance to InService first, if it was not known to be). */
  async connected(askToStart: boolean): Promise<JupyterConnection> {
    const live = this.connection;
    if (live) {
      await live.ready();
      return live;
    }
    this.connecting ??= (async () => {
      try {
        if (askToStart) {
          const ready = await this.owner.deps.readyToUse(this.owner.deps.findInstance(this.instance.arn) ?? this.instance);
          if (!ready) throw new vscode.CancellationError();
          this.instance = ready;
        }
        this.releaseLease();
        const lease = this.owner.deps.connect(this.instance);
        this.lease = lease;
        this.leaseWatch = lease.connection.onDidChangeState((state) => this.connectionChanged(state));
        await lease.connection.ready();
        return lease.connection;
      } finally {
        this.connecting = undefined;
      }
    })();
    return this.connecting;
  }

  /** The kernelspecs of the instance: one controller each. */
  async loadSpecs(): Promise<KernelSpecInfo[]> {
    const connection = await this.connected(true);
    const answer = await connection.json<{
      default?: string;
      kernelspecs?: Record<string, { name: string; spec?: { display_name?: string; language?: string } }>;
    }>('/api/kernelspecs');
    const specs = Object.values(answer?.kernelspecs ?? {}).map((k) => ({
      name: k.name,
      displayName: k.spec?.display_name || k.name,
      language: k.spec?.language || 'python',
    }));
    specs.sort((a, b) => (a.name === answer?.default ? -1 : b.name === answer?.default ? 1 : a.displayName.localeCompare(b.displayName)));
    for (const spec of specs) this.owner.controllerFor(this, spec);
    this.specsLoaded = true;
    return specs;
  }

  get hasSpecs(): boolean {
    return this.specsLoaded;
  }

  /** The notebook's kernel: its session on the instance (found by path, or started), and a connection to it. */
  attach(notebook: vscode.NotebookDocument, spec: KernelSpecInfo): Promise<Attached> {
    const id = notebook.uri.toString();
    const existing = this.attached.get(id);
    if (existing) {
      return existing.then(
        (a) => (a.spec === spec.name && !a.kernel.isDisposed && a.kernel.status !== 'dead' ? a : this.reattach(notebook, spec, a)),
        () => this.reattach(notebook, spec, undefined),
      );
    }
    return this.reattach(notebook, spec, undefined);
  }

  private reattach(notebook: vscode.NotebookDocument, spec: KernelSpecInfo, previous: Attached | undefined): Promise<Attached> {
    const id = notebook.uri.toString();
    if (previous) letGo(previous);
    const attaching = (async (): Promise<Attached> => {
      this.owner.setStatus(notebook, { kind: 'connecting' });
      const connection = await this.connected(true);
      const lib = loadKernels();
      const settings = lib.serverSettings(connection);
      const path = this.owner.pathFor(notebook);
      const name = path.split('/').pop() ?? path;
      let model = await lib.startSession({ path, name, type: 'notebook', kernel: { name: spec.name } }, settings);
      if (model.kernel && model.kernel.name !== spec.name) {
        // The notebook's session runs another kernelspec: switch it, as JupyterLab's "Change Kernel" does.
        model = await lib.updateSession({ id: model.id, kernel: { name: spec.name } }, settings);
      }
      if (!model.kernel) throw new Error('Jupyter started the session without a kernel.');
      const kernel = new lib.KernelConnection({ model: model.kernel, serverSettings: settings, handleComms: false, username: 'vscode' });
      this.owner.deps.logger.info(
        `Kernels: ${notebook.uri.scheme === 'file' ? 'local notebook' : 'notebook'} attached to kernel ${spec.name} of ${this.instance.name} (session ${path})`,
      );
      const ready = () =>
        kernelReady(kernel, {
          onNudge: (n) =>
            this.owner.deps.logger.debug(
              `Kernels: ${spec.name} of ${this.instance.name} said nothing since it connected; reconnecting (${n})`,
            ),
          serverState: async () => (await lib.getKernelModel(kernel.id, kernel.serverSettings))?.execution_state,
        });
      const attached: Attached = { sessionId: model.id, path, kernel, spec: spec.name, live: true, ready };
      // update_display_data: the library gives it only to the futures of the cells that showed the display id
      // and are still running, never to the cell that sent it; a display updated after its cell ended (by a
      // later cell's handle, a background thread) would be lost. Every update is taken here, from the kernel.
      kernel.iopubMessage.connect((_k, msg) => {
        if (attached.live && msg.header.msg_type === 'update_display_data') this.owner.displayUpdated(notebook, msg);
      });
      kernel.statusChanged.connect((_k, status) => {
        if (!attached.live) return;
        this.owner.deps.logger.trace(`Kernels: ${spec.name} of ${this.instance.name}: ${status}`);
        this.owner.kernelStatus(notebook, this, status);
        // The restarted kernel is watched until it answers, so the status bar comes back without a run.
        if (status === 'autorestarting') void attached.ready().catch(() => undefined);
      });
      kernel.connectionStatusChanged.connect((_k, status) => {
        if (!attached.live) return;
        this.owner.deps.logger.debug(`Kernels: ${spec.name} of ${this.instance.name}: connection ${status}`);
        if (status === 'connecting') this.owner.setStatus(notebook, { kind: 'connecting' });
        if (status === 'connected') this.owner.kernelStatus(notebook, this, kernel.status);
      });
      this.owner.kernelStatus(notebook, this, kernel.status);
      return attached;
    })();
    this.attached.set(id, attaching);
    attaching.catch(() => {
      if (this.attached.get(id) === attaching) this.attached.delete(id);
    });
    return attaching;
  }

  /** A notebook closed: its WebSocket closes, its kernel keeps running on the instance. */
  detach(notebook: vscode.NotebookDocument): void {
    const id = notebook.uri.toString();
    const attaching = this.attached.get(id);
    if (!attaching) return;
    this.attached.delete(id);
    void attaching.then(letGo, () => undefined);
  }

  /** Ends the notebook's session and its kernel on the instance. */
  async shutdown(notebook: vscode.NotebookDocument): Promise<boolean> {
    const id = notebook.uri.toString();
    const attaching = this.attached.get(id);
    if (!attaching) return false;
    this.attached.delete(id);
    const a = await attaching;
    letGo(a);
    const connection = await this.connected(false);
    await loadKernels().shutdownSession(a.sessionId, loadKernels().serverSettings(connection));
    this.owner.deps.logger.info(`Kernels: shut down kernel ${a.spec} of ${this.instance.name}`);
    return true;
  }

  private connectionChanged(state: ConnectionState): void {
    if (state.kind !== 'ended') return;
    // The instance stopped, the profile changed, the session ended without renewal: every kernel connection of
    // this instance ends with it (their cells end as failed), and each notebook says why and what to do.
    const notebooks = [...this.attached.keys()];
    for (const attaching of this.attached.values()) void attaching.then(letGo, () => undefined);
    this.attached.clear();
    this.releaseLease();
    for (const uri of notebooks) this.owner.setStatusByUri(uri, { kind: 'ended', message: state.message });
    this.owner.deps.logger.info(
      `Kernels: the connection to ${this.instance.name} ended (${state.reason}); ${notebooks.length} notebook(s) detached`,
    );
  }

  private releaseLease(): void {
    this.leaseWatch?.dispose();
    this.leaseWatch = undefined;
    const lease = this.lease;
    this.lease = undefined;
    lease?.release();
  }

  dispose(): void {
    for (const attaching of this.attached.values()) void attaching.then(letGo, () => undefined);
    this.attached.clear();
    this.releaseLease();
    for (const c of this.controllers.values()) c.dispose();
    this.controllers.clear();
  }
}

/** Every instance's kernels in this window, the status bar item of the active notebook's kernel, the commands. */
export class KernelControllers implements vscode.Disposable {
  private readonly instances = new Map<string, InstanceKernels>();
  private readonly statuses = new Map<string, { status: KernelStatus; label: string; instance: string }>();
  /** Which controller each notebook has selected. */
  private readonly selected = new Map<string, { kernels: InstanceKernels; spec: KernelSpecInfo }>();
  /** The outputs shown per display id, per notebook, with their cells: update_display_data replaces them. */
  private readonly displays = new Map<string, Map<string, { cell: vscode.NotebookCell; output: vscode.NotebookCellOutput }[]>>();
  /** The execution of each cell running now. */
  private readonly running = new WeakMap<vscode.NotebookCell, vscode.NotebookCellExecution>();
  /** How each cell's last run ended (count, success, timing): a later display update keeps them. */
  private readonly lastRuns = new WeakMap<vscode.NotebookCell, { order?: number; success?: boolean; start?: number; end?: number }>();
  private readonly statusItem: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly reported = new Set<string>();
  /** Bytes of stream text handed to VS Code so far (the benchmark checks every byte arrived; VS Code itself keeps only a stream's tail). */
  streamBytes = 0;
  /** Notebooks of the instance's files whose kernel is to be selected once they are the active notebook editor. */
  private readonly toSelect = new Map<vscode.NotebookDocument, string>();
  /** Told each step of a cell's run (the benchmark's breakdown); undefined outside it. */
  probe: ((step: string) => void) | undefined;

  constructor(readonly deps: KernelsDeps) {
    this.statusItem = deps.ui.statusItem('sagemakerNotebooks.kernel', vscode.StatusBarAlignment.Right, 100);
    this.statusItem.name = vscode.l10n.t('SageMaker Kernel');
    this.disposables.push(
      this.statusItem,
      vscode.window.onDidChangeActiveNotebookEditor(() => {
        this.showStatus();
        void this.selectPending();
      }),
      vscode.workspace.onDidCloseNotebookDocument((notebook) => {
        const chosen = this.selected.get(notebook.uri.toString());
        chosen?.kernels.detach(notebook);
        this.displays.delete(notebook.uri.toString());
        this.toSelect.delete(notebook);
      }),
      vscode.workspace.onDidOpenNotebookDocument((notebook) => this.preferRemembered(notebook)),
    );
  }

  /** The controllers of remembered local notebooks, made without a request: they connect on the first run. */
  restore(): void {
    const bindings = this.deps.state.get<Record<string, KernelBinding>>(BINDINGS_KEY) ?? {};
    for (const binding of Object.values(bindings)) {
      const kernels = this.kernelsOf(binding.profile, { name: binding.name, arn: binding.arn, region: binding.region, status: 'Unknown' });
      this.controllerFor(kernels, binding.spec);
    }
    for (const notebook of vscode.workspace.notebookDocuments) this.preferRemembered(notebook);
  }

  /** "Use Kernels in VS Code": the instance's kernelspecs become controllers in this window's kernel picker. */
  async connect(instance: NotebookInstance): Promise<KernelSpecInfo[]> {
    const kernels = this.kernelsOf(this.deps.profile(), instance);
    const specs = await this.deps.ui.progress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Connecting to the kernels of {0}…', instance.name) },
      () => kernels.loadSpecs(),
    );
    // Notebooks already open that name one of these kernelspecs prefer it.
    for (const notebook of vscode.workspace.notebookDocuments) {
      if (notebook.notebookType !== NOTEBOOK_TYPE) continue;
      const wanted = kernelspecOf(notebook);
      const controller = wanted ? kernels.controllers.get(wanted) : undefined;
      controller?.updateNotebookAffinity(notebook, vscode.NotebookControllerAffinity.Preferred);
    }
    this.deps.ui.statusMessage(
      vscode.l10n.t('Kernels of {0} are in the kernel picker: {1}', instance.name, specs.map((s) => s.displayName).join(', ')),
      10_000,
    );
    return specs;
  }

  /** Restart Kernel: the notebook's kernel restarts (its state is gone), the notebook stays attached. */
  async restart(target?: unknown): Promise<void> {
    const { notebook, chosen } = this.chosenFor(target);
    const attached = await chosen.kernels.attach(notebook, chosen.spec);
    this.setStatus(notebook, { kind: 'restarting' });
    await attached.kernel.restart();
    this.deps.logger.info(`Kernels: restarted ${chosen.spec.name} of ${chosen.kernels.instance.name}`);
  }

  /** Shut Down Kernel: the notebook's session and kernel end on the instance; the next run starts a new one. */
  async shutdown(target?: unknown): Promise<void> {
    const { notebook, chosen } = this.chosenFor(target);
    await chosen.kernels.shutdown(notebook);
    this.setStatus(notebook, { kind: 'ended', message: vscode.l10n.t('The kernel was shut down; run a cell to start a new one.') });
  }

  private chosenFor(target: unknown): { notebook: vscode.NotebookDocument; chosen: { kernels: InstanceKernels; spec: KernelSpecInfo } } {
    const uri = uriOf(target) ?? vscode.window.activeNotebookEditor?.notebook.uri;
    const notebook = uri && vscode.workspace.notebookDocuments.find((n) => n.uri.toString() === uri.toString());
    const chosen = notebook && this.selected.get(notebook.uri.toString());
    if (!notebook || !chosen) throw new vscode.CancellationError(); // the toolbar shows these only for our kernels
    return { notebook, chosen };
  }

  kernelsOf(profile: string, instance: NotebookInstance): InstanceKernels {
    const key = keyOf(profile, instance.arn);
    let kernels = this.instances.get(key);
    if (!kernels) {
      kernels = new InstanceKernels(profile, instance, this);
      this.instances.set(key, kernels);
    } else if (instance.status !== 'Unknown') {
      kernels.instance = instance;
    }
    return kernels;
  }

  controllerFor(kernels: InstanceKernels, spec: KernelSpecInfo): vscode.NotebookController {
    const existing = kernels.controllers.get(spec.name);
    if (existing) {
      existing.label = spec.displayName;
      return existing;
    }
    const id = `${CONTROLLER_PREFIX}:${hash(`${kernels.profile}\u0000${kernels.instance.arn}`)}:${spec.name}`;
    const controller = vscode.notebooks.createNotebookController(id, NOTEBOOK_TYPE, spec.displayName);
    controller.description = `${kernels.instance.name} · ${kernels.instance.region}`;
    controller.detail = vscode.l10n.t('Kernel {0} on SageMaker notebook instance {1}', spec.name, kernels.instance.name);
    controller.supportedLanguages = [spec.language.toLowerCase()]; // VS Code's language ids: 'R' is 'r'
    controller.supportsExecutionOrder = true;
    controller.executeHandler = (cells, notebook) => this.execute(cells, notebook, controller, kernels, spec);
    controller.interruptHandler = (notebook) => this.interrupt(notebook, kernels);
    controller.onDidChangeSelectedNotebooks(({ notebook, selected }) => {
      const id = notebook.uri.toString();
      if (selected) {
        this.selected.set(id, { kernels, spec });
        void this.remember(notebook, kernels, spec);
      } else if (this.selected.get(id)?.kernels === kernels && this.selected.get(id)?.spec.name === spec.name) {
        this.selected.delete(id);
        kernels.detach(notebook);
        this.statuses.delete(id);
        void this.forget(notebook);
      }
      this.showStatus();
    });
    kernels.controllers.set(spec.name, controller);
    return controller;
  }

  private async execute(
    cells: vscode.NotebookCell[],
    notebook: vscode.NotebookDocument,
    controller: vscode.NotebookController,
    kernels: InstanceKernels,
    spec: KernelSpecInfo,
  ): Promise<void> {
    this.selected.set(notebook.uri.toString(), { kernels, spec });
    for (const cell of cells) {
      const ok = await this.runCell(cell, notebook, controller, kernels, spec);
      if (!ok) break; // as Jupyter does: the cells after a failed one do not run
    }
  }

  private async runCell(
    cell: vscode.NotebookCell,
    notebook: vscode.NotebookDocument,
    controller: vscode.NotebookController,
    kernels: InstanceKernels,
    spec: KernelSpecInfo,
  ): Promise<boolean> {
    this.probe?.('handler');
    const execution = controller.createNotebookCellExecution(cell);
    const startTime = Date.now();
    execution.start(startTime);
    // Each change goes to VS Code at once, without waiting for the one before: the extension host keeps their
    // order (end() sends what it still holds first), and a cell printing fast does not wait a round trip per call.
    this.forgetDisplays(cell);
    const sent: Thenable<unknown>[] = [execution.clearOutput()];
    let attached: Attached;
    try {
      attached = await kernels.attach(notebook, spec);
      await attached.ready();
      this.probe?.('ready');
    } catch (error) {
      if (error instanceof vscode.CancellationError) {
        execution.end(undefined);
        return false;
      }
      const message =
        error instanceof KernelNotReadyError
          ? error.reason === 'dead'
            ? vscode.l10n.t('The kernel died. Run the cell again to start a new one.')
            : vscode.l10n.t('The kernel did not answer within a minute. Run the cell again, or use Restart Kernel.')
          : (error as Error).message;
      this.deps.logger.error(`Kernels: could not attach to ${spec.name} of ${kernels.instance.name}: ${message}`);
      await execution.replaceOutput(
        new vscode.NotebookCellOutput([
          toItem(
            errorItem({
              ename: vscode.l10n.t('Could not connect to the kernel'),
              evalue: vscode.l10n.t('{0} on {1}: {2}', spec.displayName, kernels.instance.name, message),
            }),
          ),
        ]),
      );
      execution.end(false, Date.now());
      return false;
    }
    const mapper = new OutputMapper({ widget: widgetNote() });
    const made = new Map<number, vscode.NotebookCellOutput>();
    // Stream text that arrives in a burst goes in one call per turn of the event loop.
    let burst: { id: number; items: OutputItem[] } | undefined;
    const flush = () => {
      if (!burst) return;
      const { id, items } = burst;
      burst = undefined;
      sent.push(this.applyChange({ kind: 'appendItems', id, items: joinStream(items) }, execution, cell, made));
    };
    const apply = (changes: OutputChange[]) => {
      for (const change of changes) {
        if (change.kind === 'appendItems') {
          if (burst && burst.id !== change.id) flush();
          if (!burst) {
            burst = { id: change.id, items: [] };
            setImmediate(flush);
          }
          burst.items.push(...change.items);
          continue;
        }
        if (change.kind === 'updateDisplay') continue; // taken from the kernel's messages: displayUpdated()
        flush();
        sent.push(this.applyChange(change, execution, cell, made));
      }
    };
    this.deps.logger.trace(`Kernels: cell ${cell.index + 1} of ${notebookName(notebook)} sent (kernel ${attached.kernel.status})`);
    const future = attached.kernel.requestExecute(
      { code: cell.document.getText(), stop_on_error: true, allow_stdin: true, store_history: true },
      true,
    );
    this.probe?.('requested');
    this.running.set(cell, execution);
    future.onIOPub = (msg) => apply(mapper.handle(msg));
    future.onStdin = (msg) => {
      if (msg.header.msg_type !== 'input_request') return;
      const content = (msg as KernelMessage.IInputRequestMsg).content;
      void Promise.resolve(
        this.deps.ui.input({
          prompt: content.prompt || vscode.l10n.t('Input for the running cell'),
          password: content.password,
          ignoreFocusOut: true,
        }),
      ).then((value) => {
        if (!future.isDisposed) future.sendInputReply({ status: 'ok', value: value ?? '' }, msg.header as never);
      });
    };
    let success: boolean | undefined;
    try {
      const reply = await future.done;
      this.probe?.('replied');
      mapper.reply(reply.content);
      success = reply.content.status === 'ok';
    } catch (error) {
      // The kernel died or restarted, or the connection ended, before the cell finished.
      const status = this.statuses.get(notebook.uri.toString())?.status;
      const why = status?.kind === 'ended' || status?.kind === 'dead' ? status.message : (error as Error).message;
      apply([
        {
          kind: 'append',
          output: {
            id: -1,
            items: [errorItem({ ename: vscode.l10n.t('Cell did not finish'), evalue: why })],
            metadata: { outputType: 'error' },
          },
        },
      ]);
      success = false;
    }
    flush();
    for (const p of sent)
      Promise.resolve(p).then(undefined, (error: unknown) =>
        this.deps.logger.warn(`Kernels: an output could not be shown: ${(error as Error).message}`),
      );
    if (mapper.executionCount !== undefined) execution.executionOrder = mapper.executionCount;
    const endTime = Date.now();
    if (this.running.get(cell) === execution) this.running.delete(cell);
    execution.end(success, endTime);
    this.lastRuns.set(cell, { order: mapper.executionCount, success, start: startTime, end: endTime });
    this.probe?.('ended');
    this.deps.logger.trace(`Kernels: cell ${cell.index + 1} of ${notebookName(notebook)} ended (${success ? 'ok' : 'failed'})`);
    return success;
  }

  /** Sends one change to VS Code; the promise settles when VS Code has it. */
  private applyChange(
    change: OutputChange,
    execution: vscode.NotebookCellExecution,
    cell: vscode.NotebookCell,
    made: Map<number, vscode.NotebookCellOutput>,
  ): Thenable<unknown> {
    const notebook = cell.notebook;
    switch (change.kind) {
      case 'clear':
        made.clear();
        this.forgetDisplays(cell);
        return execution.clearOutput();
      case 'append': {
        if (change.output.stream) this.streamBytes += change.output.items.reduce((n, i) => n + i.data.length, 0);
        const output = toOutput(change.output);
        made.set(change.output.id, output);
        if (change.output.displayId) {
          const byId =
            this.displays.get(notebook.uri.toString()) ??
            new Map<string, { cell: vscode.NotebookCell; output: vscode.NotebookCellOutput }[]>();
          this.displays.set(notebook.uri.toString(), byId);
          byId.set(change.output.displayId, [...(byId.get(change.output.displayId) ?? []), { cell, output }]);
        }
        return execution.appendOutput(output);
      }
      case 'appendItems': {
        this.streamBytes += change.items.reduce((n, i) => n + i.data.length, 0);
        const output = made.get(change.id);
        return output ? execution.appendOutputItems(change.items.map(toItem), output) : Promise.resolve();
      }
      case 'updateDisplay':
        return this.updateDisplay(notebook, change.displayId, change.output.items);
    }
  }

  /**
   * update_display_data: every output shown with the display id gets the new items, in place. An output of a
   * cell running now changes through that cell's execution; one of a cell that ended, through a short execution
   * of its own cell (the only way VS Code lets a controller change outputs) that keeps the cell's execution
   * count, success and timing, as VS Code's Jupyter extension does. An output cleared since has nothing to update.
   */
  private updateDisplay(notebook: vscode.NotebookDocument, displayId: string, items: readonly OutputItem[]): Thenable<unknown> {
    const shown = (this.displays.get(notebook.uri.toString())?.get(displayId) ?? []).filter(({ cell }) => cell.index >= 0);
    const updates: Thenable<unknown>[] = [];
    for (const { cell, output } of shown) {
      const newItems = items.map(toItem);
      const running = this.running.get(cell);
      if (running) {
        updates.push(Promise.resolve(running.replaceOutputItems(newItems, output)).catch(() => undefined));
        continue;
      }
      const controller = this.selectedController(notebook);
      if (!controller) continue;
      const last = this.lastRuns.get(cell) ?? {
        order: cell.executionSummary?.executionOrder,
        success: cell.executionSummary?.success,
        start: cell.executionSummary?.timing?.startTime,
        end: cell.executionSummary?.timing?.endTime,
      };
      let execution: vscode.NotebookCellExecution;
      try {
        execution = controller.createNotebookCellExecution(cell);
      } catch (error) {
        // The cell is queued to run again (which clears it): nothing to update.
        this.deps.logger.debug(`Kernels: display ${displayId} not updated: ${(error as Error).message}`);
        continue;
      }
      execution.start(last.start);
      if (last.order !== undefined) execution.executionOrder = last.order;
      updates.push(Promise.resolve(execution.replaceOutputItems(newItems, output)).catch(() => undefined));
      execution.end(last.success, last.end);
    }
    return Promise.all(updates);
  }

  /** The outputs of a cell cleared: their display ids no longer show there. */
  private forgetDisplays(cell: vscode.NotebookCell): void {
    const byId = this.displays.get(cell.notebook.uri.toString());
    if (!byId) return;
    for (const [id, shown] of byId) {
      const kept = shown.filter((s) => s.cell !== cell);
      if (kept.length) byId.set(id, kept);
      else byId.delete(id);
    }
  }

  /** An update_display_data of the notebook's kernel, whichever cell sent it and whether the cells showing it run. */
  displayUpdated(notebook: vscode.NotebookDocument, msg: KernelMessage.IIOPubMessage): void {
    if (notebook.isClosed) return;
    for (const change of new OutputMapper({ widget: widgetNote() }).handle(msg))
      if (change.kind === 'updateDisplay') void this.updateDisplay(notebook, change.displayId, change.output.items);
  }

  private selectedController(notebook: vscode.NotebookDocument): vscode.NotebookController | undefined {
    const chosen = this.selected.get(notebook.uri.toString());
    return chosen?.kernels.controllers.get(chosen.spec.name);
  }

  private async interrupt(notebook: vscode.NotebookDocument, kernels: InstanceKernels): Promise<void> {
    const attaching = kernels.attached.get(notebook.uri.toString());
    if (!attaching) return;
    const attached = await attaching;
    this.deps.logger.info(`Kernels: interrupting ${attached.spec} of ${kernels.instance.name}`);
    await attached.kernel.interrupt();
  }

  /** The library's kernel status, as the notebook's state. */
  kernelStatus(notebook: vscode.NotebookDocument, kernels: InstanceKernels, status: Kernel.Status): void {
    switch (status) {
      case 'busy':
      case 'idle':
        this.setStatus(notebook, { kind: status });
        return;
      case 'starting':
      case 'unknown':
        this.setStatus(notebook, { kind: 'connecting' });
        return;
      case 'restarting':
      case 'autorestarting':
        this.setStatus(notebook, { kind: 'restarting' });
        if (status === 'autorestarting')
          this.reportOnce(
            notebook,
            vscode.l10n.t(
              'The kernel of {0} died and was restarted: its variables are gone. Run the notebook again from the top.',
              notebookName(notebook),
            ),
          );
        return;
      case 'dead':
        this.setStatus(notebook, { kind: 'dead', message: vscode.l10n.t('The kernel died.') });
        kernels.detach(notebook);
        this.reportOnce(
          notebook,
          vscode.l10n.t('The kernel of {0} died. Run a cell to start a new one, or use Restart Kernel.', notebookName(notebook)),
        );
        return;
    }
  }

  private reportOnce(notebook: vscode.NotebookDocument, message: string): void {
    const key = `${notebook.uri.toString()}\u0000${message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    setTimeout(() => this.reported.delete(key), 5_000);
    this.deps.logger.warn(`Kernels: ${message}`);
    void this.deps.ui.warn(message);
  }

  setStatus(notebook: vscode.NotebookDocument, status: KernelStatus): void {
    this.setStatusByUri(notebook.uri.toString(), status);
  }

  setStatusByUri(uri: string, status: KernelStatus): void {
    const chosen = this.selected.get(uri);
    if (!chosen) return;
    this.statuses.set(uri, { status, label: chosen.spec.displayName, instance: chosen.kernels.instance.name });
    this.showStatus();
  }

  /** The kernel state of a notebook (for tests and the status bar). */
  statusOf(uri: vscode.Uri): KernelStatus | undefined {
    return this.statuses.get(uri.toString())?.status;
  }

  private showStatus(): void {
    const editor = vscode.window.activeNotebookEditor;
    const entry = editor && this.statuses.get(editor.notebook.uri.toString());
    if (!entry || !this.selected.has(editor.notebook.uri.toString())) {
      this.statusItem.hide();
      return;
    }
    const { status, label, instance } = entry;
    const texts: Record<KernelStatus['kind'], [string, string]> = {
      connecting: ['$(loading~spin)', vscode.l10n.t('connecting')],
      idle: ['$(circle-large-outline)', vscode.l10n.t('idle')],
      busy: ['$(circle-large-filled)', vscode.l10n.t('busy')],
      restarting: ['$(loading~spin)', vscode.l10n.t('restarting')],
      dead: ['$(error)', vscode.l10n.t('dead')],
      ended: ['$(debug-disconnect)', vscode.l10n.t('disconnected')],
    };
    const [icon, word] = texts[status.kind];
    this.statusItem.text = `${icon} ${label} (${instance}): ${word}`;
    this.statusItem.tooltip =
      status.kind === 'dead'
        ? vscode.l10n.t('{0} Click to restart the kernel, or run a cell to start a new one.', status.message)
        : status.kind === 'ended'
          ? vscode.l10n.t('{0} Run a cell to reconnect (a stopped instance is started first, if you agree).', status.message)
          : vscode.l10n.t('Kernel {0} on SageMaker notebook instance {1}', label, instance);
    this.statusItem.command = status.kind === 'dead' ? 'sagemakerNotebooks.restartKernel' : undefined;
    this.statusItem.accessibilityInformation = { label: vscode.l10n.t('Kernel {0} on {1}: {2}', label, instance, word) };
    this.statusItem.show();
  }

  /** Where a notebook's session lives on the instance: its own path for the instance's files; for a local file, a per-file folder. */
  pathFor(notebook: vscode.NotebookDocument): string {
    const remote = this.deps.pathOnInstance?.(notebook.uri);
    if (remote) return remote;
    const base = notebook.uri.path.split('/').pop() || 'notebook.ipynb';
    return `vscode-local/${hash(notebook.uri.toString())}/${base}`;
  }

  private async remember(notebook: vscode.NotebookDocument, kernels: InstanceKernels, spec: KernelSpecInfo): Promise<void> {
    if (notebook.uri.scheme !== 'file') return;
    const bindings = { ...(this.deps.state.get<Record<string, KernelBinding>>(BINDINGS_KEY) ?? {}) };
    bindings[notebook.uri.toString()] = bindingFor(kernels.profile, kernels.instance, spec);
    await this.deps.state.update(BINDINGS_KEY, bindings);
  }

  private async forget(notebook: vscode.NotebookDocument): Promise<void> {
    const bindings = { ...(this.deps.state.get<Record<string, KernelBinding>>(BINDINGS_KEY) ?? {}) };
    if (!(notebook.uri.toString() in bindings)) return;
    delete bindings[notebook.uri.toString()];
    await this.deps.state.update(BINDINGS_KEY, bindings);
  }

  private preferRemembered(notebook: vscode.NotebookDocument): void {
    if (notebook.notebookType !== NOTEBOOK_TYPE) return;
    if (notebook.uri.scheme !== 'file' && this.deps.pathOnInstance?.(notebook.uri) !== undefined) {
      void this.preferInstanceKernel(notebook);
      return;
    }
    // A kernel of a connected instance whose kernelspec the notebook names is preferred.
    const wanted = kernelspecOf(notebook);
    if (wanted)
      for (const k of this.instances.values())
        if (k.hasSpecs) k.controllers.get(wanted)?.updateNotebookAffinity(notebook, vscode.NotebookControllerAffinity.Preferred);
    const binding = this.deps.state.get<Record<string, KernelBinding>>(BINDINGS_KEY)?.[notebook.uri.toString()];
    if (!binding) return;
    const kernels = this.instances.get(keyOf(binding.profile, binding.arn));
    kernels?.controllers.get(binding.spec.name)?.updateNotebookAffinity(notebook, vscode.NotebookControllerAffinity.Preferred);
  }

  /**
   * A notebook opened from the instance's own files: the instance's kernels join the picker (its connection is
   * the files' own, already open), and the one the notebook names, else the instance's default, is preferred.
   */
  private async preferInstanceKernel(notebook: vscode.NotebookDocument): Promise<void> {
    try {
      const instance = await this.deps.instanceOfFile?.(notebook.uri);
      if (!instance) return;
      const kernels = this.kernelsOf(this.deps.profile(), instance);
      const specs = kernels.hasSpecs ? [...kernels.controllers.keys()] : (await kernels.loadSpecs()).map((s) => s.name);
      const wanted = kernelspecOf(notebook);
      const name = wanted && specs.includes(wanted) ? wanted : specs[0];
      const controller = name ? kernels.controllers.get(name) : undefined;
      if (!controller) return;
      controller.updateNotebookAffinity(notebook, vscode.NotebookControllerAffinity.Preferred);
      // Preferred only suggests it: VS Code would still ask on the first run. The notebook lives on the instance,
      // so its kernel is selected, as JupyterLab opens it on it, unless a kernel (any extension's) is selected already.
      this.toSelect.set(notebook, controller.id);
      await this.selectPending();
    } catch (error) {
      this.deps.logger.warn(`Kernels: the kernels of the notebook's instance could not be listed: ${(error as Error).message}`);
    }
  }

  /** Selects the kernel of the active notebook editor's notebook, if it is waiting for one (see preferInstanceKernel). */
  private async selectPending(): Promise<void> {
    const notebook = vscode.window.activeNotebookEditor?.notebook;
    const id = notebook && this.toSelect.get(notebook);
    if (!notebook || !id) return;
    this.toSelect.delete(notebook);
    if (notebook.isClosed || this.selected.has(notebook.uri.toString())) return;
    // On the active notebook editor; skipIfAlreadySelected leaves a kernel the user (or VS Code's memory) chose.
    await vscode.commands.executeCommand('notebook.selectKernel', { id, extension: EXTENSION_ID, skipIfAlreadySelected: true });
  }

  /** The controller ids of an instance's kernels under the active profile, by kernelspec (for tests and selection). */
  controllerIds(arn: string): Record<string, string> {
    const kernels = this.instances.get(keyOf(this.deps.profile(), arn));
    return Object.fromEntries([...(kernels?.controllers ?? new Map<string, vscode.NotebookController>())].map(([name, c]) => [name, c.id]));
  }

  /** Notebooks attached to a kernel of the instance (for tests). */
  attachedCount(arn: string): number {
    let n = 0;
    for (const k of this.instances.values()) if (k.instance.arn === arn) n += k.attached.size;
    return n;
  }

  /** The library's kernel connection of a notebook (for tests: drop its socket). */
  async kernelOf(notebook: vscode.NotebookDocument): Promise<KernelConnection | undefined> {
    const chosen = this.selected.get(notebook.uri.toString());
    return chosen ? (await chosen.kernels.attached.get(notebook.uri.toString()))?.kernel : undefined;
  }

  dispose(): void {
    for (const k of this.instances.values()) k.dispose();
    this.instances.clear();
    for (const d of this.disposables) d.dispose();
  }
}

function widgetNote(): string {
  return vscode.l10n.t(
    '[Interactive widget: widgets need JupyterLab. Open the notebook with "Open in VS Code" or in the browser to use it.]',
  );
}

/** Stream chunks of one burst as one item (they share the stream's mime type). */
function joinStream(items: readonly OutputItem[]): OutputItem[] {
  if (items.length < 2) return [...items];
  const total = items.reduce((n, i) => n + i.data.length, 0);
  const data = new Uint8Array(total);
  let at = 0;
  for (const i of items) {
    data.set(i.data, at);
    at += i.data.length;
  }
  return [{ mime: items[0].mime, data }];
}

function toItem(item: { mime: string; data: Uint8Array }): vscode.NotebookCellOutputItem {
  return new vscode.NotebookCellOutputItem(item.data, item.mime);
}

function toOutput(output: Output): vscode.NotebookCellOutput {
  return new vscode.NotebookCellOutput(output.items.map(toItem), output.metadata);
}

function keyOf(profile: string, arn: string): string {
  return `${profile}\u0000${arn}`;
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/** The kernelspec a notebook's metadata names (`metadata.kernelspec.name`), as VS Code's ipynb support keeps it. */
export function kernelspecOf(notebook: vscode.NotebookDocument): string | undefined {
  const m = notebook.metadata as { kernelspec?: { name?: string }; metadata?: { kernelspec?: { name?: string } } };
  return m?.kernelspec?.name ?? m?.metadata?.kernelspec?.name;
}

function notebookName(notebook: vscode.NotebookDocument): string {
  return notebook.uri.path.split('/').pop() ?? notebook.uri.toString();
}

/** A notebook toolbar passes `{ notebookEditor: { notebookUri } }`; the palette passes nothing; tests a Uri. */
function uriOf(target: unknown): vscode.Uri | undefined {
  if (target instanceof vscode.Uri) return target;
  const t = target as { notebookEditor?: { notebookUri?: vscode.Uri }; notebookUri?: vscode.Uri; uri?: vscode.Uri } | undefined;
  return t?.notebookEditor?.notebookUri ?? t?.notebookUri ?? t?.uri;
}
