// A VS Code terminal driven by a Jupyter terminal on the instance: a Pseudoterminal over terminado's WebSocket.
// Keys go out as ["stdin", …], the output comes back as ["stdout", …] and is written as is (colours, cursor
// movement and full-screen programs are the terminal emulator's business), and every resize is sent as
// ["set_size", rows, cols]. A dropped socket or a renewed session reconnects to the same terminal without
// showing anything twice; the shell exiting closes the terminal, as a local one does; the instance stopping or
// the session ending says so in the terminal, which then closes on any key.
import type * as vscode from 'vscode';
import type WebSocket from 'ws';
import type { ConnectionState } from '../jupyter/connection';
import type { L10n } from '../shared/l10n';
import type { Logger } from '../shared/log';
import { Emitter, type Disposable } from './emitter';
import { HandshakeError, JupyterTerminals, type TerminalConnection } from './jupyterTerminals';
import { OutputTail, parseServerMessage, sameSize, sizeMessage, stdinMessage, unseenPart, validSize, type TerminalSize } from './terminado';

/** The Jupyter terminal a VS Code terminal shows, on the instance's connection. */
export interface TerminalTarget {
  /** The VS Code terminal's name: the instance's. */
  readonly title: string;
  readonly connection: TerminalConnection;
  /** Lets go of the connection (the last user closes it). Called once, after any DELETE. */
  readonly release: () => void;
  /** The Jupyter terminal's name (`1`, `2`, …). */
  readonly name: string;
  /** Closing the VS Code terminal ends the Jupyter terminal (it was opened for it); attached ones are left running. */
  readonly endOnClose: boolean;
}

export interface InstanceTerminalDeps {
  /** The terminal to show, or how to find it once the VS Code terminal opens (undefined: the user cancelled). */
  readonly target: TerminalTarget | (() => Promise<TerminalTarget | undefined>);
  readonly logger: Logger;
  readonly l10n: L10n;
  /** Waits between reconnection attempts; the terminal gives up after the last. */
  readonly reconnectDelaysMs?: readonly number[];
  /**
   * How often a quiet socket is pinged; one that has not answered by the next ping is taken for dropped (a
   * laptop that slept, a network that changed: no TCP close ever arrives) and the terminal reconnects.
   */
  readonly pingIntervalMs?: number;
}

export type TerminalPhase = 'opening' | 'connected' | 'reconnecting' | 'ended' | 'closed';

const RECONNECT_DELAYS_MS = [0, 250, 500, 1000, 2000, 4000, 8000, 15_000, 15_000, 15_000];
const PING_INTERVAL_MS = 30_000;
const EXISTS_TIMEOUT_MS = 10_000;
/** Keys typed while the socket is down are sent once it is back, up to this much. */
const MAX_PENDING_INPUT = 64 * 1024;
const DIM = '\x1b[2m';
const YELLOW = '\x1b[33m';
const RESET = '\x1b[0m';

/**
 * The connection's ConnectionEndedError, known by name: the connection lives in another bundle (dist/proxy.js),
 * whose class is not this bundle's.
 */
function isConnectionEnded(error: unknown): error is Error {
  return (error as Error | undefined)?.name === 'ConnectionEndedError';
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class InstanceTerminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new Emitter<string>();
  private readonly closeEmitter = new Emitter<number | void>();
  private readonly nameEmitter = new Emitter<string>();
  private readonly phaseEmitter = new Emitter<TerminalPhase>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  readonly onDidChangeName = this.nameEmitter.event;
  /** For the extension's own bookkeeping and the tests. */
  readonly onDidChangePhase = this.phaseEmitter.event;

  private current: TerminalPhase = 'opening';
  private resolved: TerminalTarget | undefined;
  private terminals: JupyterTerminals | undefined;
  private socket: WebSocket | undefined;
  private size: TerminalSize | undefined;
  private sentSize: TerminalSize | undefined;
  private pending = '';
  private readonly tail = new OutputTail();
  private readonly subscriptions: Disposable[] = [];
  private released = false;
  /** Set when the user chose to leave the Jupyter terminal running (Detach). */
  private keep = false;
  private connecting: Promise<void> | undefined;
  private connectingLineShown = false;

  constructor(private readonly deps: InstanceTerminalDeps) {
    if (typeof deps.target !== 'function') this.resolved = deps.target;
  }

  get phase(): TerminalPhase {
    return this.current;
  }

  /** The size VS Code last gave it (what the Jupyter terminal is told). */
  get dimensions(): TerminalSize | undefined {
    return this.size;
  }

  /** The Jupyter terminal shown, once known. */
  get target(): TerminalTarget | undefined {
    return this.resolved;
  }

  /** Closing the VS Code terminal from now on leaves the Jupyter terminal running. */
  detach(): void {
    this.keep = true;
  }

  open(initialDimensions: vscode.TerminalDimensions | undefined): void {
    this.size = validSize(initialDimensions);
    void this.start();
  }

  close(): void {
    if (this.current === 'closed') return;
    const ended = this.current === 'ended';
    this.setPhase('closed');
    this.dropSocket();
    const target = this.resolved;
    if (!target) return;
    if (!ended && target.endOnClose && !this.keep && this.terminals) {
      const { name } = target;
      void this.terminals.remove(name).then(
        () => {
          this.deps.logger.info(`Terminal ${name}: ended with its VS Code terminal`);
          this.release();
        },
        (error: unknown) => {
          this.deps.logger.warn(`Terminal ${name}: could not end it: ${(error as Error).message}`);
          this.release();
        },
      );
      return;
    }
    this.deps.logger.info(`Terminal ${target.name}: VS Code terminal closed, Jupyter terminal left running`);
    this.release();
  }

  handleInput(data: string): void {
    if (this.current === 'ended') {
      this.closeEmitter.fire();
      return;
    }
    if (this.current === 'closed') return;
    if (this.current === 'connected' && this.socket?.readyState === 1) {
      this.socket.send(stdinMessage(data));
      return;
    }
    if (this.pending.length + data.length <= MAX_PENDING_INPUT) this.pending += data;
  }

  setDimensions(dimensions: vscode.TerminalDimensions): void {
    const size = validSize(dimensions);
    if (!size) return;
    this.size = size;
    this.sendSize();
  }

  private async start(): Promise<void> {
    if (!this.resolved) {
      this.write(`${DIM}${this.deps.l10n.t('Choose the notebook instance…')}${RESET}`);
      this.connectingLineShown = true;
      try {
        this.resolved = await (this.deps.target as () => Promise<TerminalTarget | undefined>)();
      } catch (error) {
        this.end(this.deps.l10n.t('Could not open the terminal: {0}', (error as Error).message));
        return;
      }
      if (this.current === 'closed') {
        // Closed while the instance was being chosen: nothing to keep.
        if (this.resolved) this.endClosedEarly(this.resolved);
        return;
      }
      if (!this.resolved) {
        this.setPhase('closed');
        this.closeEmitter.fire();
        return;
      }
      this.nameEmitter.fire(this.resolved.title);
    }
    const target = this.resolved;
    this.terminals = new JupyterTerminals(target.connection);
    this.subscriptions.push(
      target.connection.onDidChangeState((state) => this.connectionChanged(state)),
      // A renewed session: the socket on the old one is closed at its end; move to the new one now.
      target.connection.onDidRenew(() => {
        if (this.current !== 'connected') return;
        this.deps.logger.info(`Terminal ${target.name}: session renewed; reconnecting`);
        this.dropSocket();
        void this.reconnect();
      }),
    );
    if (target.connection.state.kind === 'ended') return this.connectionChanged(target.connection.state);
    if (!this.connectingLineShown) {
      this.write(`${DIM}${this.deps.l10n.t('Connecting to {0}…', target.title)}${RESET}`);
      this.connectingLineShown = true;
    }
    try {
      await this.connectOnce();
    } catch (error) {
      this.deps.logger.warn(`Terminal ${target.name}: could not connect: ${(error as Error).message}`);
      if (isConnectionEnded(error)) return this.end(this.deps.l10n.t('Terminal ended: {0}', error.message));
      void this.reconnect();
    }
  }

  /** Closed before it was shown: a terminal made for it is ended at once. */
  private endClosedEarly(target: TerminalTarget): void {
    if (!target.endOnClose) return target.release();
    const terminals = new JupyterTerminals(target.connection);
    void terminals.remove(target.name).finally(() => target.release());
  }

  private async connectOnce(): Promise<void> {
    const target = this.resolved!;
    let awaitingReplay = false;
    let exited = false;
    // The socket, once the handshake is done: messages before that wait in `early`.
    const held: { socket?: WebSocket } = {};
    // Whether the socket said anything since the last ping (a message counts as much as a pong).
    let answered = true;
    const onMessage = (data: string) => {
      answered = true;
      if (held.socket && this.socket !== held.socket) return;
      const message = parseServerMessage(data);
      if (!message) return;
      if (message.kind === 'setup') {
        // Terminado sends a joining socket the recent output first: on a reconnection, only what is new of it.
        awaitingReplay = true;
        return;
      }
      if (message.kind === 'disconnect') {
        exited = true;
        return;
      }
      let text = message.text;
      if (awaitingReplay) {
        awaitingReplay = false;
        text = unseenPart(this.tail.value, text);
      }
      if (text) {
        this.tail.add(text);
        this.write(text);
      }
    };
    // Messages that came with the handshake's answer wait until the socket is this terminal's.
    const early: string[] = [];
    const socket = await this.terminals!.connect(target.name, (data) => (held.socket ? onMessage(data) : early.push(data)));
    held.socket = socket;
    if (this.current === 'closed' || this.current === 'ended') {
      socket.terminate();
      return;
    }
    this.socket = socket;
    this.connected();
    for (const data of early.splice(0)) onMessage(data);
    socket.on('error', (error: Error) => this.deps.logger.debug(`Terminal ${target.name}: socket error: ${error.message}`));
    socket.on('pong', () => (answered = true));
    const pinger = setInterval(() => {
      if (!answered) {
        this.deps.logger.info(`Terminal ${target.name}: the socket stopped answering`);
        socket.terminate(); // its close event reconnects
        return;
      }
      answered = false;
      socket.ping();
    }, this.deps.pingIntervalMs ?? PING_INTERVAL_MS);
    pinger.unref?.();
    socket.on('close', (code: number) => {
      clearInterval(pinger);
      if (this.socket !== socket) return;
      this.socket = undefined;
      if (this.current === 'closed' || this.current === 'ended') return;
      if (exited) return this.exited();
      this.deps.logger.info(`Terminal ${target.name}: socket closed (${code}); reconnecting`);
      void this.reconnect();
    });
  }

  private connected(): void {
    if (this.connectingLineShown) {
      this.write('\r\x1b[K'); // the "Connecting…" line gives way to the terminal's own output
      this.connectingLineShown = false;
    }
    this.setPhase('connected');
    this.sentSize = undefined;
    this.sendSize();
    if (this.pending && this.socket) {
      this.socket.send(stdinMessage(this.pending));
      this.pending = '';
    }
  }

  /** Back to the same terminal: the session renewed itself, or the socket dropped. One attempt loop at a time. */
  private reconnect(): Promise<void> {
    this.connecting ??= this.reconnectLoop().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async reconnectLoop(): Promise<void> {
    const target = this.resolved!;
    this.setPhase('reconnecting');
    for (const delay of this.deps.reconnectDelaysMs ?? RECONNECT_DELAYS_MS) {
      if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
      if (this.current !== 'reconnecting') return;
      const state = target.connection.state;
      if (state.kind === 'ended') return this.connectionChanged(state);
      try {
        // Bounded: after a sleep the connection's kept-alive sockets may be dead without having closed.
        if (!(await withTimeout(this.terminals!.exists(target.name), EXISTS_TIMEOUT_MS))) return this.exited();
        await this.connectOnce();
        return;
      } catch (error) {
        if (isConnectionEnded(error)) return this.end(this.deps.l10n.t('Terminal ended: {0}', error.message));
        // A handshake refused for a lost session starts the connection's renewal; the next attempt waits for it.
        if (error instanceof HandshakeError && error.status === 404) return this.exited(); // jupyter_server: no such terminal
        if (error instanceof HandshakeError) target.connection.retryAfter(error.status, error.location, error.login);
        this.deps.logger.info(`Terminal ${target.name}: reconnection failed: ${(error as Error).message}`);
      }
    }
    if (this.current === 'reconnecting')
      this.end(
        this.deps.l10n.t('Lost the connection to the terminal on {0}. Open it again with Attach to Instance Terminal.', target.title),
      );
  }

  private connectionChanged(state: ConnectionState): void {
    if (state.kind !== 'ended' || this.current === 'closed' || this.current === 'ended') return;
    this.end(this.deps.l10n.t('Terminal ended: {0}', state.message));
  }

  /** The shell exited (`exit`, or someone ended the terminal): the VS Code terminal closes, as a local one does. */
  private exited(): void {
    if (this.current === 'closed' || this.current === 'ended') return;
    this.deps.logger.info(`Terminal ${this.resolved?.name ?? ''}: the shell exited`);
    this.setPhase('ended');
    this.dropSocket();
    this.release();
    this.closeEmitter.fire();
  }

  /** Says why the terminal cannot go on; any key then closes it. */
  private end(message: string): void {
    if (this.current === 'closed' || this.current === 'ended') return;
    this.deps.logger.info(`Terminal ${this.resolved?.name ?? ''}: ${message}`);
    this.setPhase('ended');
    this.dropSocket();
    this.release();
    const line = this.connectingLineShown ? '\r\x1b[K' : '\r\n';
    this.connectingLineShown = false;
    this.write(`${line}${YELLOW}${message}${RESET}\r\n${DIM}${this.deps.l10n.t('Press any key to close the terminal.')}${RESET}\r\n`);
  }

  private sendSize(): void {
    if (!this.size || sameSize(this.size, this.sentSize) || this.current !== 'connected' || this.socket?.readyState !== 1) return;
    this.socket.send(sizeMessage(this.size));
    this.sentSize = this.size;
  }

  private dropSocket(): void {
    const socket = this.socket;
    this.socket = undefined;
    if (!socket) return;
    socket.removeAllListeners('message');
    socket.on('error', () => undefined);
    socket.close();
  }

  private release(): void {
    if (this.released) return;
    this.released = true;
    for (const s of this.subscriptions.splice(0)) s.dispose();
    this.resolved?.release();
  }

  private write(text: string): void {
    this.writeEmitter.fire(text);
  }

  private setPhase(phase: TerminalPhase): void {
    if (this.current === phase) return;
    this.current = phase;
    this.phaseEmitter.fire(phase);
  }
}
