// The test build's Ui (main.ts uses it only under VS Code's test runner, whose API the shell alone exports):
// the window's Ui with every text it shows recorded, so the leak check reads all of them and tests see the
// questions asked; where tests answer the modal questions and catch URLs handed to the browser; and the
// outcome of every command, so a command that ended in an error can fail the test that ran it.
import type * as vscode from 'vscode';
import type { ProgressReport, Ui } from './ui';

export type ShownKind = 'info' | 'warning' | 'error' | 'confirm' | 'quickPick' | 'input' | 'progress' | 'statusMessage';

export interface Shown {
  readonly kind: ShownKind;
  /** The message (or title), then everything else shown with it: buttons, detail, items, prompts. */
  readonly texts: readonly string[];
}

export type CommandOutcome =
  { readonly kind: 'ok' } | { readonly kind: 'cancelled' } | { readonly kind: 'error'; readonly message: string };

export interface CommandError {
  readonly command: string;
  readonly message: string;
}

const defined = (...texts: (string | undefined)[]) => texts.filter((t): t is string => !!t);
const itemTexts = (item: vscode.QuickPickItem) => defined(item.label, item.description, item.detail);

export class UiRecorder {
  readonly ui: Ui;
  private readonly shownList: Shown[] = [];
  private readonly items: vscode.StatusBarItem[] = [];
  private readonly outcomes: { command: string; outcome: CommandOutcome }[] = [];
  private unclaimed: CommandError[] = [];
  private openExternal?: (url: string) => Thenable<boolean>;
  private confirm?: (message: string, detail: string, action: string) => Promise<boolean>;
  private answer?: (options: vscode.InputBoxOptions) => Promise<string | undefined>;

  constructor(inner: Ui) {
    const record = (kind: ShownKind, texts: string[]) => void this.shownList.push({ kind, texts });
    this.ui = {
      info: (message, ...buttons) => (record('info', [message, ...buttons]), inner.info(message, ...buttons)),
      warn: (message, ...buttons) => (record('warning', [message, ...buttons]), inner.warn(message, ...buttons)),
      error: (message, ...buttons) => (record('error', [message, ...buttons]), inner.error(message, ...buttons)),
      confirm: (message, detail, action) => {
        record('confirm', [message, detail, action]);
        return (this.confirm ?? inner.confirm)(message, detail, action);
      },
      pick: (items, options) => (
        record('quickPick', [...defined(options.title, options.placeHolder), ...items.flatMap(itemTexts)]),
        inner.pick(items, options)
      ),
      pickMany: (items, options) => (
        record('quickPick', [...defined(options.title, options.placeHolder), ...items.flatMap(itemTexts)]),
        inner.pickMany(items, options)
      ),
      input: (options) => {
        const texts = defined(options.title, options.prompt, options.placeHolder, options.value);
        record('input', texts);
        if (this.answer) return this.answer(options);
        const validate = options.validateInput?.bind(options);
        if (!validate) return inner.input(options);
        return inner.input({
          ...options,
          validateInput: async (value) => {
            const result = await validate(value);
            const message = typeof result === 'string' ? result : result?.message;
            if (message) texts.push(message);
            return result;
          },
        });
      },
      progress: (options, task) => {
        const texts = defined(options.title);
        record('progress', texts);
        return inner.progress(options, (progress, token) => {
          const recorded: ProgressReport = {
            report: (value) => {
              if (value.message) texts.push(value.message);
              progress.report(value);
            },
          };
          return task(recorded, token);
        });
      },
      statusMessage: (text, ms) => (record('statusMessage', [text]), inner.statusMessage(text, ms)),
      statusItem: (id, alignment, priority) => {
        const item = inner.statusItem(id, alignment, priority);
        this.items.push(item);
        return item;
      },
      openExternal: (url) => (this.openExternal ?? inner.openExternal)(url),
    };
  }

  /** Tests catch what would go to the browser; `undefined` hands it to VS Code again. */
  setOpenExternal(fn: ((url: string) => Thenable<boolean>) | undefined): void {
    this.openExternal = fn;
  }

  /** Tests answer the modal questions (which are still recorded); `undefined` asks VS Code again. */
  setConfirm(fn: ((message: string, detail: string, action: string) => Promise<boolean>) | undefined): void {
    this.confirm = fn;
  }

  /** Tests answer input boxes (still recorded); `undefined` asks VS Code again. */
  setInput(fn: ((options: vscode.InputBoxOptions) => Promise<string | undefined>) | undefined): void {
    this.answer = fn;
  }

  shown(): readonly Shown[] {
    return [...this.shownList];
  }

  /** The messages of information, warning and error notifications, in order. */
  shownMessages(): string[] {
    return this.shownList.filter((s) => s.kind === 'info' || s.kind === 'warning' || s.kind === 'error').map((s) => s.texts[0]);
  }

  /** The questions asked in modal dialogs, in order. */
  questions(): string[] {
    return this.shownList.filter((s) => s.kind === 'confirm').map((s) => s.texts[0]);
  }

  /** Every text shown so far, and what every status bar item shows now (text, tooltip, name, accessible label). */
  texts(): string[] {
    const items = this.items.flatMap((item) =>
      defined(
        item.text,
        item.name,
        typeof item.tooltip === 'string' ? item.tooltip : item.tooltip?.value,
        item.accessibilityInformation?.label,
      ),
    );
    return [...this.shownList.flatMap((s) => s.texts), ...items];
  }

  commandEnded(command: string, outcome: CommandOutcome): void {
    this.outcomes.push({ command, outcome });
    if (outcome.kind === 'error') this.unclaimed.push({ command, message: outcome.message });
  }

  commandOutcomes(): readonly { command: string; outcome: CommandOutcome }[] {
    return [...this.outcomes];
  }

  /** The errors commands ended in since the last call: a test that expects one takes it from here. */
  takeCommandErrors(): CommandError[] {
    const taken = this.unclaimed;
    this.unclaimed = [];
    return taken;
  }
}
