// A `vscode` module for unit tests of the thin items over pure logic (the session timer): status bar items,
// messages and quick picks are recorded and answered by the test. installFakeVscode() makes `require('vscode')`
// resolve to it; anything else the code under test reaches for is undefined and fails loudly.
import Module = require('module');
import { english } from '../../../src/shared/l10n';

export interface FakeStatusBarItem {
  id: string;
  text: string;
  tooltip: unknown;
  name?: string;
  command?: string;
  backgroundColor?: { id: string };
  accessibilityInformation?: { label: string };
  visible: boolean;
  disposed: boolean;
}

export interface ShownMessage {
  kind: 'information' | 'warning' | 'error';
  message: string;
  items: string[];
  /** Settles the message's promise as a click on `item` (or the notification's close button) would. */
  choose(item?: string): void;
}

export interface ShownQuickPick {
  items: { label: string; description?: string }[];
  title?: string;
}

class EventEmitter<T> {
  private listeners = new Set<(e: T) => void>();
  event = (listener: (e: T) => void) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(e: T) {
    for (const l of [...this.listeners]) l(e);
  }
  dispose() {
    this.listeners.clear();
  }
}

class ThemeColor {
  constructor(readonly id: string) {}
}

class MarkdownString {
  isTrusted: unknown;
  constructor(
    public value = '',
    readonly supportThemeIcons = false,
  ) {}
  appendMarkdown(v: string) {
    this.value += v;
    return this;
  }
}

export const fakeVscode = {
  statusBarItems: [] as FakeStatusBarItem[],
  messages: [] as ShownMessage[],
  quickPicks: [] as ShownQuickPick[],
  /** Answers each quick pick: the label of the item to pick, or undefined to cancel. */
  pickQuickPick: (_pick: ShownQuickPick): string | undefined => undefined,
  reset() {
    this.statusBarItems = [];
    this.messages = [];
    this.quickPicks = [];
    this.pickQuickPick = () => undefined;
  },
};

function show(kind: ShownMessage['kind']) {
  return (message: string, ...items: unknown[]) =>
    new Promise<string | undefined>((resolve) => {
      const labels = items.filter((i): i is string => typeof i === 'string');
      fakeVscode.messages.push({ kind, message, items: labels, choose: resolve });
    });
}

const module_ = {
  EventEmitter,
  ThemeColor,
  MarkdownString,
  StatusBarAlignment: { Left: 1, Right: 2 },
  l10n: english,
  window: {
    createStatusBarItem(id: string): FakeStatusBarItem & { show(): void; hide(): void; dispose(): void } {
      const item = {
        id,
        text: '',
        tooltip: undefined,
        visible: false,
        disposed: false,
        show() {
          item.visible = true;
        },
        hide() {
          item.visible = false;
        },
        dispose() {
          item.disposed = true;
          item.visible = false;
        },
      } as FakeStatusBarItem & { show(): void; hide(): void; dispose(): void };
      fakeVscode.statusBarItems.push(item);
      return item;
    },
    showInformationMessage: show('information'),
    showWarningMessage: show('warning'),
    showErrorMessage: show('error'),
    async showQuickPick<T extends { label: string }>(items: T[], options?: { title?: string }): Promise<T | undefined> {
      const shown = {
        items: items.map(({ label, description }: T & { description?: string }) => ({ label, description })),
        title: options?.title,
      };
      fakeVscode.quickPicks.push(shown);
      const label = fakeVscode.pickQuickPick(shown);
      return items.find((i) => i.label === label);
    },
  },
};

/**
 * Until the returned function is called, `require('vscode')` gives the fake in this mocha process. Modules
 * required meanwhile keep it.
 */
export function installFakeVscode(): () => void {
  const m = Module as unknown as { _load: (this: unknown, request: string, ...rest: unknown[]) => unknown };
  const load = m._load;
  m._load = function (this: unknown, request: string, ...rest: unknown[]) {
    return request === 'vscode' ? module_ : load.call(this, request, ...rest);
  };
  return () => void (m._load = load);
}
