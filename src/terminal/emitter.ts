// The event shape VS Code's Pseudoterminal listens to (`vscode.Event`), without a runtime `vscode` import, so
// the terminal's logic runs under plain mocha too.

export interface Disposable {
  dispose(): void;
}

export type Event<T> = (listener: (e: T) => unknown, thisArgs?: unknown, disposables?: Disposable[]) => Disposable;

export class Emitter<T> {
  private readonly listeners = new Set<(e: T) => unknown>();

  readonly event: Event<T> = (listener, thisArgs, disposables) => {
    const bound = (e: T) => listener.call(thisArgs, e);
    this.listeners.add(bound);
    const handle = { dispose: () => void this.listeners.delete(bound) };
    disposables?.push(handle);
    return handle;
  };

  fire(e: T): void {
    for (const listener of [...this.listeners]) listener(e);
  }

  dispose(): void {
    this.listeners.clear();
  }
}
