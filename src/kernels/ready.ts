// Waiting for a kernel to be there before a cell is sent to it. After Jupyter restarts a kernel that died,
// @jupyterlab/services reconnects its WebSocket at once, and the server may tie that socket to the kernel before
// the new process is up: nothing then comes back, and a cell sent on it waits for ever. A kernel that said
// nothing since its connection opened is asked again by a new connection, a few times, before the cell goes.
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
export function kernelReady(kernel: ReadyKernel, { nudgeMs = 4_000, timeoutMs = 60_000, onNudge }: ReadyOptions = {}): Promise<void> {
  if (LIVE.has(kernel.status)) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    let attempts = 0;
    let nudge: ReturnType<typeof setTimeout> | undefined;
    const finish = (error?: Error) => {
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
    const arm = () => {
      clearTimeout(nudge);
      nudge = setTimeout(() => {
        // Only a connection that is open and silent is renewed; one that is connecting is left to the library.
        if (kernel.connectionStatus === 'connected' && !LIVE.has(kernel.status)) {
          onNudge?.(++attempts);
          void kernel.reconnect().catch(() => undefined);
        }
        arm();
      }, nudgeMs);
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
