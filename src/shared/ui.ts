// Everything the extension shows the user goes through one object: messages and their buttons, modal
// questions, quick picks, input boxes, progress, status bar items and passing status messages, and URLs
// handed to the browser. main.ts builds it once and passes it to the services through their constructors;
// under the test runner it is wrapped by the recorder (uiRecorder.ts), which keeps every text shown so the
// leak check reads all of them, and which is where tests answer questions and catch opened URLs.
import vscode = require('vscode');

export type ProgressReport = vscode.Progress<{ message?: string; increment?: number }>;

export interface Ui {
  info(message: string, ...buttons: string[]): Thenable<string | undefined>;
  warn(message: string, ...buttons: string[]): Thenable<string | undefined>;
  error(message: string, ...buttons: string[]): Thenable<string | undefined>;
  /** A yes/no question in a modal dialog; true when the user chose `action`. */
  confirm(message: string, detail: string, action: string): Promise<boolean>;
  pick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Thenable<T | undefined>;
  pickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Thenable<readonly T[] | undefined>;
  input(options: vscode.InputBoxOptions): Thenable<string | undefined>;
  progress<R>(
    options: vscode.ProgressOptions,
    task: (progress: ProgressReport, token: vscode.CancellationToken) => Thenable<R>,
  ): Thenable<R>;
  /** A passing message in the status bar. */
  statusMessage(text: string, hideAfterMs: number): void;
  statusItem(id: string, alignment: vscode.StatusBarAlignment, priority: number): vscode.StatusBarItem;
  /**
   * Hands the exact URL string to the browser (a string: a vscode.Uri would decode and re-encode the query,
   * and with it a presigned URL's authToken). False when it was not handed over.
   */
  openExternal(url: string): Thenable<boolean>;
}

/** The Ui of VS Code's window. */
export function windowUi(): Ui {
  return {
    info: (message, ...buttons) => vscode.window.showInformationMessage(message, ...buttons),
    warn: (message, ...buttons) => vscode.window.showWarningMessage(message, ...buttons),
    error: (message, ...buttons) => vscode.window.showErrorMessage(message, ...buttons),
    confirm: async (message, detail, action) =>
      (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action,
    pick: (items, options) => vscode.window.showQuickPick(items, { ...options, canPickMany: false }),
    pickMany: (items, options) => vscode.window.showQuickPick(items, { ...options, canPickMany: true }),
    input: (options) => vscode.window.showInputBox(options),
    progress: (options, task) => vscode.window.withProgress(options, task),
    statusMessage: (text, ms) => void vscode.window.setStatusBarMessage(text, ms),
    statusItem: (id, alignment, priority) => vscode.window.createStatusBarItem(id, alignment, priority),
    openExternal: (url) => vscode.env.openExternal(url as unknown as vscode.Uri),
  };
}
