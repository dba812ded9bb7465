// The terminal feature's commands and terminal profile: Open Terminal on Instance, Attach to Instance
// Terminal…, Detach Terminal, and "New Terminal ▸ SageMaker instance…". Each VS Code terminal holds a lease on
// the instance's Jupyter connection; the Pseudoterminal and its WebSocket client load from dist/terminal.js on
// the first terminal (loadTerminal), so nothing of it runs before.
import vscode = require('vscode');
import { UserFacingError } from '../aws/errors';
import type { ConnectionLease } from '../jupyter/connections';
import type { Logger } from '../shared/log';
import type { NotebookInstance } from '../shared/instance';
import type { Ui } from '../shared/ui';
import type { InstanceTerminal, TerminalPhase, TerminalTarget } from './instanceTerminal';
import { loadTerminal } from './loadTerminal';

export const TERMINAL_PROFILE_ID = 'sagemakerNotebooks.instanceTerminal';
const ACTIVE_KEY = 'sagemakerNotebooks.instanceTerminalActive';

export interface TerminalDeps {
  readonly ui: Ui;
  readonly logger: Logger;
  /** The row's instance or one the user picks; `accept` narrows the pick. */
  readonly choose: (node: unknown, placeHolder: string, accept: (i: NotebookInstance) => boolean) => Promise<NotebookInstance | undefined>;
  /** A lease on the instance's Jupyter connection (opened on first use, shared with its tabs, kernels, files). */
  readonly connect: (instance: NotebookInstance) => ConnectionLease;
  /** Keeps each terminal's output for the tests (the test build only). */
  readonly recordOutput?: boolean;
}

/** A live terminal on an instance, as the tests see it. */
export interface TerminalProbe {
  readonly instance: string | undefined;
  /** The Jupyter terminal's name, once known. */
  readonly name: string | undefined;
  readonly phase: TerminalPhase;
  /** The size VS Code last gave it. */
  readonly dimensions: { rows: number; columns: number } | undefined;
  readonly terminal: vscode.Terminal | undefined;
  /** Everything written to the VS Code terminal so far (recorded in the test build only). */
  output(): string;
  /** Keys, as VS Code hands them to the Pseudoterminal. */
  input(text: string): void;
  onDidWrite(listener: (text: string) => void): vscode.Disposable;
  onDidChangePhase(listener: (phase: TerminalPhase) => void): vscode.Disposable;
}

export interface Terminals extends vscode.Disposable {
  readonly commands: Readonly<Record<string, (...args: any[]) => unknown>>;
  provideProfile(): vscode.TerminalProfile;
  /** The live terminals, oldest first. */
  probes(): TerminalProbe[];
}

interface Live {
  readonly pty: InstanceTerminal;
  readonly output: string[];
}

export function registerTerminals(deps: TerminalDeps): Terminals {
  const { ui, logger } = deps;
  const live = new Set<Live>();
  const inService = (i: NotebookInstance) => i.status === 'InService';

  const chooseRunning = async (node: unknown, placeHolder: string): Promise<NotebookInstance | undefined> => {
    const instance = await deps.choose(node, placeHolder, inService);
    if (instance && !inService(instance)) {
      throw new UserFacingError(vscode.l10n.t('{0} is {1}. Start it, then open a terminal on it.', instance.name, instance.status));
    }
    return instance;
  };

  /** Holds the connection and signs in (a failure lets go of it again). */
  const withLease = async <T>(instance: NotebookInstance, title: string, work: (lease: ConnectionLease) => Promise<T>): Promise<T> => {
    const lease = deps.connect(instance);
    try {
      return await ui.progress({ location: vscode.ProgressLocation.Window, title }, async () => {
        await lease.connection.ready();
        return work(lease);
      });
    } catch (error) {
      lease.release();
      throw error;
    }
  };

  /** A new Jupyter terminal on the instance, in the server's root or `cwd`. */
  const createTarget = (instance: NotebookInstance, cwd?: string): Promise<TerminalTarget> =>
    withLease(instance, vscode.l10n.t('Opening a terminal on {0}…', instance.name), async (lease) => {
      const { JupyterTerminals } = loadTerminal();
      const model = await new JupyterTerminals(lease.connection).create(cwd);
      logger.info(`Terminal ${model.name}: created on ${instance.name}${cwd ? ' in a chosen folder' : ''}`);
      return { title: instance.name, connection: lease.connection, release: () => lease.release(), name: model.name, endOnClose: true };
    });

  const track = (pty: InstanceTerminal): InstanceTerminal => {
    const entry: Live = { pty, output: [] };
    live.add(entry);
    if (deps.recordOutput) pty.onDidWrite((text) => entry.output.push(text));
    pty.onDidChangePhase((phase) => {
      if (phase === 'closed') live.delete(entry);
      void updateActive();
    });
    return pty;
  };

  const newPty = (target: TerminalTarget | (() => Promise<TerminalTarget | undefined>)): InstanceTerminal => {
    const { InstanceTerminal } = loadTerminal();
    return track(new InstanceTerminal({ target, logger, l10n: vscode.l10n }));
  };

  const show = (title: string, pty: InstanceTerminal): vscode.Terminal => {
    const terminal = vscode.window.createTerminal({ name: title, pty, iconPath: new vscode.ThemeIcon('terminal-linux') });
    terminal.show();
    return terminal;
  };

  const ptyOf = (terminal: vscode.Terminal | undefined): InstanceTerminal | undefined => {
    const pty = (terminal?.creationOptions as vscode.ExtensionTerminalOptions | undefined)?.pty;
    return [...live].find((l) => l.pty === pty)?.pty;
  };
  const terminalOf = (pty: InstanceTerminal) =>
    vscode.window.terminals.find((t) => (t.creationOptions as vscode.ExtensionTerminalOptions).pty === pty);
  const updateActive = () =>
    vscode.commands.executeCommand(
      'setContext',
      ACTIVE_KEY,
      ['opening', 'connected', 'reconnecting'].includes(ptyOf(vscode.window.activeTerminal)?.phase ?? 'closed'),
    );

  const openTerminal = async (node?: unknown, cwd?: unknown) => {
    const instance = await chooseRunning(node, vscode.l10n.t('Notebook instance to open a terminal on'));
    if (!instance) return;
    const target = await createTarget(instance, typeof cwd === 'string' && cwd ? cwd : undefined);
    show(instance.name, newPty(target));
  };

  const attachTerminal = async (node?: unknown) => {
    const instance = await chooseRunning(node, vscode.l10n.t('Notebook instance whose terminal to attach to'));
    if (!instance) return;
    const lease = deps.connect(instance);
    let kept = false;
    try {
      const { JupyterTerminals } = loadTerminal();
      const running = await ui.progress(
        { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Listing the terminals of {0}…', instance.name) },
        async () => {
          await lease.connection.ready();
          return new JupyterTerminals(lease.connection).list();
        },
      );
      if (!running.length) {
        void ui.info(vscode.l10n.t('No terminals are running on {0}. Use Open Terminal on Instance to start one.', instance.name));
        return;
      }
      const shown = new Set([...live].filter((l) => l.pty.target?.connection === lease.connection).map((l) => l.pty.target?.name));
      const picked = await ui.pick(
        running.map((t) => ({
          label: vscode.l10n.t('Terminal {0}', t.name),
          description: shown.has(t.name) ? vscode.l10n.t('open in this window') : undefined,
          detail: t.last_activity ? vscode.l10n.t('Last activity {0}', new Date(t.last_activity).toLocaleString()) : undefined,
          name: t.name,
        })),
        { placeHolder: vscode.l10n.t('Terminal on {0} to attach to', instance.name) },
      );
      if (!picked) return;
      kept = true;
      show(
        instance.name,
        newPty({
          title: instance.name,
          connection: lease.connection,
          release: () => lease.release(),
          name: picked.name,
          endOnClose: false,
        }),
      );
    } finally {
      if (!kept) lease.release();
    }
  };

  const detachTerminal = async () => {
    const terminal = vscode.window.activeTerminal;
    const pty = ptyOf(terminal);
    if (!terminal || !pty) throw new UserFacingError(vscode.l10n.t('The active terminal is not a terminal on a notebook instance.'));
    pty.detach();
    terminal.dispose();
    void ui.info(
      vscode.l10n.t(
        'Terminal {0} keeps running on {1}. Attach to Instance Terminal… brings it back.',
        pty.target?.name ?? '',
        pty.target?.title ?? '',
      ),
    );
  };

  const subscription = vscode.window.onDidChangeActiveTerminal(() => void updateActive());

  return {
    commands: {
      'sagemakerNotebooks.openTerminal': openTerminal,
      'sagemakerNotebooks.attachTerminal': attachTerminal,
      'sagemakerNotebooks.detachTerminal': detachTerminal,
    },
    provideProfile: () => {
      // The instance is asked for in the new terminal (its name becomes the instance's); Escape closes it.
      // The pick opens from the Pseudoterminal's open(), while VS Code is still creating the terminal, before it
      // makes it the active one and focuses it. A quick pick, as it closes, gives the focus back to what had it
      // when it opened: the previous terminal, which focused becomes the active one again, shown in the panel and
      // getting what the user types. So once an instance is chosen the new terminal takes the focus, as one of
      // VS Code's own profiles has. (On Escape the focus stays where the pick put it back: the new terminal
      // closes.) A refused choice is said in the new terminal, which then closes on a key: it takes the focus too.
      const focus = () => {
        if (pty.phase !== 'closed') terminalOf(pty)?.show(false);
      };
      const pty = newPty(async () => {
        let instance: NotebookInstance | undefined;
        try {
          instance = await chooseRunning(undefined, vscode.l10n.t('Notebook instance to open a terminal on'));
        } catch (error) {
          focus();
          throw error;
        }
        if (!instance) return undefined;
        focus();
        return createTarget(instance);
      });
      return new vscode.TerminalProfile({
        name: vscode.l10n.t('SageMaker instance'),
        pty,
        iconPath: new vscode.ThemeIcon('terminal-linux'),
      });
    },
    probes: () =>
      [...live].map(({ pty, output }) => ({
        get instance() {
          return pty.target?.title;
        },
        get name() {
          return pty.target?.name;
        },
        get phase() {
          return pty.phase;
        },
        get dimensions() {
          return pty.dimensions;
        },
        get terminal() {
          return terminalOf(pty);
        },
        output: () => output.join(''),
        input: (text: string) => pty.handleInput(text),
        onDidWrite: (listener: (text: string) => void) => pty.onDidWrite(listener),
        onDidChangePhase: (listener: (phase: TerminalPhase) => void) => pty.onDidChangePhase(listener),
      })),
    dispose: () => {
      subscription.dispose();
      // VS Code is closing or the extension stops: the Jupyter terminals keep running, to be attached to again.
      for (const { pty } of live) pty.detach();
    },
  };
}
