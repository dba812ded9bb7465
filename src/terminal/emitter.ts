// The event shape VS Code's Pseudoterminal listens to (`vscode.Event`), without a runtime `vscode` import, so
// the terminal's logic runs under plain mocha too.

export interface Disposable {
  dispose(): void;
}

export type Event<T> = (listener: (e: T) => unknown, thisArgs?: unknown, disposables?: Disposable[]) => Disposable;

export class Emitter<T> {
  /**
   * Replaced, never changed in place, when a listener comes or goes: `fire` runs on every chunk of a terminal's
   * output and walks the array it finds without copying it (a listener disposed during a fire is still called
   * in that fire, as VS Code's own Emitter does).
   */
  private listeners: readonly ((e: T) => unknown)[] = [];

  readonly event: Event<T> = (listener, thisArgs, disposables) => {
    const bound = thisArgs === undefined ? listener : (e: T) => listener.call(thisArgs, e);
    this.listeners = [...this.listeners, bound];
    let disposed = false;
    const handle = {
      dispose: () => {
        if (disposed) return;
        disposed = true;
        const at = this.listeners.indexOf(bound);
        if (at >= 0) this.listeners = [...this.listeners.slice(0, at), ...this.listeners.slice(at + 1)];
      },
    };
    disposables?.push(handle);
    return handle;
  };

  fire(e: T): void {
    const listeners = this.listeners;
    for (let i = 0; i < listeners.length; i++) listeners[i](e);
  }

  dispose(): void {
    this.listeners = [];
  }
}
