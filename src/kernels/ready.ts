// Waiting for a kernel to be there before a cell is sent to it. After Jupyter restarts a kernel that died,
// @jupyterlab/services reconnects its WebSocket at once, and the server may tie that socket to the kernel before
// the new process is up: nothing then comes back, and a cell sent on it waits for ever. A kernel that said
// nothing since its connection opened is asked again by a new connection, a few times, before the cell goes.
// A kernel busy with a long cell (a training run started earlier, the notebook reopened) is silent too: the
// server knows it is busy (`execution_state` of /api/kernels/<id>), and then the cell is sent to wait its turn.
import type { Kernel } from '@jupyterlab/services';

/** What of a kernel connection the wait needs (the library's KernelConnection has it). */
export interface ReadyKernel extends Pick<Kernel.IKernelConnection, 'status' | 'connectionStatus' | 'reconnect' | 'isDisposed'> {
  readonly statusChanged: { connect(slot: () => void): unknown; disconnect(slot: () => void): unknown };
}

export interface ReadyOptions {
  /** How long a connected kernel may stay silent before it is reconnected. */
  readonly nudgeMs?: number;
  /** How long in all before the wait gives up. */
  readonly timeoutMs?: number;
  /** Told each time a silent kernel is reconnected. */
  readonly onNudge?: (attempt: number) => void;
  /** The server's view of the kernel (`execution_state`); a silent kernel the server calls busy is there. */
  readonly serverState?: () => Promise<string | undefined>;
}

const LIVE: ReadonlySet<Kernel.Status> = new Set(['idle', 'busy']);

export class KernelNotReadyError extends Error {
  constructor(
    message: string,
    readonly reason: 'dead' | 'timeout',
  ) {
    super(message);
    this.name = 'KernelNotReadyError';
  }
}

/** Resolves once the kernel reports itself idle or busy; rejects when it is dead or stays silent for timeoutMs. */
export function kernelReady(
  kernel: ReadyKernel,
  { nudgeMs = 4_000, timeoutMs = 60_000, onNudge, serverState }: ReadyOptions = {},
): Promise<void> {
  if (LIVE.has(kernel.status)) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    let attempts = 0;
    let done = false;
    let nudge: ReturnType<typeof setTimeout> | undefined;
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(nudge);
      clearTimeout(deadline);
      kernel.statusChanged.disconnect(onStatus);
      if (error) reject(error);
      else resolve();
    };
    const check = () => {
      if (LIVE.has(kernel.status)) finish();
      else if (kernel.status === 'dead' || kernel.isDisposed) finish(new KernelNotReadyError('The kernel is dead.', 'dead'));
    };
    const silent = async () => {
      // Only a connection that is open and silent is looked at; one that is connecting is left to the library.
      if (kernel.connectionStatus !== 'connected' || LIVE.has(kernel.status)) return;
      const state = serverState && (await serverState().catch(() => undefined));
      if (done) return;
      if (state === 'busy') return finish(); // running an earlier cell: the new one waits its turn in the kernel
      if (state === 'starting' || state === 'restarting' || state === 'autorestarting') return; // coming
      onNudge?.(++attempts);
      void kernel.reconnect().catch(() => undefined);
    };
    const arm = () => {
      clearTimeout(nudge);
      nudge = setTimeout(() => void silent().finally(() => done || arm()), nudgeMs);
    };
    const onStatus = () => check();
    const deadline = setTimeout(
      () => finish(new KernelNotReadyError(`The kernel did not answer within ${Math.round(timeoutMs / 1000)} s.`, 'timeout')),
      timeoutMs,
    );
    kernel.statusChanged.connect(onStatus);
    arm();
    check();
  });
}
