// The wait for a kernel before a cell is sent: resolved by a live status, refused for a dead kernel, a silent
// connection renewed, and a limit. (The integration suite proves it on a real Jupyter's restarted kernel.)
import assert from 'node:assert/strict';
import type { Kernel } from '@jupyterlab/services';
import { KernelNotReadyError, kernelReady, type ReadyKernel } from '../../../src/kernels/ready';

class KernelLike implements ReadyKernel {
  status: Kernel.Status = 'unknown';
  connectionStatus: Kernel.ConnectionStatus = 'connected';
  isDisposed = false;
  reconnects = 0;
  /** What the next reconnect brings (the kernel answering, or not). */
  afterReconnect: Kernel.Status | undefined;
  private readonly slots = new Set<() => void>();
  readonly statusChanged = {
    connect: (slot: () => void) => this.slots.add(slot),
    disconnect: (slot: () => void) => this.slots.delete(slot),
  };
  set(status: Kernel.Status): void {
    this.status = status;
    for (const slot of [...this.slots]) slot();
  }
  listening(): number {
    return this.slots.size;
  }
  reconnect(): Promise<void> {
    this.reconnects++;
    if (this.afterReconnect) setTimeout(() => this.set(this.afterReconnect!), 1);
    return Promise.resolve();
  }
}

describe('kernelReady', () => {
  it('resolves at once for an idle or busy kernel', async () => {
    for (const status of ['idle', 'busy'] as const) {
      const kernel = new KernelLike();
      kernel.status = status;
      await kernelReady(kernel, { nudgeMs: 5, timeoutMs: 50 });
      assert.equal(kernel.reconnects, 0);
    }
  });

  it('waits for the first status of a connection that is opening', async () => {
    const kernel = new KernelLike();
    kernel.connectionStatus = 'connecting';
    setTimeout(() => {
      kernel.connectionStatus = 'connected';
      kernel.set('idle');
    }, 20);
    await kernelReady(kernel, { nudgeMs: 100, timeoutMs: 1000 });
    assert.equal(kernel.reconnects, 0);
  });

  it('renews a connection that stays silent, and resolves when the kernel then answers', async () => {
    const kernel = new KernelLike();
    kernel.afterReconnect = 'idle';
    const nudges: number[] = [];
    await kernelReady(kernel, { nudgeMs: 10, timeoutMs: 1000, onNudge: (n) => nudges.push(n) });
    assert.equal(kernel.reconnects, 1);
    assert.deepEqual(nudges, [1]);
  });

  it('leaves a connection that is still connecting to the library', async () => {
    const kernel = new KernelLike();
    kernel.connectionStatus = 'connecting';
    await assert.rejects(kernelReady(kernel, { nudgeMs: 5, timeoutMs: 60 }), (e: unknown) => e instanceof KernelNotReadyError);
    assert.equal(kernel.reconnects, 0);
  });

  it('gives up after its limit when the kernel never answers, having tried again meanwhile', async () => {
    const kernel = new KernelLike();
    await assert.rejects(
      kernelReady(kernel, { nudgeMs: 10, timeoutMs: 80 }),
      (e: unknown) => e instanceof KernelNotReadyError && e.reason === 'timeout',
    );
    assert.ok(kernel.reconnects >= 3, `reconnected ${kernel.reconnects} times`);
    const after = kernel.reconnects;
    await new Promise((r) => setTimeout(r, 40));
    assert.equal(kernel.reconnects, after, 'no reconnect after the wait ended');
    assert.equal(kernel.listening(), 0, 'the wait let go of the status signal');
  });

  it('sends the cell to a silent kernel the server calls busy (a long cell running), without reconnecting', async () => {
    const kernel = new KernelLike();
    const asked: number[] = [];
    await kernelReady(kernel, { nudgeMs: 10, timeoutMs: 1000, serverState: () => (asked.push(1), Promise.resolve('busy')) });
    assert.equal(kernel.reconnects, 0);
    assert.equal(asked.length, 1);
  });

  it('reconnects a silent kernel the server calls idle, and waits without reconnecting for one it calls starting', async () => {
    const idle = new KernelLike();
    idle.afterReconnect = 'idle';
    await kernelReady(idle, { nudgeMs: 10, timeoutMs: 1000, serverState: () => Promise.resolve('idle') });
    assert.equal(idle.reconnects, 1);

    const starting = new KernelLike();
    let state = 'starting';
    setTimeout(() => (state = 'idle'), 60);
    starting.afterReconnect = 'idle';
    await kernelReady(starting, { nudgeMs: 10, timeoutMs: 1000, serverState: () => Promise.resolve(state) });
    assert.equal(starting.reconnects, 1, 'reconnected once the server called it idle, not while it was starting');
  });

  it('refuses a kernel that is or becomes dead', async () => {
    const dead = new KernelLike();
    dead.status = 'dead';
    await assert.rejects(kernelReady(dead, { nudgeMs: 5, timeoutMs: 50 }), (e: unknown) => (e as KernelNotReadyError).reason === 'dead');
    const dying = new KernelLike();
    setTimeout(() => dying.set('dead'), 10);
    await assert.rejects(
      kernelReady(dying, { nudgeMs: 100, timeoutMs: 1000 }),
      (e: unknown) => (e as KernelNotReadyError).reason === 'dead',
    );
  });
});
